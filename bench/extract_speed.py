"""Benchmark: extraction speed over the real fixtures (and the demo web's reports).

Prints the median milliseconds per HTML report and per PDF page (plus DOCX per
file and OCR per scanned page), each over --repeat runs, and, as in-run
baselines, the time lxml alone takes to parse the same HTML and pdfminer alone
takes to lay out the same PDF pages (these machines are noisy: compare ratios).

    .venv/bin/python bench/extract_speed.py [--repeat 20] [--ocr-pages N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIXTURES = ROOT / "tests" / "fixtures" / "real"
HTML = ["shanghai-bgt-2019-report.html", "shuyang-fgj-2023-report.html",
        "shuyang-fgj-2023-report.wrapped.html", "pingtan-gwh-2019-report.html",
        "pingtan-gwh-2021-report.html", "pingtan-gwh-2024-report.html"]
PDF = ["govnianbao-szfgs2024-report.pdf", "hongze-qzf-2023-report.pdf",
       "hongze-qzf-2024-report.pdf"]
DOCX = ["annual-report-format-template-2021.docx"]
SCANS = ["hongze-qzf-2023-report.pdf", "hongze-qzf-2024-report.pdf",
         "govnianbao-szfgs2024-report.pdf"]  # read as scans (their text layer is the truth)


def timed(func, repeat: int) -> float:
    """Median milliseconds of ``func()`` over ``repeat`` runs (after one warm-up)."""
    func()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--ocr-pages", type=int, default=-1,
                        help="scanned pages to time (-1: all 16 of the real scans; 0: skip OCR)")
    args = parser.parse_args()

    import pdfplumber
    from lxml import html as lxml_html

    from crawler.extract import extract
    from tests.demoweb.reports import ReportSpec, render_report, render_report_pdf

    html_docs = {name: (FIXTURES / name).read_bytes() for name in HTML}
    for year in (2020, 2023):  # the demo web's Word-export style pages too
        title, body = render_report(ReportSpec("浙江省广播电视局", year))
        html_docs[f"demo {year}"] = f"<html><head><title>{title}</title></head><body>" \
                                    f"<div id='zoom'>{body}</div></body></html>".encode()
    print(f"HTML reports (median of {args.repeat}):")
    ratios = []
    for name, body in html_docs.items():
        ms = timed(lambda b=body: extract(b, "http://a.gov.cn/r.html", "text/html"), args.repeat)
        base = timed(lambda b=body: lxml_html.document_fromstring(b), args.repeat)
        ratios.append(ms / base)
        print(f"  {name:<40} {len(body) / 1024:6.0f} KB  {ms:7.2f} ms  "
              f"(lxml parse alone {base:5.2f} ms, x{ms / base:4.1f})")
    html_median = statistics.median(
        timed(lambda b=body: extract(b, "http://a.gov.cn/r.html", "text/html"), args.repeat)
        for body in html_docs.values())
    print(f"  median per HTML report: {html_median:.2f} ms (target <= 10 ms)")

    pdf_docs = {name: (FIXTURES / name).read_bytes() for name in PDF}
    pdf_docs["demo 2023 pdf"] = render_report_pdf(ReportSpec("江西省交通运输厅", 2023))
    print("PDF reports:")
    per_page = []
    for name, body in pdf_docs.items():
        import io

        with pdfplumber.open(io.BytesIO(body)) as pdf:
            pages = len(pdf.pages)
        ms = timed(lambda b=body: extract(b, "http://a.gov.cn/r.pdf"), max(3, args.repeat // 4))
        base = timed(lambda b=body: _layout(b), max(3, args.repeat // 4))
        per_page.append(ms / pages)
        print(f"  {name:<40} {pages:3d} pages  {ms:8.1f} ms  {ms / pages:7.1f} ms/page  "
              f"(pdfminer layout alone {base / pages:5.1f} ms/page, x{ms / base:4.1f})")
    print(f"  median per PDF page: {statistics.median(per_page):.1f} ms (target <= 60 ms)")
    if args.ocr_pages:
        _ocr(args.ocr_pages)

    print("DOCX:")
    for name in DOCX:
        body = (FIXTURES / name).read_bytes()
        ms = timed(lambda b=body: extract(b), args.repeat)
        print(f"  {name:<40} {ms:7.2f} ms")
    return 0


def _layout(body: bytes) -> None:
    """The floor under PDF extraction: pdfplumber laying out every page's characters."""
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(body)) as pdf:
        for page in pdf.pages:
            page.chars  # noqa: B018 - the layout is the work measured


def _ocr(pages: int) -> None:
    """Seconds per scanned page (median), the real scans' pages as a scanner makes them
    (150 dpi images, no text layer) read as extraction reads them; the in-run
    baseline is RapidOCR's own whole-page reading (detect, classify, recognise every
    box) of the same images, which is what this reader did before it read the ruling
    lines first. Then the cells right on each scan."""
    import json

    import numpy as np
    import pypdfium2

    from crawler.extract import extract
    from crawler.extract.pdf import OCR_RESOLUTION
    from crawler.extract.scan import _engine, read_scanned_page
    from tests.test_extract_real_cells import TABLES, TRUTH, cells, scanned

    images = []
    for name in SCANS:
        source = pypdfium2.PdfDocument(scanned((FIXTURES / name).read_bytes()))
        images += [np.array(source[i].render(scale=OCR_RESOLUTION / 72).to_pil().convert("RGB"))
                   for i in range(len(source))]
    images = images[:pages] if pages > 0 else images
    _engine()(images[0])  # models loaded before timing
    ours, whole = [], []
    for image in images:
        ours.append(_seconds(lambda i=image: read_scanned_page(i, "page")))
        whole.append(_seconds(lambda i=image: _engine()(i)))
    mine, base = statistics.median(ours), statistics.median(whole)
    print(f"OCR per scanned page ({len(images)} pages at {OCR_RESOLUTION} dpi): median "
          f"{mine:.2f} s (target <= 1.5 s), RapidOCR's whole-page reading alone "
          f"{base:.2f} s, x{mine / base:.2f}")
    for name in SCANS:
        body = (FIXTURES / name).read_bytes()
        truth = TRUTH / f"{name}.json"
        expected = cells(json.loads(truth.read_text("utf-8")) if truth.exists() else
                         {t: getattr(extract(body), t) for t in TABLES})
        item = extract(scanned(body))
        got = cells({t: getattr(item, t) for t in TABLES})
        right = sum(got.get(k, "missing") == v for k, v in expected.items())
        print(f"  {name:<40} {right}/{len(expected)} cells right from its scan")


def _seconds(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main())

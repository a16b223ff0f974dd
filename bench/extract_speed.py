"""Benchmark: extraction speed over the real fixtures (and the demo web's reports).

Prints the median milliseconds per HTML report and per PDF page (plus DOCX per
file), each over --repeat runs, and, as an in-run baseline, the time lxml alone
takes to parse the same HTML (these machines are noisy: compare ratios).

    .venv/bin/python bench/extract_speed.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIXTURES = ROOT.parent / "shared" / "fixtures" / "real"
HTML = ["shanghai-bgt-2019-report.html", "shuyang-fgj-2023-report.html",
        "shuyang-fgj-2023-report.wrapped.html"]
PDF = ["govnianbao-szfgs2024-report.pdf"]
DOCX = ["annual-report-format-template-2021.docx"]


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
    print(f"  median per HTML report: {html_median:.2f} ms (target <= 20 ms)")

    pdf_docs = {name: (FIXTURES / name).read_bytes() for name in PDF}
    pdf_docs["demo 2023 pdf"] = render_report_pdf(ReportSpec("江西省交通运输厅", 2023))
    print("PDF reports:")
    per_page = []
    for name, body in pdf_docs.items():
        import io

        with pdfplumber.open(io.BytesIO(body)) as pdf:
            pages = len(pdf.pages)
        ms = timed(lambda b=body: extract(b, "http://a.gov.cn/r.pdf"), max(3, args.repeat // 4))
        per_page.append(ms / pages)
        print(f"  {name:<40} {pages:3d} pages  {ms:8.1f} ms  {ms / pages:7.1f} ms/page")
    print(f"  median per PDF page: {statistics.median(per_page):.1f} ms")

    print("DOCX:")
    for name in DOCX:
        body = (FIXTURES / name).read_bytes()
        ms = timed(lambda b=body: extract(b), args.repeat)
        print(f"  {name:<40} {ms:7.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

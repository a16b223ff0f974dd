"""Tables published as pictures in a report page (crawler/discovery/reports.py's
``table_pictures``, crawler/extract/image.py): the page's pictures that stand for its
tables are fetched as parts of the report and read by OCR and ruling lines, each value
with its confidence; the site's logos, icons and badges are not."""

from __future__ import annotations

import io

import pytest
from lxml import html as lxml_html

from crawler.discovery.reports import table_pictures
from crawler.extract import extract, extract_pages
from crawler.extract.sniff import sniff
from tests.demoweb.reports import ReportSpec, render_report_pdf

URL = "http://www.example.gov.cn/art/2024/1/20/art_1_99.html"
AGENCY = "四川省某某局"
HEADINGS = ("<p>一、总体情况</p><p>本机关认真贯彻落实《条例》。</p>"
            "<p>二、主动公开政府信息情况</p>{0}<p>三、收到和处理政府信息公开申请情况</p>{1}"
            "<p>四、政府信息公开行政复议、行政诉讼情况</p>{2}<p>五、存在的主要问题及改进情况</p>"
            "<p>六、其他需要报告的事项</p>")
FURNITURE = ('<img src="/images/logo.png"><img src="/images/ewm.jpg" width="100">'
             '<img src="/img/jiucuo.png"><img src="data:image/png;base64,AAAA">')


def page(pictures: list[str], tables: str = "") -> str:
    images = [f'<p><img src="{p}" width="600"></p>' for p in pictures]
    slots = [*images[:2], "".join(images[2:])] if images else [tables, "", ""]
    body = HEADINGS.format(*slots, *[""] * (3 - len(slots)))
    return (f"<html><head><meta charset='utf-8'><title>{AGENCY}2023年政府信息公开工作年度报告"
            f"</title></head><body>{FURNITURE}<div class='article'>{body}</div></body></html>")


def test_the_pictures_standing_for_the_tables_are_found():
    root = lxml_html.fromstring(page(["/upload/t2.png", "../t3.jpg", "/upload/t4.png"]))
    assert table_pictures(root, URL) == ["http://www.example.gov.cn/upload/t2.png",
                                         "http://www.example.gov.cn/art/2024/1/t3.jpg",
                                         "http://www.example.gov.cn/upload/t4.png"]


def test_a_page_with_its_own_tables_or_no_table_headings_has_no_table_pictures():
    rows = "".join(f"<tr><td>{n}</td></tr>" for n in range(5))
    with_table = lxml_html.fromstring(page([], f"<table>{rows}</table>") + FURNITURE)
    assert table_pictures(with_table, URL) == []
    news = lxml_html.fromstring(f"<html><body><p>会议召开</p>{FURNITURE}"
                                "<img src='/upload/photo.jpg'></body></html>")
    assert table_pictures(news, URL) == []


def _pictures() -> list[bytes]:
    """The report's pages as PNG pictures (how agencies paste their tables)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(render_report_pdf(ReportSpec(agency=AGENCY, year=2023)))
    out = []
    for index in range(len(document)):
        buffer = io.BytesIO()
        document[index].render(scale=150 / 72).to_pil().convert("RGB").save(buffer, "PNG")
        out.append(buffer.getvalue())
    return out


@pytest.mark.slow
def test_a_report_whose_tables_are_pictures_is_read_from_them():
    pictures = _pictures()
    assert all(sniff(p, "html") == "image" for p in pictures)  # by the bytes, not the hint
    html = page([f"/upload/p{n}.png" for n in range(len(pictures))]).encode()
    alone = extract_pages([html], URL, "text/html; charset=utf-8")
    assert alone.flags and alone.flags[0].startswith("tables_as_images")
    item = extract_pages([html, *pictures], URL, "text/html; charset=utf-8")
    truth = extract(render_report_pdf(ReportSpec(agency=AGENCY, year=2023)))  # text layer
    assert (item.requests, item.appeals, item.proactive) == (truth.requests, truth.appeals,
                                                             truth.proactive)
    assert not any(f.startswith("tables_as_images") for f in item.flags)
    assert item.ocr["pages"] == list(range(2, 2 + len(pictures)))
    assert item.ocr["cells"] and all(0 < c <= 1 for c in item.ocr["cells"].values())
    assert item.title == f"{AGENCY}2023年政府信息公开工作年度报告" and item.year == 2023


@pytest.mark.slow
def test_a_crawl_fetches_archives_and_reads_the_pictures(tmp_path):
    """A site whose report page shows its tables as pictures: the crawl fetches them as
    the report's parts (archived), and the item reads every table from them."""
    import yaml
    from warcio.archiveiterator import ArchiveIterator

    from tests.demoweb.server import DemoWeb, Site
    from tests.test_browser_crawls import crawl

    host = "tjj.pictures.gov.cn"
    pictures = _pictures()
    report = page([f"/upload/2024/t{n}.png" for n in range(len(pictures))])
    files = {
        "/": "<html><head><meta name='SiteName' content='四川省某某局'></head><body>"
                       "<a href='/zwgk/index.html'>政府信息公开</a></body></html>",
        "/zwgk/index.html": "<html><body><a href='/zwgk/ndbg/index.html'>政府信息公开年报</a>"
                            "</body></html>",
        "/zwgk/ndbg/index.html": "<html><body><ul><li><a href='/zwgk/ndbg/2024/t1.html'>"
                                 f"{AGENCY}2023年政府信息公开工作年度报告</a></li></ul></body></html>",
        "/zwgk/ndbg/2024/t1.html": report}
    site = Site(host=host, files={path: text.encode() for path, text in files.items()}
                | {f"/upload/2024/t{n}.png": p for n, p in enumerate(pictures)})
    registry = tmp_path / "registry.yaml"
    registry.write_text(yaml.safe_dump({"agencies": [{
        "id": "pictures/tjj", "province": "四川省", "province_code": "510000", "name": AGENCY,
        "start_url": f"http://{host}/", "allowed_domains": [host]}]}, allow_unicode=True))
    with DemoWeb(sites={host: site}) as web:
        result = crawl(web, tmp_path / "out", "-s", "BROWSER=never",
                       "-s", f"WARC_DIR={tmp_path / 'out' / 'warc'}", registry=registry)
    [item] = result.items()
    assert item["url"] == f"http://{host}/zwgk/ndbg/2024/t1.html"
    assert item["parts"] == [f"http://{host}/upload/2024/t{n}.png" for n in range(len(pictures))]
    truth = extract(render_report_pdf(ReportSpec(agency=AGENCY, year=2023)))
    assert (item["requests"], item["appeals"]) == (truth.requests, truth.appeals)
    assert item["ocr"]["pages"] and not item["flags"]
    archived = set()
    for path in result.warcs:
        with open(path, "rb") as fh:
            archived |= {r.rec_headers.get_header("WARC-Target-URI") for r in
                         ArchiveIterator(fh) if r.rec_type == "response"}
    assert set(item["parts"]) <= archived
    assert result.returncode == 0


def test_pictures_are_told_by_their_bytes_and_text_is_not_a_picture():
    from PIL import Image

    kinds = {}
    for fmt in ("PNG", "JPEG", "GIF", "BMP", "WEBP"):
        out = io.BytesIO()
        Image.new("RGB", (40, 30), "white").save(out, fmt)
        kinds[fmt] = sniff(out.getvalue())
    assert set(kinds.values()) == {"image"}, kinds
    assert sniff(b"BMW 4S store 2023 annual report, plain text") == "unknown"

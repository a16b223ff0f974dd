"""Reading an HTML report page: its body, text, tables and metadata.

The body is found the way the CMS families mark it (their containers:
``<ucapcontent>``, ``.TRS_Editor``, ``#zoom``...), else as the smallest element
holding most of the page's prose; page chrome (menus, footers) stays out of the
text. Metadata comes from the national site-standard meta tags first
(``ArticleTitle``, ``PubDate``), then the family's own tags and the 索引号 table.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from ..discovery.text import is_report_title
from .document import Document
from .encoding import decode_html
from .grid import grid_from_html_table
from .text import clean, label

__all__ = ["read_html"]

_CONTAINERS = [
    "//ucapcontent", "//*[@id='UCAP-CONTENT']", "//*[contains(@class,'TRS_Editor')]",
    "//*[contains(@class,'TRS_UEDITOR')]", "//*[contains(@class,'Custom_UnionStyle')]",
    "//*[@id='zoom' or @id='Zoom']", "//*[contains(@class,'article-content')]",
    "//*[contains(@class,'detailContent')]", "//*[@id='content' or @class='content']",
    "//*[contains(@class,'artile_zw') or contains(@class,'article_zw')]", "//article",
]
_BLOCK = {"p", "div", "br", "li", "tr", "table", "section", "article", "ul", "ol", "dl", "dt",
          "dd", "center", "blockquote", "pre", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
          "ucapcontent", "ucaptitle", "form", "tbody", "thead", "caption"}
_DROP = ("script", "style", "noscript", "iframe", "select", "button", "input", "textarea",
         "object", "embed", "svg")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SPACE = re.compile(r"[ \r\n\f\v\u00a0\u3000\ufeff]+")
_DATE = re.compile(r"((?:19|20)\d\d)\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_FIELDS = {"publish_date": r"^(?:公开|发布|成文|印发)(?:日期|时间)$",
           "index_number": r"^索\s*引\s*号$", "doc_number": r"^(?:文号|发文字号|文\s*号)$",
           "publisher": r"^(?:发布机构|发文机关|信息来源|来源)$"}
_IS_LABEL = re.compile("|".join(_FIELDS.values()))


def iso_date(text: str | None) -> str | None:
    match = _DATE.search(text or "")
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def read_html(body: bytes, header_charset: str | None = None) -> Document:
    text, encoding, warnings = decode_html(body, header_charset)
    doc = Document("html", encoding=encoding, warnings=list(warnings))
    try:
        root = lxml_html.document_fromstring(text or "<html></html>")
    except (etree.ParserError, ValueError) as exc:
        doc.warnings.append(f"HTML could not be parsed: {exc}")
        return doc
    for node in root.xpath("//" + " | //".join(_DROP)):
        _remove(node)
    for comment in root.xpath("//comment()"):
        _remove(comment)
    fields = _metadata_table(root)
    content = _content(root)
    doc.text = render(content)
    doc.grids = [grid_from_html_table(t, f"table {i}") for i, t in
                 enumerate(content.iter("table"), 1) if not t.xpath(".//table")]
    doc.images = len(content.xpath(".//img"))
    doc.links = [(a.get("href"), clean(a.text_content())) for a in content.xpath(".//a[@href]")]
    doc.title = _title(root, content, fields)
    doc.publish_date = iso_date(_meta(root, "PubDate")) or iso_date(
        " ".join(root.xpath("//publishtime//text()"))) or iso_date(fields.get("publish_date")) \
        or iso_date(_labelled(doc.text[:400] + " " + render(root)[:3000], r"发布(?:日期|时间)"))
    doc.index_number = fields.get("index_number") or _labelled(render(root)[:3000], r"索引号")
    doc.doc_number = fields.get("doc_number") or None
    doc.publisher = fields.get("publisher") or _meta(root, "ContentSource") or _meta(root, "SiteName")
    return doc


def _remove(node) -> None:
    parent = node.getparent()
    if parent is None:
        return
    if node.tail:  # keep the text that follows the removed node
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def _meta(root, name: str) -> str | None:
    values = root.xpath(f"//meta[translate(@name,'abcdefghijklmnopqrstuvwxyz',"
                        f"'ABCDEFGHIJKLMNOPQRSTUVWXYZ')='{name.upper()}']/@content")
    value = clean(values[0]) if values else ""
    return value or None


def _content(root):
    for query in _CONTAINERS:
        for node in root.xpath(query):
            if len(_CJK.findall(node.text_content())) >= 30 or node.xpath(".//table | .//img"):
                return node
    return _densest(root)


def _densest(root):
    """The deepest element still holding 80% of the page's prose (text outside links)."""
    body = root.find("body") if root.find("body") is not None else root

    def prose(node) -> int:
        text = len(_CJK.findall(node.text_content()))
        links = sum(len(_CJK.findall(a.text_content())) for a in node.iter("a"))
        return text - links

    best, total = body, prose(body)
    if total == 0:
        return body
    while True:
        children = [c for c in best if isinstance(c.tag, str)]
        richest = max(children, key=prose, default=None)
        if richest is None or prose(richest) < 0.8 * total:
            return best
        best = richest


def render(element) -> str:
    """Plain text in reading order: blocks on their own lines, table cells tab-separated."""
    parts: list[str] = []

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        block = tag in _BLOCK
        if block:
            parts.append("\n")
        elif tag in ("td", "th"):
            parts.append("\t")
        if node.text and tag:
            parts.append(_SPACE.sub(" ", node.text))
        for child in node:
            walk(child)
            if child.tail:
                parts.append(_SPACE.sub(" ", child.tail))
        if block:
            parts.append("\n")

    walk(element)
    lines = []
    for line in "".join(parts).split("\n"):
        cells = [c.strip() for c in line.split("\t")]
        line = "\t".join(c for c in cells if c)
        if line:
            lines.append(line)
    return "\n".join(lines)


def _metadata_table(root) -> dict[str, str]:
    """The 索引号 / 发布机构 / 公开日期 / 文号 table most CMS templates print."""
    found: dict[str, str] = {}
    for row in root.iter("tr"):
        cells = [clean(c.text_content()) for c in row if c.tag in ("td", "th")]
        for name, value in zip(cells, cells[1:]):
            key = next((k for k, p in _FIELDS.items() if re.search(p, label(name).rstrip(":"))),
                       None)
            if key and key not in found and value and not _IS_LABEL.search(label(value)):
                found[key] = value
        if len(cells) >= 2 and label(cells[0]).rstrip(":") in ("名称", "标题") and "title" not in found:
            found["title"] = cells[1]
    return found


def _labelled(text: str, name: str) -> str | None:
    match = re.search(name + r"\s*[:：]\s*([^\s\t]+)", text)
    return match.group(1) if match else None


def _title(root, content, fields: dict[str, str]) -> str | None:
    candidates = [_meta(root, "ArticleTitle"), clean(" ".join(root.xpath("//ucaptitle//text()"))),
                  fields.get("title")]
    candidates += [clean(h.text_content()) for h in root.xpath("//h1 | //h2 | //*[contains("
                                                               "@class,'title')]")]
    candidates += [clean(p.text_content()) for p in content.xpath(".//p")[:5]]
    page_title = clean(" ".join(root.xpath("//title//text()")))
    candidates.append(re.split(r"\s*[-_|｜]\s*|\s{2,}", page_title)[0] if page_title else None)
    for candidate in candidates:
        if candidate and is_report_title(candidate) and len(candidate) <= 80:
            return candidate
    return next((c for c in candidates if c), None)

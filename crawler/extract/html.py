"""Reading an HTML report page: its body, text, tables and metadata.

The body is found the way the CMS families mark it (their containers:
``<ucapcontent>``, ``.TRS_Editor``, ``#zoom``...), else as the smallest element
holding most of the page's prose; page chrome (menus, footers) stays out of the
text. Metadata comes from the national site-standard meta tags first
(``ArticleTitle``, ``PubDate``), then the family's own tags and the 索引号 table.
"""

from __future__ import annotations

import re
from itertools import pairwise

from lxml import etree

from ..discovery.titles import choose_title, split_page_title
from .document import Document
from .encoding import decode_html
from .grid import grid_from_html_table
from .text import clean, label

__all__ = ["read_html"]

# The CMS families' body containers, most specific first: (tag, id, class substring).
_CONTAINERS = [
    ("ucapcontent", None, None), (None, "UCAP-CONTENT", None), (None, None, "TRS_Editor"),
    (None, None, "TRS_UEDITOR"), (None, None, "Custom_UnionStyle"), (None, "zoom", None),
    (None, "Zoom", None), (None, None, "article-content"), (None, None, "detailContent"),
    (None, "content", None), (None, None, "artile_zw"), (None, None, "article_zw"),
    ("article", None, None),
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
_FIELD_HINT = re.compile(r"日期|时间|索|号|机构|机关|来源")


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
        # Plain etree elements: lxml.html's element classes cost a lookup per node.
        root = etree.fromstring(text or "<html></html>", _PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        doc.warnings.append(f"HTML could not be parsed: {exc}")
        return doc
    if root is None or root.find("body") is None:
        doc.warnings.append("the page has no body: nothing to read")
        return doc
    for node in root.xpath("//" + " | //".join(_DROP)):
        _remove(node)
    fields = _metadata_table(root)
    content = _content(root, text)
    doc.text = render(content)
    doc.grids = [grid_from_html_table(t, f"table {i}") for i, t in
                 enumerate(content.iter("table"), 1) if not t.xpath(".//table")]
    doc.images = len(content.xpath(".//img"))
    doc.title = _title(root, content, fields)
    page_text = _PageText(root, text)
    doc.publish_date = iso_date(_meta(root, "PubDate")) or iso_date(
        " ".join(root.xpath("//publishtime//text()"))) or iso_date(fields.get("publish_date")) \
        or iso_date(_labelled(doc.text[:400] + " " + page_text.head("发布"),
                              r"发布(?:日期|时间)"))
    doc.index_number = fields.get("index_number") or _labelled(page_text.head("索引号"),
                                                                r"索引号")
    doc.doc_number = fields.get("doc_number") or None
    doc.publisher = (fields.get("publisher") or _meta(root, "ContentSource")
                     or _meta(root, "SiteName"))
    return doc


_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True)


def _text(node) -> str:
    return "".join(node.itertext())


class _PageText:
    """The whole page's text, rendered once and only if a fallback needs it: a label
    the page's source does not even contain is not looked for."""

    def __init__(self, root, source: str) -> None:
        self.root, self.source = root, source
        self._head: str | None = None

    def head(self, word: str) -> str:
        if word not in self.source:
            return ""
        if self._head is None:
            self._head = render(self.root)[:3000]
        return self._head


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


def _query(tag: str | None, id_: str | None, class_: str | None) -> etree.XPath:
    if tag:
        return etree.XPath(f"//{tag}")
    if id_:
        return etree.XPath(f"//*[@id='{id_}']")
    return etree.XPath(f"//*[contains(concat(' ', @class, ' '), '{class_}')]")


_QUERIES = [(tag or id_ or class_ or "", _query(tag, id_, class_))
            for tag, id_, class_ in _CONTAINERS]


def _content(root, source: str):
    """The best-ranked family container that holds the report, else the densest element.
    Only the kinds whose name occurs in the page are searched (each search walks the
    whole tree; the page's text is scanned once)."""
    for marker, query in _QUERIES:
        if marker not in source:
            continue
        for node in query(root):
            if len(_CJK.findall(_text(node))) >= 30 or node.xpath(".//table | .//img"):
                return node
    return _densest(root)


def _densest(root):
    """The deepest element still holding 80% of the page's prose (text outside links)."""
    body = root.find("body") if root.find("body") is not None else root
    counts = _prose_counts(body)

    def prose(node) -> int:
        return counts.get(node, 0)

    best, total = body, prose(body)
    if total == 0:
        return body
    while True:
        children = [c for c in best if isinstance(c.tag, str)]
        richest = max(children, key=prose, default=None)
        if richest is None or prose(richest) < 0.8 * total:
            return best
        best = richest


def _prose_counts(top) -> dict:
    """Chinese characters outside links under each element, in one walk of the tree
    (each element's own text and its children's tails, links counted as nothing)."""
    counts: dict = {}
    _count_prose(top, False, counts)
    return counts


# The walks are module functions, not closures: a nested function that calls itself
# is a reference cycle (function -> cell -> function), and this one would keep every
# element of the page, hence its whole lxml tree, alive until the next full gc.
def _count_prose(node, in_link: bool, counts: dict) -> int:
    in_link = in_link or node.tag == "a"
    own = 0 if in_link else len(_CJK.findall(node.text or ""))
    for child in node:
        if isinstance(child.tag, str):
            own += _count_prose(child, in_link, counts)
        if not in_link and child.tail:
            own += len(_CJK.findall(child.tail))
    counts[node] = own
    return own


def render(element) -> str:
    """Plain text in reading order: blocks on their own lines, table cells tab-separated."""
    parts: list[str] = []
    _render_into(element, parts)
    lines = []
    for line in "".join(parts).split("\n"):
        cells = [c.strip() for c in line.split("\t")]
        line = "\t".join(c for c in cells if c)
        if line:
            lines.append(line)
    return "\n".join(lines)


def _render_into(node, parts: list[str]) -> None:
    tag = node.tag if isinstance(node.tag, str) else ""
    block = tag in _BLOCK
    if block:
        parts.append("\n")
    elif tag in ("td", "th"):
        parts.append("\t")
    if node.text and tag:
        parts.append(_SPACE.sub(" ", node.text))
    for child in node:
        _render_into(child, parts)
        if child.tail:
            parts.append(_SPACE.sub(" ", child.tail))
    if block:
        parts.append("\n")


def _metadata_table(root) -> dict[str, str]:
    """The 索引号 / 发布机构 / 公开日期 / 文号 table most CMS templates print."""
    found: dict[str, str] = {}
    for row in root.iter("tr"):
        cells = [clean(_text(c)) for c in row if c.tag in ("td", "th")]
        if not 2 <= len(cells) <= 8:
            continue
        for name, value in pairwise(cells):
            if len(name) > 8 or not _FIELD_HINT.search(name):
                continue
            key = next((k for k, p in _FIELDS.items() if re.search(p, label(name).rstrip(":"))),
                       None)
            if key and key not in found and value and not _IS_LABEL.search(label(value)):
                found[key] = value
        named = label(cells[0]).rstrip(":") in ("名称", "标题")
        if len(cells) >= 2 and named and "title" not in found:
            found["title"] = cells[1]
    return found


def _labelled(text: str, name: str) -> str | None:
    match = re.search(name + r"\s*[:：]\s*([^\s\t]+)", text)
    return match.group(1) if match else None


def _title(root, content, fields: dict[str, str]) -> str | None:
    candidates = [_meta(root, "ArticleTitle"), clean(" ".join(root.xpath("//ucaptitle//text()"))),
                  fields.get("title")]
    candidates += [clean(_text(h)) for h in root.xpath("//h1 | //h2 | //*[contains("
                                                       "@class,'title')]")]
    candidates += [clean(_text(p)) for p in content.xpath(".//p")[:5]]
    candidates.append(split_page_title(clean(" ".join(root.xpath("//title//text()")))))
    return choose_title(candidates)

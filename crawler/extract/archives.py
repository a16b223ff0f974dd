"""Reports published inside an archive: a ``.zip`` attachment holding the DOCX, PDF or
DOC of the report (some agencies zip the report with its 解读 or its tables).

Each member is told by its bytes (``sniff``, the member's extension only as a hint),
read by the reader of its kind, and the one that holds the report is the archive's
document: the member with the statistics tables, else the one with a report's title,
else the longest text. The document names its member (``Document.member``), so the
item's ``read_from`` says ``<archive URL>!/<member>``.

Bounded, as a crawler must be with what strangers send: at most ``MAX_MEMBERS``
members are looked at, a member larger than ``MAX_MEMBER`` bytes (as read, not as
the archive claims: a zip bomb lies) is skipped, an archive inside the archive is
opened one level deep only, and member names are only names (never paths written
anywhere). Member names in GBK (most Chinese zips carry no UTF-8 flag) are decoded as
GBK. The worker's own time and memory limits stay above all this
(``crawler.extract.pool``).

Written here because zipfile (the standard library) opens the archive and nothing
else does the choosing; RAR and 7z need libraries or binaries these machines do not
have offline, so those are archived and said not read.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from ..discovery.text import is_report_title
from .document import Document
from .sniff import sniff, source_type_for

__all__ = ["MAX_MEMBER", "MAX_MEMBERS", "read_archive"]

MAX_MEMBERS = 50
MAX_MEMBER = 100 * 1024 * 1024
_READABLE = ("pdf", "docx", "doc", "wps", "html")

Reader = Callable[[bytes, str | None, str | None], Document]


def read_archive(body: bytes, read: Reader, depth: int = 0) -> Document:
    """The report in a ZIP archive, read by ``read(bytes, name, content_type)``."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
        infos = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return _unread(f"the ZIP archive cannot be opened ({exc})")
    warnings: list[str] = []
    if len(infos) > MAX_MEMBERS:
        warnings.append(f"the archive holds {len(infos)} files: the first {MAX_MEMBERS} read")
    found: list[Document] = []
    for info in infos[:MAX_MEMBERS]:
        name = member_name(info)
        data = _member(archive, info)
        if data is None:
            warnings.append(f"{name}: larger than {MAX_MEMBER // 2**20} MiB or unreadable, "
                            "not read")
            continue
        kind = sniff(data, source_type_for(None, name))
        if kind == "zip" and depth == 0:
            inner = read_archive(data, read, depth + 1)
            inner.member = f"{name}!/{inner.member}" if inner.member else None
            found.append(inner)
        elif kind in _READABLE:
            doc = read(data, name, None)
            doc.member = name
            found.append(doc)
    chosen = max(found, key=_holds_the_report, default=None)
    if chosen is None:
        return _unread("the archive holds no document that can be read "
                       f"({', '.join(member_name(i) for i in infos[:5]) or 'no file'})",
                       warnings)
    chosen.warnings = [*warnings, *chosen.warnings,
                       f"read from {chosen.member} in a ZIP archive of {len(infos)} file(s)"]
    return chosen


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its maker wrote it: UTF-8 when flagged, else GBK (zipfile
    decodes unflagged names as CP437)."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    for encoding in ("gb18030", "utf-8"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """The member's bytes, never more than ``MAX_MEMBER`` of them read."""
    if info.file_size > MAX_MEMBER:
        return None
    try:
        with archive.open(info) as member:
            data = member.read(MAX_MEMBER + 1)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        return None  # damaged, encrypted, an unknown compression
    return data if len(data) <= MAX_MEMBER else None


def _holds_the_report(doc: Document) -> tuple[int, int, int]:
    """Statistics tables first, then a report's title, then the most text."""
    tables = sum(1 for grid in doc.grids if len(grid.rows) > 3) if doc.grids else 0
    titled = is_report_title(doc.title) or is_report_title((doc.member or "").rsplit("/", 1)[-1])
    return tables, int(titled), len(doc.text)


def _unread(why: str, warnings: list[str] | None = None) -> Document:
    doc = Document("zip")
    doc.warnings = [*(warnings or []), why]
    return doc

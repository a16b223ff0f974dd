"""``python -m archive wacz``: the collection as one WACZ package for other archives.

The package is made by the ``wacz`` library (webrecorder's py-wacz: the WARCs, a
CDXJ index, ``datapackage.json`` with each file's hash), which is what
ReplayWeb.page and pywb (``wb-manager add --unpack-wacz``) open. Its page list is
written here: ``wacz --detect-pages`` finds pages only through request Referers,
which a crawler's report requests do not carry, so ``pages/pages.jsonl`` lists
every archived report with its title, capture time and text (``archive.reports``)
and is copied in as is. ``wacz validate`` does not check that the page list exists;
``package`` does.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .reports import ArchivedReport, archived_reports
from .verify import iter_warc_paths

__all__ = ["PAGES", "package", "pages_jsonl", "validate"]

PAGES = "pages/pages.jsonl"
_RESOURCE_NAME = re.compile(r"[^-a-z0-9._/]")


def pages_jsonl(reports: Iterable[ArchivedReport]) -> str:
    """The page list: a header line, then a page per capture of each report, with
    that capture's text (``text``, as browsertrix-crawler writes it), which
    ReplayWeb.page searches along with the titles."""
    lines: list[dict[str, Any]] = [
        {"format": "json-pages-1.0", "id": "pages", "title": "Archived reports",
         "hasText": True}]
    for report in reports:
        for date in report.captured:
            page = {"id": f"{report.item.get('report_id') or report.url}@{date}",
                    "url": report.url, "ts": date, "title": report.title}
            if report.texts.get(date):
                page["text"] = report.texts[date]
            lines.append(page)
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


def package(paths: Sequence[str | Path], output: str | Path,
            items: Iterable[str | Path] = (), title: str | None = None) -> int:
    """Write ``output`` (a WACZ) of the WARCs in ``paths``, its pages the reports of
    the crawl states beside them and of the item feeds ``items``; the number of
    pages."""
    warcs = [str(p) for p in iter_warc_paths(paths)]
    if not warcs:
        raise FileNotFoundError(f"no WARC files under {', '.join(map(str, paths))}")
    directories = {Path(p) if Path(p).is_dir() else Path(p).parent for p in paths}
    text = pages_jsonl(archived_reports(sorted(directories), items))
    with tempfile.TemporaryDirectory() as scratch:
        pages = Path(scratch) / "pages.jsonl"
        pages.write_text(text, "utf-8")
        arguments = ["create", "-o", str(output), "-p", str(pages), "--copy-pages",
                     "--title", title or "Disclosure reports", *warcs]
        _wacz(arguments, "create")
    _name_resources(Path(output))
    return text.count("\n") - 1


def _name_resources(path: Path) -> None:
    """Give each resource of ``datapackage.json`` a name the Data Package spec allows.

    py-wacz names a resource after its file, but the spec (and frictionless, which
    ``wacz validate`` runs) allows only ``[-a-z0-9._/]`` in names, and the IIPC file
    names (``…-{pid}~{host}.warc.gz``) have ``~`` and capitals. The files keep their
    names (items point at them); only the names change, and the digest of
    ``datapackage.json`` in ``datapackage-digest.json`` with them. A zip member cannot
    be replaced in place, so the package is copied member by member, each stored as
    it was (WACZ wants the WARCs uncompressed)."""
    with zipfile.ZipFile(path) as old:
        package = json.loads(old.read("datapackage.json"))
        taken: set[str] = set()
        for resource in package["resources"]:
            resource["name"] = _unique(_RESOURCE_NAME.sub("-", resource["name"].lower()), taken)
        descriptor = json.dumps(package, indent=2).encode()
        digest = json.loads(old.read("datapackage-digest.json"))
        digest["hash"] = "sha256:" + hashlib.sha256(descriptor).hexdigest()
        renamed = path.with_suffix(".tmp")
        with zipfile.ZipFile(renamed, "w") as new:
            for info in old.infolist():
                replace = {"datapackage.json": descriptor,
                           "datapackage-digest.json": json.dumps(digest, indent=2).encode()}
                if info.filename in replace:
                    new.writestr(info, replace[info.filename])
                else:
                    with old.open(info) as source, new.open(info, "w") as target:
                        shutil.copyfileobj(source, target, 1 << 20)
    os.replace(renamed, path)


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}-{n}"
    taken.add(candidate)
    return candidate


def validate(path: str | Path) -> None:
    """``wacz validate``, and the page list it does not check: a ValueError if bad."""
    _wacz(["validate", "-f", str(path)], "validate")
    with zipfile.ZipFile(path) as archive:
        if PAGES not in archive.namelist():
            raise ValueError(f"{path} has no {PAGES}")


def _wacz(arguments: list[str], what: str) -> None:
    from wacz.main import main as wacz_main  # imported late: frictionless is slow to load

    with contextlib.redirect_stdout(sys.stderr):  # its progress lines are not the output
        code = wacz_main(arguments)
    if code:
        raise ValueError(f"wacz {what} failed (exit {code})")


def register(commands: Any) -> None:  # argparse's subparsers action (a private type)
    wacz = commands.add_parser(
        "wacz", help="package WARCs as a WACZ (ReplayWeb.page, pywb), with a page per report",
        description="Package the WARC files (directories searched) as one WACZ with the "
        "wacz library, listing in pages/pages.jsonl every archived report (from the crawl "
        "state beside the WARCs, and from --items feeds) with its title and capture time, "
        "then validate it.")
    wacz.add_argument("paths", nargs="+", metavar="PATH", help="WARC file or directory")
    wacz.add_argument("-o", "--output", required=True, metavar="FILE.wacz")
    wacz.add_argument("--items", action="append", default=[], metavar="FEED.jsonl",
                      help="item feed whose reports are pages too (may be repeated)")
    wacz.add_argument("--title", help="the package's title")
    wacz.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    try:
        pages = package(args.paths, args.output, args.items, args.title)
        validate(args.output)
    except (OSError, ValueError) as exc:
        print(f"wacz: {exc}", file=sys.stderr)
        return 1
    if not pages:
        print(f"wacz: warning: {args.output} lists no report page (no crawl state beside "
              "the WARCs and no --items)", file=sys.stderr)
    print(f"{args.output}: {pages} report page(s), valid")
    return 0

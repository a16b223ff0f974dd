"""``python -m crawler.extract FILE [--url URL] [--content-type TYPE]``: print the item as JSON."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

from . import extract, nothing_read


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crawler.extract",
        description="Extract one annual report (HTML, PDF, DOCX, DOC/WPS) into the item the "
                    "crawler would produce, printed as JSON. Without --content-type the format "
                    "is told from the bytes, and an HTML file's charset from the document. "
                    "Exits 1 when nothing could be read (the reason on stderr), 2 when the "
                    "file cannot be opened.")
    parser.add_argument("file", help="the report file ('-' for standard input)")
    parser.add_argument("--url", help="where it was published (sets url and report_id)")
    parser.add_argument("--content-type", help="the HTTP Content-Type it was served with")
    parser.add_argument("--no-text", action="store_true", help="leave the full text out")
    args = parser.parse_args(argv)
    try:
        body = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    except OSError as exc:
        print(f"cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    report = extract(body, url=args.url, content_type=args.content_type)
    item = asdict(report)
    if args.no_text:
        item.pop("text")
    try:
        json.dump(item, sys.stdout, ensure_ascii=False, indent=2)
        print(flush=True)
    except BrokenPipeError:  # `python -m crawler.extract FILE | head`: the reader had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit
        return 0
    if nothing_read(report):
        print(f"{args.file}: nothing could be read: {'; '.join(report.warnings)}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

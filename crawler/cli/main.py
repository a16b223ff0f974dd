"""The ``gov-archive`` command: its subcommands, and what every one of them shares.

Only the subcommand asked for is built whole: the dataset's modules take two seconds
to import, which ``gov-archive status`` should not pay. ``gov-archive -h`` lists them
all from ``COMMANDS``; ``gov-archive COMMAND -h`` lists every option of one.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["COMMANDS", "build_parser", "main"]

DESCRIPTION = """\
The archive of Chinese government information-disclosure annual reports, from the
agencies' sites to a dataset:

  gov-archive crawl --province 浙江 -O var/zj/items.jsonl   find and archive the reports
  gov-archive status var/zj/items.jsonl                      how far it is, while it runs
  gov-archive verify var/warc                                the WARC files are whole
  gov-archive build var/zj/items.jsonl                       the SQLite dataset
  gov-archive search 行政复议                                 reports that say it
  gov-archive explore                                        Datasette on 127.0.0.1:8001

gov-archive COMMAND -h lists a command's options."""


@dataclass(frozen=True)
class Command:
    help: str
    module: str  # the crawler.cli module whose add(commands, name, help) builds it


# In the order of the path: crawl, watch, check, look, build, ask.
COMMANDS = {
    "crawl": Command("find and archive agencies' annual reports (scrapy crawl disclosure)",
                     "crawl"),
    "status": Command("how far a crawl is, or how it ended (its status.json)", "status"),
    "verify": Command("check WARC files: digests, pairs, references", "delegate"),
    "replay": Command("serve the WARCs in pywb on 127.0.0.1, with a listing of the reports",
                      "delegate"),
    "get": Command("write a URL's archived payload (or headers) to stdout", "delegate"),
    "wacz": Command("package WARCs as one WACZ file (ReplayWeb.page, pywb)", "delegate"),
    "build": Command("item feeds -> the SQLite dataset", "delegate"),
    "search": Command("full-text search of the reports' titles and text in the dataset",
                      "search"),
    "explore": Command("serve the dataset in Datasette on 127.0.0.1", "delegate"),
    "audit": Command("the dataset -> the offline audit pages", "delegate"),
}


def build_parser(chosen: str | None = None) -> argparse.ArgumentParser:
    """Every subcommand named, and ``chosen`` built with all its options."""
    parser = argparse.ArgumentParser(prog="gov-archive", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, command in COMMANDS.items():
        if name == chosen:
            module = importlib.import_module(f"{__package__}.{command.module}")
            module.add(commands, name, command.help)
        else:
            commands.add_parser(name, help=command.help, add_help=False)
    return parser


def _chosen(argv: Sequence[str]) -> str | None:
    return next((arg for arg in argv if not arg.startswith("-")), None)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(_chosen(argv)).parse_args(argv)
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # here, not at exit, where a closed pipe is a traceback
        return code
    except BrokenPipeError:  # `gov-archive search 复议 | head`: the reader had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit
        return 0
    except KeyboardInterrupt:
        return 130

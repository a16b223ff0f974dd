"""``gov-archive crawl``: ``scrapy crawl disclosure``, its ``-a`` arguments as options.

    gov-archive crawl --province 浙江 --years 2019-2024 -O var/zj/items.jsonl \\
        -s JOBDIR=var/zj/job

Each of the spider's arguments (``crawler.spiders.arguments.SPIDER_ARGUMENTS``) is an
option ``--NAME``; ``-o``/``-O``, ``-s NAME=VALUE``, ``-L`` and ``--logfile`` are
Scrapy's own, passed on. The arguments are checked before Scrapy starts, by the
spider's own check: a mistake is one line and exit 2, with no banner before it. Then
the project's ``scrapy crawl`` (``crawler.commands.crawl``) runs in this process, from
any directory, and its exit code is this command's.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from ..run.outcome import EXIT_CODES_HELP, ExitCode, SetupError
from ..spiders.arguments import SPIDER_ARGUMENTS

__all__ = ["add", "scrapy_argv"]

_PASSED_ON = (("output", "-o"), ("overwrite_output", "-O"), ("set", "-s"))


def _setting(text: str) -> str:
    if "=" not in text or text.startswith("="):
        raise argparse.ArgumentTypeError(f"give a setting as NAME=VALUE, got {text!r}")
    return text


def add(commands: Any, name: str, help: str) -> None:  # argparse's subparsers action
    sub = commands.add_parser(
        name, help=help, epilog=EXIT_CODES_HELP,
        description="Crawl the agencies of the registry (or those chosen) for their annual "
        "disclosure reports: every byte fetched kept in WARC files (-s WARC_DIR, default "
        "var/warc), each report an item in the feeds (default var/items/<run id>.jsonl), a "
        "summary beside the feed at the end and, while it runs, a status file beside it "
        "(gov-archive status).")
    spider = sub.add_argument_group("what to crawl (the spider's -a arguments)")
    for argument in SPIDER_ARGUMENTS:
        spider.add_argument(f"--{argument.name}", metavar=argument.metavar, help=argument.help)
    scrapy = sub.add_argument_group("Scrapy's options, passed on")
    scrapy.add_argument("-o", "--output", action="append", default=[], metavar="FILE",
                        help="append the items to FILE (.jsonl, .csv); may be repeated")
    scrapy.add_argument("-O", "--overwrite-output", action="append", default=[],
                        metavar="FILE", help="write the items to FILE, replacing it (its "
                        "summary and status are named after it: items.summary.json, "
                        "items.status.json)")
    scrapy.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        type=_setting, help="a setting, e.g. JOBDIR=var/zj/job (resume after "
                        "a stop), WARC_DIR=var/zj/warc, CRAWL_STATUS=2; may be repeated")
    scrapy.add_argument("-L", "--loglevel", metavar="LEVEL", help="log level (default INFO)")
    scrapy.add_argument("--logfile", metavar="FILE", help="log to FILE instead of stderr")
    sub.set_defaults(func=run)


def spider_arguments(args: argparse.Namespace) -> dict[str, str]:
    return {argument.name: getattr(args, argument.name) for argument in SPIDER_ARGUMENTS
            if getattr(args, argument.name) is not None}


def scrapy_argv(args: argparse.Namespace) -> list[str]:
    """The ``scrapy crawl disclosure`` command line these options stand for."""
    argv = ["scrapy", "crawl", "disclosure"]
    for name, value in spider_arguments(args).items():
        argv += ["-a", f"{name}={value}"]
    for dest, flag in _PASSED_ON:
        for value in getattr(args, dest):
            argv += [flag, value]
    if args.loglevel:
        argv += ["-L", args.loglevel]
    if args.logfile:
        argv += ["--logfile", args.logfile]
    return argv


def run(args: argparse.Namespace) -> int:
    from scrapy.cmdline import execute

    from ..spiders.disclosure import DisclosureSpider

    try:
        DisclosureSpider.check_arguments(**spider_arguments(args))
    except SetupError as exc:
        print(f"gov-archive crawl: error: {exc}", file=sys.stderr)
        return int(ExitCode.SETUP)
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")  # from any directory
    try:
        execute(scrapy_argv(args))
    except SystemExit as done:  # how Scrapy's command line ends, with the crawl's code
        if isinstance(done.code, str):
            print(done.code, file=sys.stderr)  # a message instead of a code: said, exit 1
        return done.code if isinstance(done.code, int) else int(done.code is not None)
    return 0  # (execute always exits; a type checker does not know it)

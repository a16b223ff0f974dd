"""``scrapy crawl``, exiting with the crawl's outcome (``crawler.run.outcome``).

Scrapy's own ``crawl`` exits 0 whatever happened once the spider started. This
one exits with the code the crawl summary decided (0 complete, 1 finished with
errors, 3 interrupted, 4 WARC write failure, 5 nothing reachable), and a crawl
that cannot start (``crawler.run.outcome.SetupError``: a bad ``-a`` value, an unknown
argument, an unreadable registry or job directory; or the system refusing, e.g.
a WARC_DIR it may not write) prints one line and exits 2.

``-o``/``-O`` replace the project's default feeds (``var/items/<run id>.jsonl``
and ``.csv``): Scrapy adds the ``FEEDS`` setting to the files named on the command
line, which would write every crawl given ``-O`` twice. ``-s FEEDS=...`` is still
added to them, as Scrapy does.

``-a`` arguments are checked before Scrapy starts (``check_arguments`` of the spider
class): a mistake is one line on stderr and exit 2, before Scrapy's banner, and
``scrapy crawl -h`` lists the arguments the project's spiders take.
"""

from __future__ import annotations

import logging
import sys
import textwrap
from typing import TYPE_CHECKING, Any

from scrapy.commands import ScrapyHelpFormatter
from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.conf import feed_process_params_from_cli
from twisted.internet.defer import Deferred

from ..run.outcome import EXIT_CODES_HELP, ExitCode, SetupError
from ..spiders.arguments import SPIDER_ARGUMENTS

if TYPE_CHECKING:
    import argparse

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


def _not_started(error: BaseException | None, setup_errors: list[str]) -> None:
    """A crawl that failed to start (exit 2): a setup error or the system's refusal
    (a WARC_DIR it may not write) is told in one line at the end; anything else is
    a bug, logged with its traceback too."""
    if error is None:
        return
    if not isinstance(error, SetupError | OSError):
        logger.error("The crawl could not start", exc_info=error)
    setup_errors.append(str(error) or type(error).__name__)


def spider_arguments_help(width: int = 78) -> str:
    """The ``-a`` arguments as a table laid out by hand (argparse would run it into
    one paragraph): ``SPIDER_ARGUMENTS``, the spider's own list."""
    lines = textwrap.wrap("-a NAME=VALUE, of the disclosure spider and the archive spider "
                          "(which also takes -a warc=PATH[,PATH] and -a run=RUN_ID):", width)
    for argument in SPIDER_ARGUMENTS:
        name = f"  -a {argument.name}={argument.metavar}"
        lines += textwrap.wrap(argument.help, width, initial_indent=f"{name:<28}",
                               subsequent_indent=" " * 28)
    return "\n".join(lines)


class _HelpFormatter(ScrapyHelpFormatter):
    def _fill_text(self, text: str, width: int, indent: str) -> str:
        """A text with its own line breaks (the arguments' table) is kept as laid out."""
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


def _check_arguments(spider: str, arguments: dict[str, str], settings: Any) -> None:
    """Exit 2 with one line, before Scrapy's banner, when the spider would refuse its
    ``-a`` arguments (an unknown spider is left to Scrapy to name)."""
    try:
        spidercls = get_spider_loader(settings).load(spider)
    except KeyError:
        return
    check = getattr(spidercls, "check_arguments", None)
    if check is None:
        return
    try:
        check(**arguments)
    except SetupError as exc:
        print(f"scrapy crawl: error: {exc}", file=sys.stderr)
        raise SystemExit(int(ExitCode.SETUP)) from None


class Command(ScrapyCrawl):
    def long_desc(self) -> str:
        """``scrapy crawl -h``: what each exit code means."""
        return f"Run a spider; exit with the crawl's outcome. {EXIT_CODES_HELP}"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.formatter_class = _HelpFormatter
        parser.add_argument_group("Spider arguments", description=spider_arguments_help())

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if len(args) == 1:
            _check_arguments(args[0], opts.spargs, self.settings)
        named = opts.output or opts.overwrite_output
        if named and not any(s.startswith("FEEDS=") for s in opts.set or ()):
            assert self.settings is not None
            without_defaults = self.settings.copy()
            without_defaults.set("FEEDS", {}, priority="cmdline")
            feeds = feed_process_params_from_cli(without_defaults, opts.output,
                                                 overwrite_output=opts.overwrite_output)
            self.settings.set("FEEDS", feeds, priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one spider name, e.g. scrapy crawl disclosure")
        assert self.crawler_process is not None
        crawler = self._create_crawler(args[0])
        setup_errors: list[str] = []
        running = self.crawler_process.crawl(crawler, **opts.spargs)
        if isinstance(running, Deferred):
            running.addErrback(lambda failure: _not_started(failure.value, setup_errors))
        else:  # an asyncio task (AsyncCrawlerProcess): read its error so asyncio won't print it
            running.add_done_callback(  # type: ignore[attr-defined]
                lambda task: _not_started(None if task.cancelled() else task.exception(),
                                          setup_errors))
        self.crawler_process.start()
        self.exitcode = self._exit_code(crawler, setup_errors)

    @staticmethod
    def _exit_code(crawler: Crawler, setup_errors: list[str]) -> int:
        if setup_errors:
            for message in setup_errors:
                print(f"scrapy crawl: error: {message}", file=sys.stderr)
            return ExitCode.SETUP
        stats = getattr(crawler, "stats", None)
        code = stats.get_value("crawl/exit_code") if stats is not None else None
        if code is None:  # closed without its summary: a forced stop
            return ExitCode.INTERRUPTED
        return int(code)

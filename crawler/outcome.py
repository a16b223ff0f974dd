"""What a crawl's exit code says, for the scripts and schedulers that run it.

=====  ===================================================================
 0     finished, every agency complete, every fetched report an item
 1     finished with errors: an agency incomplete (a list or report not
       fetched, a list shorter than it says, no report column), a report
       not read (extraction failed), a report lost, a callback error, a
       feed not stored
 2     could not start (bad ``-a`` value, unknown argument, unreadable
       registry or job directory, a WARC_DIR it may not write; an
       unexpected error at start is logged with its traceback)
 3     interrupted (Ctrl-C, SIGTERM, a CLOSESPIDER limit): resume it with
       the same ``JOBDIR``
 4     stopped because WARC records could not be written (disk full...)
 5     nothing reachable: no agency's site answered at all
=====  ===================================================================

The crawl summary decides (``crawl_outcome``) and records the code in the
stats (``crawl/exit_code``); ``scrapy crawl`` (``crawler.commands.crawl``)
exits with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import IntEnum
from typing import Any

__all__ = ["EXIT_CODES_HELP", "ExitCode", "SetupError", "crawl_outcome", "feeds_failed"]
EXIT_CODES_HELP = ("Exit codes: 0 complete; 1 finished with errors (see the summary); "
                   "2 could not start as asked; 3 interrupted (resume with the same JOBDIR); "
                   "4 WARC records could not be written; 5 nothing reachable.")


class SetupError(Exception):
    """A crawl that cannot start as asked (exit 2); the message says what to change.
    Here, not with the refusals in ``crawler.exceptions``: the registry and the
    extraction workers import it without Scrapy."""


class ExitCode(IntEnum):
    COMPLETE = 0
    ERRORS = 1
    SETUP = 2
    INTERRUPTED = 3
    WARC_FAILED = 4
    UNREACHABLE = 5


def crawl_outcome(reason: str, rows: Sequence[Mapping[str, Any]],
                  stats: Mapping[str, Any]) -> tuple[ExitCode, str]:
    """The exit code of a crawl closed for ``reason`` with these summary ``rows``,
    and one line saying why."""
    if reason == "warc_write_error" or stats.get("warc/errors"):
        return ExitCode.WARC_FAILED, "stopped: WARC records could not be written"
    if reason != "finished":
        return ExitCode.INTERRUPTED, f"interrupted ({reason}): resume with the same JOBDIR"
    if rows and not any(row["pages"] for row in rows):
        return ExitCode.UNREACHABLE, "nothing reachable: no agency's site answered"
    problems = [f"{len(bad)} agenc{'y' if len(bad) == 1 else 'ies'} incomplete"
                for bad in [[r for r in rows if r["status"] != "complete"]] if bad]
    bugs = stats.get("spider_exceptions/count", 0)
    if bugs:
        problems.append(f"{bugs} callback error(s)")
    if feeds_failed(stats):
        problems.append(f"{feeds_failed(stats)} feed(s) not stored")
    if problems:
        return ExitCode.ERRORS, "finished with errors: " + ", ".join(problems)
    return ExitCode.COMPLETE, "finished: every agency complete"


def feeds_failed(stats: Mapping[str, Any]) -> int:
    """Feeds Scrapy could not store (``feedexport/failed_count/<storage>``)."""
    return sum(v for k, v in stats.items()
               if k.startswith("feedexport/failed_count/") and isinstance(v, int))

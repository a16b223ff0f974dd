"""What a crawl's exit code says, for the scripts and schedulers that run it.

=====  ===================================================================
 0     finished, every agency complete, every fetched report an item (a
       distributed worker: and the whole crawl's frontier done)
 1     finished with errors: an agency not complete (a list or report not
       fetched, a list shorter than it says, no report column or report, a
       trap left, a report cut short or not read), a callback error, a feed
       not stored, no agency crawled, a distributed crawl not done
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

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from enum import IntEnum
from typing import Any

__all__ = ["EXIT_CODES_HELP", "ExitCode", "FrontierState", "SetupError", "crawl_outcome",
           "feeds_failed"]
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


@dataclass
class FrontierState:
    """A distributed crawl's frontier as a worker left it (``crawler.distributed``):
    whether the crawl as a whole is done, not only this worker's share."""

    distributed: bool = False
    done: bool = False  # nothing pending, nothing held by a live worker, all known done
    known: int = 0  # agencies of the whole crawl
    finished: int = 0  # of them crawled to the end, by any worker
    unreachable: str | None = None  # Redis could not be asked at the end

    def as_dict(self) -> dict[str, Any] | None:
        return asdict(self) if self.distributed else None


def crawl_outcome(reason: str, rows: Sequence[Mapping[str, Any]], stats: Mapping[str, Any],
                  frontier: FrontierState | None = None) -> tuple[ExitCode, str]:
    """The exit code of a crawl closed for ``reason`` with these summary ``rows``,
    and one line saying why. Zero agencies is never "every agency complete": a
    distributed worker that crawled none exits 0 only when the whole crawl is done."""
    if reason == "warc_write_error" or stats.get("warc/errors"):
        return ExitCode.WARC_FAILED, "stopped: WARC records could not be written"
    if reason != "finished":
        return ExitCode.INTERRUPTED, f"interrupted ({reason}): resume with the same JOBDIR"
    if rows and not any(row["pages"] for row in rows):
        return ExitCode.UNREACHABLE, "nothing reachable: no agency's site answered"
    problems = _not_complete(rows)
    bugs = stats.get("spider_exceptions/count", 0)
    if bugs:
        problems.append(f"{bugs} callback error(s)")
    if feeds_failed(stats):
        problems.append(f"{feeds_failed(stats)} feed(s) not stored")
    if frontier is not None and frontier.distributed and not frontier.done:
        problems.append(frontier.unreachable or "the crawl's frontier is not done "
                        f"({frontier.finished} of {frontier.known} agencies finished)")
    if problems:
        return ExitCode.ERRORS, "finished with errors: " + ", ".join(problems)
    if not rows and frontier is not None and frontier.distributed:
        return ExitCode.COMPLETE, ("finished: no agency was left for this worker; the "
                                   f"crawl's frontier is done ({frontier.known} agencies)")
    if not rows:
        return ExitCode.ERRORS, "finished with errors: no agency was crawled"
    return ExitCode.COMPLETE, f"finished: every agency complete ({len(rows)})"


def _not_complete(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    kinds = Counter(str(row["status"]).split(":")[0] for row in rows
                    if row["status"] != "complete")
    if not kinds:
        return []
    n = sum(kinds.values())
    detail = ", ".join(f"{count} {kind}" for kind, count in kinds.most_common())
    return [f"{n} agenc{'y' if n == 1 else 'ies'} not complete ({detail})"]


def feeds_failed(stats: Mapping[str, Any]) -> int:
    """Feeds Scrapy could not store (``feedexport/failed_count/<storage>``)."""
    return sum(v for k, v in stats.items()
               if k.startswith("feedexport/failed_count/") and isinstance(v, int))

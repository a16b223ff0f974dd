"""The ``-a`` arguments of the crawl spiders, read and checked in one place.

A wrong value fails before anything is fetched, with a message that names the
argument (``ArgumentError``). ``SPIDER_ARGUMENTS`` describes each one once, for the
help of ``scrapy crawl -h`` and the options of ``gov-archive crawl``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..agencies.provinces import in_province, province_miss
from ..agencies.registry import DEFAULT_REGISTRY, Agency, load_registry
from ..run.outcome import SetupError

__all__ = ["SPIDER_ARGUMENTS", "ArgumentError", "CrawlArguments", "SpiderArgument",
           "parse_years", "select_agencies"]


class ArgumentError(SetupError, ValueError):
    """A ``-a`` argument the spider cannot use."""


@dataclass(frozen=True)
class SpiderArgument:
    name: str
    metavar: str
    help: str


SPIDER_ARGUMENTS = (
    SpiderArgument("registry", "PATH", "agency registry, YAML (default crawler/data/"
                   "agencies.yaml: the 31 provincial governments and their departments)"),
    SpiderArgument("agency", "ID[,ID]", "only these registry ids"),
    SpiderArgument("province", "NAME|CODE", "only this province, written as 浙江, 浙江省, "
                   "Zhejiang or 330000"),
    SpiderArgument("years", "YEAR[-YEAR]", "only reports of these years, e.g. 2021 or "
                   "2019-2024 (others are not even fetched)"),
    SpiderArgument("departments", "yes|no", "crawl the departments' sites found on portals "
                   "(default yes)"),
    SpiderArgument("emit", "changed|all", "items of new and substantively changed reports "
                   "only (changed, the default) or of every report found (all)"),
)


def parse_years(value: str | None) -> range | None:
    """``2021`` or ``2019-2024`` (either order) as a range; None for all years."""
    if not value:
        return None
    match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*", value)
    if not match:
        raise ArgumentError(f"years must look like 2021 or 2019-2024, got {value!r}")
    start, end = int(match.group(1)), int(match.group(2) or match.group(1))
    return range(min(start, end), max(start, end) + 1)


def parse_flag(name: str, value: str | bool | None, default: bool) -> bool:
    if value is None:
        return default
    text = str(value).strip().lower()
    if text in ("1", "yes", "true", "on"):
        return True
    if text in ("0", "no", "false", "off"):
        return False
    raise ArgumentError(f"{name} must be yes or no, got {value!r}")


def select_agencies(agencies: list[Agency], wanted: str | None,
                    province: str | None) -> list[Agency]:
    """The registry entries named by ``-a agency=ID[,ID]`` and ``-a province=NAME|CODE``."""
    if wanted:
        ids = {a.strip() for a in wanted.split(",") if a.strip()}
        unknown = ids - {a.id for a in agencies}
        if unknown:
            raise ArgumentError(f"unknown agency id(s): {', '.join(sorted(unknown))}")
        agencies = [a for a in agencies if a.id in ids]
    if province:
        chosen = in_province(agencies, province)
        if agencies and not chosen:
            raise ArgumentError(f"no agency matches -a province={province}: "
                                f"{province_miss(agencies, province)}")
        agencies = chosen
    if not agencies:
        raise ArgumentError("no agency matches the -a registry/agency/province arguments")
    return agencies


@dataclass(frozen=True)
class CrawlArguments:
    agencies: tuple[Agency, ...]
    years: range | None = None
    departments: bool = True  # crawl the departments found on portals

    @classmethod
    def parse(cls, registry: str | Path | None = None, agency: str | None = None,
              province: str | None = None, years: str | None = None,
              departments: str | None = None) -> CrawlArguments:
        selected = select_agencies(load_registry(registry or DEFAULT_REGISTRY), agency, province)
        return cls(tuple(selected), parse_years(years),
                   parse_flag("departments", departments, True))

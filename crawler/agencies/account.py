"""What happened to one agency in one crawl: its account.

Every component that learns something about an agency says so to its account, through a
method named for the fact: the spider (a CMS family seen, a list's size, a report link
found), the report assembler (an item made, a report cut short), the middlewares and the
bookkeeping extension (a page fetched, a request refused, a request lost). The crawl
summary, the exit code, the progress line and the distributed frontier read accounts;
none of them parses stats keys. The status comes from one rule that reads an account
(``crawler.discovery.completeness.agency_status``). Scrapy's stats mirror the counts
(``agency/<id>/...``) for whatever reads stats.

An account is plain data (no Scrapy): a test builds one by hand, and a resumed run
rebuilds it by replaying its WARCs, as it rebuilds everything else.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..discovery.completeness import Column, ColumnSet
from ..discovery.roles import REPORT_ROLES, Role
from ..discovery.traps import TemplateTally
from ..discovery.urls import hash_route, url_key

__all__ = ["ANSWERED", "ITEM", "SETTLED_WITHOUT_ITEM", "AgencyAccount", "Outcomes",
           "role_group"]

EXAMPLES = 3  # URLs kept per kind of outcome: the summary names them, the log has all
# A report link's fate: None (asked for), ANSWERED (fetched, still being read), ITEM, one
# of SETTLED_WITHOUT_ITEM (ended, and not a loss), or the kind of its loss.
ANSWERED = "answered"
ITEM = "item"
SETTLED_WITHOUT_ITEM = ("not a report", "a report of a year not asked for",
                        "the same report as another link")


def role_group(role: Role | str | None) -> str:
    """``report`` (a report page, its parts and documents), ``list``, ``start`` or
    ``page`` (the way there): what a lost or refused request of ``role`` costs."""
    role = Role(role) if role else Role.START
    if role in REPORT_ROLES:
        return "report"
    if role is Role.LIST:
        return "list"
    return "start" if role is Role.START else "page"


@dataclass
class Outcomes:
    """A count per (group, kind), with the first few URLs of each."""

    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    examples: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    limit: int = EXAMPLES  # URLs kept per kind

    def add(self, group: str, kind: str, url: str, n: int = 1) -> None:
        self.counts[(group, kind)] += n
        shown = self.examples.setdefault((group, kind), [])
        if len(shown) < self.limit and url not in shown:
            shown.append(url)

    def of(self, group: str) -> Counter[str]:
        """Counts by kind within ``group``."""
        return Counter({kind: n for (g, kind), n in self.counts.items() if g == group})

    def by_kind(self) -> Counter[str]:
        found: Counter[str] = Counter()
        for (_, kind), n in self.counts.items():
            found[kind] += n
        return found

    def __bool__(self) -> bool:
        return bool(self.counts)


@dataclass
class AgencyAccount:
    agency_id: str
    families: Counter[str] = field(default_factory=Counter)
    pages: int = 0  # responses received
    requests: int = 0  # requests charged to its page budget (duplicates are not)
    outstanding: set[int] = field(default_factory=set)  # requests on their way
    columns: ColumnSet = field(default_factory=ColumnSet)
    refused: Outcomes = field(default_factory=Outcomes)  # requests this crawl chose not to send
    lost: Outcomes = field(default_factory=Outcomes)  # requests sent, and no usable answer
    partial: Outcomes = field(default_factory=Outcomes)  # reports read from a cut body
    notes: Outcomes = field(default_factory=Outcomes)  # what was read differently, and why
    declined: Outcomes = field(default_factory=Outcomes)  # links not taken: search, calendars
    traps: Counter[str] = field(default_factory=Counter)  # URL template -> requests refused
    templates: dict[str, TemplateTally] = field(default_factory=dict)
    trapped_urls: set[str] = field(default_factory=set)  # each refused once, however linked
    reports: dict[str, str | None] = field(default_factory=dict)  # link -> its fate
    years: Counter[str] = field(default_factory=Counter)  # items by report year
    attachments: int = 0
    changes: Counter[str] = field(default_factory=Counter)
    blocked: str | None = None
    rendered: Outcomes = field(default_factory=Outcomes)  # pages sent to the browser, and why
    # ... that no browser could render: every one named
    unrendered: Outcomes = field(default_factory=lambda: Outcomes(limit=10_000))
    seen: list[str] = field(default_factory=list)  # its start and disclosure pages (first few)
    department_pages: list[str] = field(default_factory=list)  # a portal's 部门网站 pages
    department_links: int = 0  # links to its departments' sites a portal gave (known or new)
    departments_sought: bool = False  # a portal that ended with none: its pages rendered
    actions: Counter[str] = field(default_factory=Counter)  # a reader's actions, by kind
    escalated: set[str] = field(default_factory=set)  # pages sent to the browser, each once

    # ---------------------------------------------------------------- requests
    def fetched(self) -> None:
        self.pages += 1

    def refuse(self, kind: str, url: str, role: Role | str | None, n: int = 1) -> None:
        group = role_group(role)
        self.refused.add(group, kind, url, n)
        if group == "report" and n == 1:
            self.report_settled(url, kind)

    def lose(self, kind: str, url: str, role: Role | str | None) -> None:
        group = role_group(role)
        self.lost.add(group, kind, url)
        if group == "report":
            self.report_settled(url, kind)

    def decline(self, kind: str, url: str) -> None:
        """A link not taken, as a polite crawler does not (a site search, a calendar)."""
        self.declined.add("declined", kind, url)

    def template(self, template: str) -> TemplateTally:
        tally = self.templates.get(template)
        if tally is None:
            self.templates[template] = tally = TemplateTally()
        return tally

    def trapped(self, template: str, url: str) -> None:
        """A request of a template found to lead only to more of itself, refused (once,
        whether a pager or a link asked for it)."""
        key = url_key(url)
        if key in self.trapped_urls:
            return
        self.trapped_urls.add(key)
        self.traps[template] += 1
        self.refused.add("trap", template, url)

    def block(self, reason: str) -> None:
        self.blocked = self.blocked or reason

    # ---------------------------------------------------------------- browser
    def page_seen(self, url: str, limit: int = 6, departments: bool = False) -> None:
        """A start or disclosure page read statically: rendered at the end if the
        agency ends with no report column (a portal's department list: if it ends
        with no department found)."""
        pages = self.department_pages if departments else self.seen
        if len(pages) < limit and url not in pages:
            pages.append(url)

    def escalate(self, reason: str, url: str, rendered: bool) -> bool:
        """``url`` needs the browser (``reason``): True the first time; noted as
        rendered, or as a page no browser was there to render."""
        fragment = url.partition("#")[2]  # (a route is in the key already)
        key = url_key(url) + (f"#{fragment}" if fragment and not hash_route(url) else "")
        if key in self.escalated:
            return False
        self.escalated.add(key)
        (self.rendered if rendered else self.unrendered).add("browser", reason, url)
        return True

    # -------------------------------------------------------------- discovery
    def family(self, name: str) -> None:
        self.families[name] += 1

    def column(self, url: str, found_by: str = "", identity: str | None = None) -> Column:
        return self.columns.column(url, found_by, identity)

    # ----------------------------------------------------------------- reports
    def report_found(self, url: str) -> bool:
        """A link that should end as a report (page, document, part, attachment); True
        if it is new to the account."""
        key = url_key(url)
        if key in self.reports:
            return False
        self.reports[key] = None
        return True

    def knows_report(self, url: str) -> bool:
        return url_key(url) in self.reports

    def forget_report(self, url: str) -> None:
        """Not a report link after all (a page fetched before under another role)."""
        if self.reports.get(url_key(url)) is None:
            self.reports.pop(url_key(url), None)

    def report_answered(self, url: str, asked: str | None = None) -> None:
        """Its answer came, from ``url`` (redirected from ``asked``): now to be read."""
        if asked is not None and url_key(asked) != url_key(url):
            self.reports.pop(url_key(asked), None)  # the answer's URL is the report's
        if self.reports.get(url_key(url)) is None:
            self.reports[url_key(url)] = ANSWERED

    def report_settled(self, url: str, how: str) -> None:
        """It ended: ``ITEM``, one of ``SETTLED_WITHOUT_ITEM``, or a loss's kind. An item
        settles it whatever came before; otherwise the first end stands."""
        key = url_key(url)
        if how == ITEM or self.reports.get(key) in (None, ANSWERED):
            self.reports[key] = how

    def item(self, year: int | None, attachments: int) -> None:
        self.years[str(year)] += 1
        self.attachments += attachments

    def cut_short(self, kind: str, url: str) -> None:
        self.partial.add("report", kind, url)

    def note(self, kind: str, url: str) -> None:
        self.notes.add("note", kind, url)

    def unsettled(self) -> list[tuple[str, str | None]]:
        """Report links not ended yet, each with ``None`` (never answered) or ``ANSWERED``."""
        return [(key, fate) for key, fate in self.reports.items() if fate in (None, ANSWERED)]

    def settled_without_item(self) -> Counter[str]:
        return Counter(fate for fate in self.reports.values() if fate in SETTLED_WITHOUT_ITEM)

    @property
    def done(self) -> bool:
        """Started (a request charged to it, refused or lost) and none on its way: what
        the progress line and the crawl's status count as done."""
        return not self.outstanding and bool(self.requests or self.refused or self.lost)

    @property
    def report_count(self) -> int:
        return sum(self.years.values())

    @property
    def family_name(self) -> str | None:
        return self.families.most_common(1)[0][0] if self.families else None

    def errors(self) -> Counter[str]:
        """Every request refused or lost, by kind (what the summary lists as errors)."""
        found = self.lost.by_kind()
        for (group, kind), n in self.refused.counts.items():
            if group != "trap":
                found[kind] += n
        for (_, kind), n in self.partial.counts.items():
            found[kind] += n
        return found

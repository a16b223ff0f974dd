"""A reader's actions on a rendered list or column page, like browser crawlers' behaviours
(browsertrix-crawler's autoclick and autoscroll): run after the page settled, each
bounded in steps and in time, everything they reveal kept as links for discovery.

- script rows (``javascript:`` links, ``onclick`` rows), tabs and choices (every option of
  a ``<select>``) are clicked or chosen with the page held: a navigation they start is
  caught and turned into a link (with the row's text) instead of leaving the page, a
  popup (``window.open``) likewise, and what they load (XHR) is archived as it comes;
- 加载更多 is clicked, and the page scrolled to its end, until nothing new appears;
- a script pager (下一页 by ``__doPostBack``, ``goPage``) is turned, page after page, the
  page let go where it leads, until a page shows nothing new.

Which element is which is ``crawler.discovery.actions``'s decision; what the page does
is seen through ``traffic.PageTraffic``. The links of every state the page went through
are kept (a pager shows one page at a time), with where a bound stopped a behaviour
that had more to do (``stopped``): the agency's list is then incomplete.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from typing import TYPE_CHECKING, Any

from ..discovery.actions import (
    FORM_LINKS,
    Control,
    barren,
    context_of,
    control_kind,
    is_next,
    refusal,
)
from ..discovery.urls import hash_route

if TYPE_CHECKING:
    from .traffic import PageTraffic

__all__ = ["Behaviours"]

logger = logging.getLogger(__name__)
_MARK = "data-gda"  # the attribute the controls are found again by
_CONTROLS_JS = """([mark, formLinks]) => {
  const out = [];
  // each element keeps the mark it first got: a control found again is the same control
  window.__gdaNext = window.__gdaNext || 0;
  for (const el of document.querySelectorAll(
      'a, button, select, input[type=button], li, span, div, p, td, tr, dt, dd, h3, h4, '
      + '[onclick], [data-id], [data-url], [data-href]')) {
    const tag = el.tagName.toLowerCase();
    const text = (el.innerText || el.value || '').trim();
    // an onclick, or what a delegated listener reads (data-id, data-url: rows so made)
    // or a pointer cursor the element sets itself (a listener's row, tab or pager: what a
    // reader sees as clickable), not one it inherits
    const pointer = (tag !== 'a' || !el.hasAttribute('href'))
      && getComputedStyle(el).cursor === 'pointer'
      && !(el.parentElement && getComputedStyle(el.parentElement).cursor === 'pointer');
    const onclick = el.hasAttribute('onclick') || typeof el.onclick === 'function' || pointer
      || ['id', 'url', 'href'].some(k => el.dataset[k] !== undefined);
    const role = el.getAttribute('role') || '';
    // what it sits in (a search, login or comment form; a calendar): never acted on
    const form = el.closest('form');
    const fields = form && form.querySelectorAll('a').length <= formLinks ? Array.from(
        form.querySelectorAll('input, textarea')).map(
        f => `${f.tagName.toLowerCase()} ${f.type || ''} ${f.name || ''} ${f.id || ''}`)
        .join(' ') + ' ' + (form.getAttribute('action') || '') : '';
    const code = (el.getAttribute('onclick') || '') + ' ' + (el.getAttribute('href') || '');
    const around = [];
    for (let p = el.parentElement; p; p = p.parentElement)
      around.push((typeof p.className === 'string' ? p.className : '') + ' ' + (p.id || ''));
    const cls = typeof el.className === 'string' ? el.className : '';
    if (!['a', 'button', 'select', 'input'].includes(tag) && !onclick && role !== 'tab'
        && !(text.length <= 20 && /更多|下一页|下页|tab/i.test(text + ' ' + cls))) continue;
    if (tag !== 'select' && tag !== 'a' && el.offsetParent === null) continue;
    if (!el.hasAttribute(mark)) el.setAttribute(mark, String(++window.__gdaNext));
    const i = el.getAttribute(mark);
    out.push({i, tag, text: text.slice(0, 200), href: el.getAttribute('href'), onclick,
              classes: cls, role, onchange: el.hasAttribute('onchange'), fields, code,
              around: around.join(' '),
              options: tag === 'select' ? Array.from(el.options).map(o => o.text.trim()) : []});
  }
  return out;
}"""
_BELOW_JS = ("() => window.scrollY + window.innerHeight + 2 < "
             "document.documentElement.scrollHeight")
_LINKS_JS = """() => Array.from(document.querySelectorAll('a[href]')).map(
  a => [a.href, (a.innerText || a.title || '').trim().slice(0, 200)])"""


class Behaviours:
    def __init__(self, traffic: PageTraffic, max_actions: int, max_seconds: float,
                 barren_steps: int = 10) -> None:
        self.traffic = traffic
        self.barren_steps = barren_steps  # steps revealing no report before one stops
        self.max_actions = max_actions
        self.deadline = 0.0
        self.max_seconds = max_seconds
        self.actions = 0
        self.links: dict[str, str] = {}  # url -> the text it was shown with
        self.stopped: list[str] = []  # behaviours a bound stopped with more to do
        self.pages = 1  # states of a list a script pager showed, one after another
        self._done: set[str] = set()  # rows and tabs clicked (kind: text)
        self.ran = False
        self._first: set[str] = set()
        self.refused: dict[str, str] = {}  # why -> the page: controls left alone, once each
        self._scrolled = False
        self.kinds: Counter[str] = Counter()  # actions taken, by kind

    async def run(self, page: Any) -> None:
        """Every behaviour in turn: the rows and tabs of the page as it is, then of each
        state a choice, 加载更多, scrolling or the pager brings (the page is let go only
        by the pager)."""
        self.deadline = time.monotonic() + self.max_seconds
        self.ran = True
        try:
            await self._run(page)
        except Exception as exc:  # noqa: BLE001 - the page went away under an action
            logger.info("%s: the browser's actions stopped (%s)", page.url, exc)
            self.stopped.append(f"an error ({type(exc).__name__})")

    async def _run(self, page: Any) -> None:
        await self._collect(page)
        self._first = set(self.links)  # the page as it loaded: what actions add is revealed
        await self._rows_and_tabs(page)
        for control, (frame, mark) in await self._controls(page):
            if control_kind(control) != "choice":
                continue
            for index, label in enumerate(control.options):
                if not self._room():
                    self.stopped.append(f"choices: {self.actions} actions")
                    break
                await self._held(page, label, frame.select_option(
                    f"[{_MARK}='{mark}']", index=index, timeout=2000), "choice")
                await self._rows_and_tabs(page)
        await self._repeat(page, "more", self._more)
        await self._repeat(page, "scroll", self._scroll, patience=2)
        await self._repeat(page, "pager", self._next_page)

    def info(self) -> dict[str, Any]:
        return {"links": [[url, text] for url, text in self.links.items()],
                "revealed": [url for url in self.links if url not in self._first],
                "acted": self.ran, "actions": self.actions, "stopped": self.stopped,
                "pages": self.pages, "action_kinds": dict(self.kinds),
                "refused_actions": [[why, url] for why, url in self.refused.items()]}

    # ------------------------------------------------------------- steps
    async def _rows_and_tabs(self, page: Any) -> None:
        """Each script row and tab of the page as it is now, clicked once; the page is
        read again after each click (an app draws its list anew when taken back)."""
        while True:
            todo = [(control, handle) for control, handle in await self._controls(page)
                    if control_kind(control) in ("row", "tab")
                    and f"{control_kind(control)}:{control.text}" not in self._done]
            if not todo:
                return
            control, handle = todo[0]
            kind = control_kind(control)
            if not self._room():
                self.stopped.append(f"{kind}s: {self.actions} actions")
                return
            self._done.add(f"{kind}:{control.text}")
            await self._held(page, control.text, self._click(handle), kind)
            if kind == "tab":  # a tab's rows
                await self._rows_and_tabs(page)

    async def _held(self, page: Any, text: str, action: Any, kind: str | None) -> None:
        """One action (of ``kind``: None when its behaviour counts it) with the page
        held: where it would go becomes a link. An app's route it opened in place (a
        hash, a history entry) is one too, and the page is taken back."""
        if kind is not None:
            self._count(kind)
        self.traffic.hold(text)
        address = page.url
        try:
            await action
            if not await self.traffic.quiet(idle=0.8):  # (a popup opens a moment later)
                self.stopped.append(f"requests still loading after {text!r}")
            if _routed(address, page.url):  # opened in place: no document was asked for
                self.links.setdefault(page.url, text)  # (rendered as a page of its own)
                await page.go_back(timeout=3000)
                await self.traffic.quiet()
        except Exception as exc:  # noqa: BLE001 - a control gone or hidden: the next one
            logger.debug("%s: action on %r failed (%s)", page.url, text, exc)
        finally:
            self.traffic.release()
        await self._collect(page)

    async def _repeat(self, page: Any, name: str, step: Any, patience: int = 1) -> None:
        """``step`` while it reveals links (``patience`` steps in a row may reveal none:
        a scroll listener waits out its own throttle); a bound reached with more to do
        is said."""
        idle, revealed = 0, []
        while True:
            if not self._room():
                if await step(page, dry=True):
                    self.stopped.append(f"{name}: {self.actions} actions")
                return
            before = set(self.links)
            if not await step(page, dry=False):
                await self._collect(page)  # what the last step brought, late
                return
            self._count(name)
            if not await self.traffic.quiet():
                self.stopped.append(f"{name}: requests still loading")
                return
            await self._collect(page)
            await self._rows_and_tabs(page)
            revealed.append([text for url, text in self.links.items() if url not in before])
            if barren(revealed, self.barren_steps):  # more of the same, never a report
                self.refused[f"actions reveal no report ({name})"] = page.url
                return
            idle = idle + 1 if not revealed[-1] else 0
            if idle >= patience:
                return

    async def _more(self, page: Any, dry: bool) -> bool:
        handle = await self._find(page, "more")
        if handle is None or dry:
            return handle is not None
        await self._held(page, "", self._click(handle), None)
        return True

    async def _scroll(self, page: Any, dry: bool) -> bool:
        """To the end of the page (what it loads then is judged by the links it adds).
        A page with nothing below the window is not scrolled (no action spent on it)."""
        below = bool(await page.evaluate(_BELOW_JS))
        if dry or (not below and not self._scrolled):
            return below
        self._scrolled = True
        await page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
        return True

    async def _next_page(self, page: Any, dry: bool) -> bool:
        """The pager turned once, the page let go where it leads (a postback)."""
        handle = await self._find(page, "pager", next_only=True)
        if handle is None or dry:
            return handle is not None
        documents = len(self.traffic.navigations)
        await self._click(handle)
        await self.traffic.quiet()
        if len(self.traffic.navigations) > documents:  # a postback: the page it leads to
            try:
                await page.wait_for_load_state("load", timeout=5000)
            except Exception as exc:  # noqa: BLE001 - Playwright's TimeoutError: as it is
                logger.debug("%s: the pager's page did not load (%s)", page.url, exc)
        self.pages += 1
        return True

    # ----------------------------------------------------------- helpers
    def _count(self, kind: str) -> None:
        self.actions += 1
        self.kinds[kind] += 1

    def _room(self) -> bool:
        return self.actions < self.max_actions and time.monotonic() < self.deadline

    async def _controls(self, page: Any) -> list[tuple[Control, tuple[Any, str]]]:
        """The controls of the page and its frames (a list in an ``<iframe>``) now, each
        with its frame and mark; those a reader leaves alone (a search, login or comment
        form's, a calendar's) noted once each."""
        controls = []
        for frame in _frames(page):
            try:
                found = await frame.evaluate(_CONTROLS_JS, [_MARK, FORM_LINKS])
            except Exception as exc:  # noqa: BLE001 - a frame navigating or gone
                logger.debug("%s: controls not read (%s)", frame.url, exc)
                continue
            for c in found:
                control = Control(c["tag"], c["text"], c["href"], c["onclick"], c["classes"],
                                  c["role"], tuple(c["options"]), c["onchange"],
                                  context_of(c["fields"], c["code"], c["around"]))
                why = refusal(control)
                if why and (control.onclick or control.tag in ("button", "input", "select")
                            or (control.href or "").lower().startswith("javascript")):
                    self.refused.setdefault(why, page.url)
                controls.append((control, (frame, str(c["i"]))))
        return controls

    async def _find(self, page: Any, kind: str, next_only: bool = False
                    ) -> tuple[Any, str] | None:
        for control, handle in await self._controls(page):
            if control_kind(control) == kind and (not next_only or is_next(control)):
                return handle
        return None

    async def _click(self, handle: tuple[Any, str]) -> None:
        """A reader's click (trusted input: a popup it opens is not blocked); a script's
        click when the element cannot be reached by the mouse."""
        frame, mark = handle
        selector = f"[{_MARK}='{mark}']"
        try:
            await frame.click(selector, timeout=2000, force=True, no_wait_after=True)
        except Exception:  # noqa: BLE001 - hidden, covered, detached: the script's way
            await frame.eval_on_selector(selector, "e => e.click()")

    async def _collect(self, page: Any) -> None:
        """The links the page and its frames show now, and those actions caught."""
        for frame in _frames(page):
            try:
                for url, text in await frame.evaluate(_LINKS_JS):
                    if url.startswith(("http://", "https://")) and url not in self.links:
                        self.links[url] = text
            except Exception as exc:  # noqa: BLE001 - the page is navigating: next time
                logger.debug("%s: links not read (%s)", frame.url, exc)
        for url, text in self.traffic.caught:
            self.links.setdefault(url, text)


def _frames(page: Any) -> list[Any]:
    """The page's main frame, then its frames showing a web page (of any host: the
    crawl's scope decides what is followed)."""
    main = page.main_frame
    return [main, *(frame for frame in page.frames if frame is not main
                    and frame.url.startswith(("http://", "https://")))]


def _routed(before: str, after: str) -> bool:
    """Did the page go to an app's route in place (a ``#/…`` hash, or a new path by
    ``history.pushState``), not to another part of itself (``#tab2``)?"""
    return after != before and (bool(hash_route(after))
                                or after.partition("#")[0] != before.partition("#")[0])

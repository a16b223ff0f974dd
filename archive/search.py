"""Full-text search for the listing page: its form, its script, and the reports' text.

The listing is a static file (pywb serves it from its ``static`` folder, and it
opens from disk too), so the search runs in the reader's browser. The page
carries a form (``?q=WORDS``, so a search is a link one can share) and a short
script; the reports' text is a separate script file beside it
(``listing-texts.js``), loaded only when someone searches: the page itself stays
small and its table reads without script. A script file rather than JSON because
a page opened from disk may load a script but not ``fetch`` a file.

The matching is written here, not taken from a search library: lunr, MiniSearch
and their kin split text into words at spaces and punctuation, and Chinese has no
spaces, so "行政许可" inside "本年处理行政许可1893件" would never be a word of
theirs. A report is found when each of the query's space-separated terms occurs
in its title, agency or text (after NFKC, so full-width and half-width forms
match); a few thousand reports take milliseconds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from html import escape

from .reports import ArchivedReport

__all__ = ["SEARCH_DATA", "search_data", "search_form"]

SEARCH_DATA = "listing-texts.js"

STYLE = """
#search{margin:1em 0;display:flex;gap:.5em}#search input{flex:1;font:inherit;padding:.3em}
#results ol{padding-left:1.5em}#results li{margin:.6em 0}.snippet{color:#444;margin:.2em 0}
mark{background:#ffe36b}tr:target{background:#fff7d6}
"""

# Builds the results with textContent and createElement only: the reports' text is
# what agencies published (spam included) and must never become markup.
_SCRIPT = r"""
(function () {
  "use strict";
  var form = document.getElementById("search"), box = form.elements.q;
  var out = document.getElementById("results"), reports = null, wanted = null;
  function norm(s) { return s.normalize("NFKC").toLowerCase(); }
  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }
  function say(text) { out.replaceChildren(el("p", text, {"class": "summary"})); }
  window.reportTexts = function (data) {
    reports = data.map(function (r) {
      r.body = norm(r.text); r.all = norm(r.title + " " + r.agency + " ") + r.body; return r;
    });
    if (wanted !== null) show(wanted);
  };
  function load() {
    if (document.getElementById("texts")) return;
    var script = el("script", "", {id: "texts", src: form.dataset.texts});
    script.onerror = function () { say("The reports' text could not be loaded."); };
    document.head.appendChild(script);
  }
  function snippet(report, terms) {
    var at = -1, term = "";
    terms.some(function (t) { at = report.body.indexOf(t); term = t; return at >= 0; });
    var p = el("p", "", {"class": "snippet"});
    if (at < 0) return p;
    var start = Math.max(0, at - 40), end = Math.min(report.body.length, at + term.length + 80);
    p.append((start ? "…" : "") + report.body.slice(start, at),
             el("mark", report.body.slice(at, at + term.length)),
             report.body.slice(at + term.length, end) + (end < report.body.length ? "…" : ""));
    return p;
  }
  function item(report, terms) {
    var li = el("li"), title = report.href
      ? el("a", report.title, {href: report.href}) : el("span", report.title);
    li.append(title, " ", el("span", report.agency + " · " + report.year, {"class": "when"}),
              " ", el("a", "in the listing", {href: "#" + report.id, "class": "when"}),
              snippet(report, terms));
    return li;
  }
  function show(query) {
    var terms = norm(query).split(/\s+/).filter(Boolean);
    if (!terms.length) { wanted = null; out.replaceChildren(); return; }
    if (reports === null) { wanted = query; say("Searching the reports' text…"); load(); return; }
    var found = reports.filter(function (r) {
      return terms.every(function (t) { return r.all.indexOf(t) >= 0; });
    });
    var list = el("ol");
    found.forEach(function (r) { list.append(item(r, terms)); });
    say(found.length + (found.length === 1 ? " report contains " : " reports contain ") +
        "“" + query.trim() + "”.");
    out.append(list);
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(location.href);
    url.searchParams.set("q", box.value); url.hash = "";
    history.pushState(null, "", url);
    show(box.value);
  });
  function fromAddress() {
    box.value = new URLSearchParams(location.search).get("q") || "";
    show(box.value);
  }
  window.addEventListener("popstate", fromAddress);
  fromAddress();
})();
"""


def search_form(data: str = SEARCH_DATA) -> str:
    """The form, the results' place and the script, for a page whose reports' text is
    in ``data`` (a path relative to the page)."""
    return (f'<form id=search role=search data-texts="{escape(data)}"><input type=search name=q '
            'placeholder="Words in the reports’ text, e.g. 行政许可" aria-label="Search the '
            'reports’ text"><button>Search</button></form>'
            "<noscript><p class=summary>Searching needs JavaScript; the table below "
            "does not.</p></noscript><section id=results aria-live=polite></section>"
            f"<script>{_SCRIPT}</script>")


def search_data(reports: Iterable[ArchivedReport], link: Callable[[ArchivedReport], str]
                ) -> str:
    """The script file that hands the page every report's title, agency, year,
    anchor in the listing, replay address (``link``) and text."""
    rows = [{"id": r.anchor, "title": r.title, "agency": r.item.get("agency") or "",
             "year": r.item.get("year") or "?", "href": link(r),
             "text": re.sub(r"\s+", " ", r.text).strip()} for r in reports]
    return f"reportTexts({json.dumps(rows, ensure_ascii=False)});\n"

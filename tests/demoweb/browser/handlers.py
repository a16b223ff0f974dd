"""Generated responses of the browser web: the steps a real browser takes and a reader of
static HTML cannot (an HTML fragment and a JSON list fetched by scripts, a list written
by ``document.write``, a 瑞数-like JavaScript cookie challenge).

Each is a handler as in ``tests/demoweb/handlers.py`` (``handler: NAME`` on a route of a
browser site's ``site.yaml``, its other keys the options); ``HANDLERS`` is the demo's
handlers plus these, for ``DemoWeb(handlers=...)``. Every answer is deterministic: the
challenge's seeds are a hash of the host and of how many seeds it gave out before.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import parse_qs

from tests.demoweb.catalog import Report
from tests.demoweb.handlers import HANDLERS as DEMO_HANDLERS
from tests.demoweb.server import Reply, Request, Site, _static_reply

__all__ = ["CHALLENGE_COOKIE", "HANDLERS", "challenge_seed", "challenge_token"]

_OWN: dict[str, Callable[[Site, Request, dict[str, Any]], Reply]] = {}


def handler(name: str):
    def register(func):
        _OWN[name] = func
        return func
    return register


def _html(site: Site, text: str, status: int = 200) -> Reply:
    return Reply(status, text.encode(site.encoding, "xmlcharrefreplace"),
                 [("Content-Type", f"text/html; charset={site.encoding}")])


def _query(request: Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.query).items()}


def _int(value: str | None, default: int = 1) -> int:
    try:
        return max(1, int(value or default))
    except ValueError:
        return default


def _newest_first(site: Site) -> list[Report]:
    return sorted(site.reports, key=lambda r: r.published, reverse=True)


# ------------------------------------------------------- browser/ajaxlist
@handler("list_fragment")
def list_fragment(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """``/module/list.jsp?col=<col>&page=N``: the ``<li>`` rows of one page of the
    column ``col`` (an HTML fragment, no ``<html>``), for a script to insert; the page
    count in an ``X-Page-Count`` header. Another ``col``: no rows."""
    query = _query(request)
    per_page = int(options.get("per_page", 15))
    rows = _newest_first(site) if query.get("col") == str(options["col"]) else []
    page = _int(query.get("page"))
    pages = max(1, -(-len(rows) // per_page))
    fragment = "\n".join(
        f'<li><a href="{r.path}" target="_blank" title="{escape(r.title)}">{escape(r.title)}'
        f'</a><span class="date">{r.published}</span></li>'
        for r in rows[(page - 1) * per_page: page * per_page])
    reply = _html(site, fragment + "\n")
    reply.headers += [("X-Page-Count", str(pages)), ("X-Total", str(len(rows)))]
    return reply


# ------------------------------------------------------- browser/appshell
@handler("app_api")
def app_api(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """``/api/cms/article/list?channelId=<channel>&pageNo=N&pageSize=S``: the list the
    app renders, ``{"code": 0, "msg": "success", "data": {"list": [{"id", "title", "url",
    "pubDate"}], "total", "pageNo", "pageSize"}}``, newest first. Another channel: an
    empty list."""
    query = _query(request)
    rows = _newest_first(site) if query.get("channelId") == options["channel"] else []
    page, size = _int(query.get("pageNo")), min(50, _int(query.get("pageSize"), 10))
    items = [{"id": f"{int(hashlib.sha1(r.path.encode()).hexdigest(), 16) % 10**8:08d}",
              "title": r.title, "url": r.path, "pubDate": f"{r.published} 10:00:00"}
             for r in rows[(page - 1) * size: page * size]]
    data = {"code": 0, "msg": "success",
            "data": {"list": items, "total": len(rows), "pageNo": page, "pageSize": size}}
    return Reply(200, json.dumps(data, ensure_ascii=False).encode("utf-8"),
                 [("Content-Type", "application/json;charset=UTF-8")])


# ------------------------------------------------------- browser/docwrite
@handler("docwrite_list")
def docwrite_list(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """A TRS-like column page (``index.html``, ``index_1.html``...; ``page`` from 1) whose
    rows are written on load by an inline script from a data array: the URL of each
    report is ``base`` (assembled in the script) + a relative path, and the pager is
    written by the script too. The static HTML has no link to a report or to a page."""
    per_page = int(options.get("per_page", 2))
    page = int(options.get("page", 1))
    rows = _newest_first(site)
    pages = max(1, -(-len(rows) // per_page))
    base = str(options["base"])  # "/xxgk/ndbg/": the reports' folder
    data = ",\n".join(
        f'  {{t: "{r.title}", u: "{r.path.removeprefix(base)}", d: "{r.published}"}}'
        for r in rows[(page - 1) * per_page: page * per_page])
    joined = ' + "/" + '.join(json.dumps(part) for part in base.strip("/").split("/"))
    listing = (
        '<ul class="list">\n<script type="text/javascript">\n'
        f"var data = [\n{data}\n];\n"
        f'var base = "/" + {joined} + "/";\n'
        "for (var i = 0; i < data.length; i++) {\n"
        "  var d = data[i];\n"
        "  document.write('<li><a href=\"' + base + d.u + '\" target=\"_blank\" title=\"' + "
        "d.t + '\">' + d.t + '</a><span class=\"date\">' + d.d + '</span></li>');\n"
        "}\n</script>\n</ul>\n"
        '<div class="page"><script type="text/javascript">\n'
        f"var countPage = {pages}; //共多少页\nvar currentPage = {page - 1}; //所在页从0开始\n"
        'function pageName(n) { return "index" + (n > 0 ? "_" + n : "") + ".html"; }\n'
        "if (currentPage > 0) {\n"
        "  document.write('<a href=\"' + pageName(0) + '\">首页</a> ');\n"
        "  document.write('<a href=\"' + pageName(currentPage - 1) + '\">上一页</a> ');\n}\n"
        "for (var n = 0; n < countPage; n++) {\n"
        "  document.write(n == currentPage ? '<span class=\"current\">' + (n + 1) + '</span> '"
        "\n    : '<a href=\"' + pageName(n) + '\">' + (n + 1) + '</a> ');\n}\n"
        "if (currentPage < countPage - 1) {\n"
        "  document.write('<a href=\"' + pageName(currentPage + 1) + '\">下一页</a> ');\n"
        "  document.write('<a href=\"' + pageName(countPage - 1) + '\">尾页</a>');\n}\n"
        "</script></div>")
    page_html = site.template(options.get("template", "list.html")).safe_substitute(
        title=options.get("title", "政府信息公开年报"), list=listing, agency=site.meta["name"])
    return _html(site, page_html)


# ------------------------------------------------------ browser/challenge
CHALLENGE_COOKIE = "FSSBBIl1UgzbN7N80T"
_KEYS = (0x3B, 0x11, 0x5D, 0x27, 0x6A)


def challenge_seed(host: str, generation: int) -> str:
    """The seed of the ``generation``-th challenge of ``host`` (16 hex digits)."""
    return hashlib.sha1(f"{host}|challenge|{generation}".encode()).hexdigest()[:16]


def challenge_token(seed: str) -> str:
    """What the challenge page's script computes from its seed (the same arithmetic)."""
    h1, h2 = 0x1505, 0x2F1
    for i, char in enumerate(seed):
        code = ord(char) ^ _KEYS[i % len(_KEYS)]
        h1 = (h1 * 33 + code) % 0xFFFFFFFB
        h2 = (h2 * 131 + code * 7) % 0x7FFFFFFF
    return f"{h1:08x}{h2:08x}"[::-1]


def _codes(text: str) -> str:
    return ",".join(f"0x{ord(c):x}" for c in text)


def challenge_page(seed: str) -> str:
    """The 412 page: no text, a meta holding the seed, and a mildly obfuscated inline
    script that computes the token, sets the cookie and reloads."""
    keys = ",".join(f"0x{k:x}" for k in _KEYS)
    script = (
        "$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=24817;\n"
        "(function(_$a,_$b){var _$f=function(_$l){return String.fromCharCode.apply(null,_$l)};"
        "var _$s=document.getElementById(_$f([0x39,0x44,0x68,0x65,0x66,0x77,0x71,0x47]))"
        "[_$f([0x63,0x6f,0x6e,0x74,0x65,0x6e,0x74])],_$k=[" + keys + "],"
        "_$h=0x1505,_$g=0x2f1,_$i,_$c;"
        "for(_$i=0;_$i<_$s.length;_$i++){_$c=_$s.charCodeAt(_$i)^_$k[_$i%_$k.length];"
        "_$h=(_$h*33+_$c)%0xfffffffb;_$g=(_$g*131+_$c*7)%0x7fffffff;}"
        "var _$x=function(_$n){return('00000000'+_$n.toString(16)).slice(-8)};"
        "var _$t=(_$x(_$h)+_$x(_$g)).split('').reverse().join('');"
        "_$a[_$f([0x63,0x6f,0x6f,0x6b,0x69,0x65])]=_$f([" + _codes(CHALLENGE_COOKIE) + "])+"
        "'='+_$t+_$f([0x3b,0x20,0x70,0x61,0x74,0x68,0x3d,0x2f]);"
        "_$b[_$f([0x72,0x65,0x6c,0x6f,0x61,0x64])]();"
        "})(document,location);\n")
    return ('<!DOCTYPE html>\n<html><head>\n<meta http-equiv="Content-Type" '
            'content="text/html; charset=utf-8">\n'
            f'<meta id="9DhefwqG" content="{seed}" r="m">\n'
            f'<script type="text/javascript" r="m">\n{script}</script>\n'
            "</head><body></body></html>\n")


@dataclass
class _ChallengeState:
    generation: int = 0
    uses: dict[str, int] = field(default_factory=dict)  # token of a seed given out -> uses
    lock: threading.Lock = field(default_factory=threading.Lock)


_STATES_LOCK = threading.Lock()


def _state(site: Site) -> _ChallengeState:
    with _STATES_LOCK:
        state = site.__dict__.get("_browser_challenge")
        if state is None:
            state = site.__dict__["_browser_challenge"] = _ChallengeState()
        return state


def _cookie(request: Request, name: str) -> str | None:
    for header in request.headers.get_all("Cookie") or []:
        for pair in header.split(";"):
            key, _, value = pair.strip().partition("=")
            if key == name:
                return value
    return None


@handler("challenge")
def challenge(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """Every path of a site with ``challenge:`` in its site.yaml: without a valid cookie
    ``challenge.cookie`` (default ``FSSBBIl1UgzbN7N80T``), ``412`` and the challenge page
    with the current seed; with it, the page itself (the handler ``inner``, else the
    static file). A token is valid when it is the token of a seed given out, for
    ``challenge.uses`` (40) requests carrying it; then the next seed is given out."""
    config = site.meta.get("challenge") or {}
    name = config.get("cookie", CHALLENGE_COOKIE)
    limit = int(config.get("uses", 40))
    state = _state(site)
    token = _cookie(request, name)
    with state.lock:
        current = challenge_token(challenge_seed(site.host, state.generation))
        state.uses.setdefault(current, 0)
        if token is not None and token in state.uses:
            if state.uses[token] < limit:
                state.uses[token] += 1
                token_ok = True
            else:
                token_ok = False
                if token == current:  # the cookie wore out: a new challenge
                    state.generation += 1
                    current = challenge_token(challenge_seed(site.host, state.generation))
                    state.uses.setdefault(current, 0)
        else:
            token_ok = False
        seed = challenge_seed(site.host, state.generation)
    if not token_ok:
        reply = Reply(412, challenge_page(seed).encode("utf-8"),
                      [("Content-Type", "text/html; charset=utf-8")])
        reply.reason = "Precondition Failed"
        return reply
    inner = options.get("inner")
    if inner:
        return HANDLERS[inner](site, request, options)
    return _static_reply(site, request, options)


# The demo's handlers and these (their names must not clash).
assert not set(_OWN) & set(DEMO_HANDLERS), set(_OWN) & set(DEMO_HANDLERS)
HANDLERS: dict[str, Callable[[Site, Request, dict[str, Any]], Reply]] = {**DEMO_HANDLERS,
                                                                          **_OWN}

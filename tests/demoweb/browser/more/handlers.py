"""Generated responses of the browser-only web (``tests/demoweb/browser/more/``).

Handlers as in ``tests/demoweb/handlers.py``: a route's ``handler: NAME`` in a site's
``site.yaml`` names one, the route's other keys are its options.

- ``bm_report_api``: the report list of an app shell as JSON (two shapes, ``shape: a|b``);
- ``bm_shell``: the app shell's HTML answered on a history router's route paths;
- ``bm_challenge``: a JavaScript cookie challenge in front of every path of a host. Without
  the valid cookie: the challenge's status (``challenge_status: 521 | 412``) and a tiny
  page (``style: jsl | rs``) whose obfuscated script computes the token from the current
  seed, sets it with ``document.cookie`` and reloads; with it: the route's real answer
  (``inner``: a handler name, or none for a file of ``htdocs/``), with ``Cache-Control:
  no-cache``. A token lasts ``requests: N`` requests or ``seconds: S`` seconds from its
  first accepted use; then the challenge comes back with the next seed.

Bodies are deterministic: seed ``n`` of a host is ``sha1("<host>|<n>")``; seeds start at 0
for every new server.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from tests.demoweb.server import Reply, Request, Site, _static_reply

__all__ = ["HANDLERS", "challenge_seed", "gxt_token", "swt_token"]

HANDLERS: dict[str, Callable[[Site, Request, dict[str, Any]], Reply]] = {}
NOT_FOUND = b"<html><body><h1>404 Not Found</h1></body></html>"
now = time.monotonic  # the challenges' clock (tests may replace it)
_LOCK = threading.Lock()


def handler(name: str):
    def register(func):
        HANDLERS[name] = func
        return func
    return register


def _json(data: Any) -> Reply:
    return Reply(200, json.dumps(data, ensure_ascii=False).encode("utf-8"),
                 [("Content-Type", "application/json;charset=UTF-8"),
                  ("Cache-Control", "no-cache")])


def _query(request: Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.query).items()}


# ------------------------------------------------------------------ app shells
@handler("bm_report_api")
def bm_report_api(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """The report column of an app shell, newest first, in one of two JSON shapes.

    ``shape: a`` (Vue admin style, ``GET ...?page=1&size=N``):
    ``{"code": 0, "msg": "ok", "data": {"total", "page", "records": [{"id", "title",
    "linkUrl", "publishDate"}]}}``; ``shape: b`` (TRS open API style,
    ``GET ...?pageIndex=1&pageSize=N``): ``{"success": true, "data": {"pageIndex",
    "pageCount", "totalCount", "rows": [{"docId", "docTitle", "docPubUrl",
    "docRelTime"}]}}``. Any channel but ``options["channel"]`` is an empty list."""
    query = _query(request)
    channel = request.path.rstrip("/").split("/")[-2] if options.get("channel_in_path") \
        else query.get("channel", "")
    reports = sorted(site.reports, key=lambda r: -r.year)
    if channel != options.get("channel", "ndbg"):
        reports = []
    if options.get("shape") == "b":
        index = max(1, int(query.get("pageIndex", "1") or 1))
        size = max(1, int(query.get("pageSize", "10") or 10))
        page = reports[(index - 1) * size: index * size]
        rows = [{"docId": int(r.path.rsplit("_", 1)[-1].split(".")[0][-7:]),
                 "docTitle": r.title, "docPubUrl": f"http://{site.host}{r.path}",
                 "docRelTime": f"{r.published} 10:12:00"} for r in page]
        return _json({"success": True, "msg": "", "data": {
            "pageIndex": index, "pageCount": max(1, -(-len(reports) // size)),
            "totalCount": len(reports), "rows": rows}})
    number = max(1, int(query.get("page", "1") or 1))
    size = max(1, int(query.get("size", "10") or 10))
    page = reports[(number - 1) * size: number * size]
    records = [{"id": 880000 + r.year, "title": r.title, "linkUrl": r.path,
                "publishDate": r.published} for r in page]
    return _json({"code": 0, "msg": "ok", "data": {"total": len(reports), "page": number,
                                                   "records": records}})


@handler("bm_shell")
def bm_shell(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """A history router's route path: the server answers the app's shell (``file``)."""
    shell = Request(request.method, request.host, options["file"], "", request.headers,
                    request.body)
    return _static_reply(site, shell, {})


# ------------------------------------------------------------------ challenges
def challenge_seed(host: str, n: int) -> int:
    """Seed ``n`` of a host: a 24-bit number."""
    return int(hashlib.sha1(f"{host}|{n}".encode()).hexdigest()[:6], 16)


def gxt_token(seed: int, key: int) -> str:
    """The 521 challenge's token: sixteen rounds of ``t = (t * 0x41c6 + key + i) % 0x7fffffff``
    from the seed, in hex."""
    t = seed
    for i in range(16):
        t = (t * 0x41C6 + key + i) % 0x7FFFFFFF
    return format(t, "x")


def swt_token(seed_text: str) -> str:
    """The 412 challenge's token: djb2 (mod 4294967291) of the seed's hex text, base 36,
    then the seed's first four characters."""
    h = 5381
    for char in seed_text:
        h = (h * 33 + ord(char)) % 4294967291
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        h, r = divmod(h, 36)
        text = digits[r] + text
        if not h:
            break
    return text + seed_text[:4]


def _state(site: Site) -> dict[str, Any]:
    return site.meta.setdefault("_bm_challenge", {"n": 0, "uses": 0, "since": None})


def _expected(site: Site, options: dict[str, Any], n: int) -> tuple[str, str]:
    """(cookie name, token) of seed ``n``."""
    seed = challenge_seed(site.host, n)
    if options.get("style") == "jsl":
        return "__jsl_clearance_s", gxt_token(seed, _jsl_key(seed))
    return "FSSBBIl1UgzbN7N80T", swt_token(format(seed * 0x9E3779B1 % (1 << 64), "016x"))


def _jsl_key(seed: int) -> int:
    return 0x2B + seed % 0x61


def _cookie(request: Request, name: str) -> str | None:
    for part in (request.headers.get("Cookie") or "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def _admit(site: Site, options: dict[str, Any], request: Request) -> bool:
    """Whether the request carries the current seed's token and it has not expired (and
    count it); on expiry, move to the next seed."""
    with _LOCK:
        state = _state(site)
        name, token = _expected(site, options, state["n"])
        if _cookie(request, name) != token:
            return False
        limit, seconds = options.get("requests"), options.get("seconds")
        if state["since"] is None:
            state["since"] = now()
        expired = ((limit is not None and state["uses"] >= int(limit))
                   or (seconds is not None and now() - state["since"] >= float(seconds)))
        if expired:
            state.update(n=state["n"] + 1, uses=0, since=None)
            return False
        state["uses"] += 1
        return True


@handler("bm_challenge")
def bm_challenge(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    if not _admit(site, options, request):
        n = _state(site)["n"]
        page = (_jsl_page if options.get("style") == "jsl" else _rs_page)(site, n)
        return Reply(int(options.get("challenge_status", 412)), page.encode("ascii"),
                     [("Content-Type", "text/html; charset=utf-8"),
                      ("Cache-Control", "no-store, no-cache"), ("Pragma", "no-cache")])
    inner = options.get("inner")
    if inner:
        from tests.demoweb.handlers import HANDLERS as DEMO

        reply = {**DEMO, **HANDLERS}[inner](site, request, options)
    else:
        reply = _static_reply(site, request, {})
    if reply.status == 200:
        reply.headers.append(("Cache-Control", "no-cache"))
    return reply


def _hex(text: str) -> str:
    return "".join(f"\\x{ord(c):02x}" for c in text)


def _jsl_page(site: Site, n: int) -> str:
    """加速乐-style 521 page: a rotated string table, the seed split into two bytes and a
    word, sixteen rounds of arithmetic, ``location.href=location.href``."""
    seed = challenge_seed(site.host, n)
    words = ["cookie", "__jsl_clearance_s", "=", ";max-age=3600;path=/", "toString",
             "href", "location"]
    rotation = 3
    table = words[rotation:] + words[:rotation]  # the script rotates it back
    strings = ",".join(f"'{_hex(w)}'" for w in table)
    return (
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">"
        "</head><body><script>"
        f"var _0x4e1a=[{strings}];"
        "(function(_0x2d8f05,_0x4b81bb){var _0x4d74cb=function(_0x32719f){while(--_0x32719f)"
        "{_0x2d8f05['push'](_0x2d8f05['shift']());}};_0x4d74cb(++_0x4b81bb);}"
        f"(_0x4e1a,0x{len(words) - rotation:x}));"
        "var _0x1c3b=function(_0x5a0e){return _0x4e1a[_0x5a0e-0x0];};"
        f"var _0x7f2c=[0x{seed >> 16:x},0x{(seed >> 8) & 0xff:x},0x{seed & 0xff:x}],"
        f"_0x39d1=0x{_jsl_key(seed):x};"
        "(function(){var _0x1b=(_0x7f2c[0x0]*0x100+_0x7f2c[0x1])*0x100+_0x7f2c[0x2];"
        "for(var _0xi=0x0;_0xi<0x10;_0xi++){_0x1b=(_0x1b*0x41c6+_0x39d1+_0xi)%0x7fffffff;}"
        "document[_0x1c3b(0x0)]=_0x1c3b(0x1)+_0x1c3b(0x2)+_0x1b[_0x1c3b(0x4)](0x10)"
        "+_0x1c3b(0x3);"
        "window[_0x1c3b(0x6)][_0x1c3b(0x5)]=window[_0x1c3b(0x6)][_0x1c3b(0x5)];})();"
        "</script></body></html>")


def _rs_page(site: Site, n: int) -> str:
    """瑞数-style 412 page: the seed as an escaped string in a meta tag's content, the
    cookie's name reversed, a char-code loop, ``location.reload()``."""
    seed = challenge_seed(site.host, n)
    text = format(seed * 0x9E3779B1 % (1 << 64), "016x")
    name = "FSSBBIl1UgzbN7N80T"[::-1]
    return (
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
        f"<meta id=\"9DhefwqGPrzGxEp9hPaoag\" content=\"{text}\" r=\"m\">"
        "</head><body><script type=\"text/javascript\">"
        "(function(_$a,_$b){"
        "var _$c=document.getElementById(_$a).getAttribute(String.fromCharCode(99,111,110,"
        "116,101,110,116)),_$d=5381,_$e=0;"
        "for(;_$e<_$c.length;_$e++){_$d=(_$d*33+_$c.charCodeAt(_$e))%4294967291;}"
        "document.cookie=_$b.split('').reverse().join('')+'='+_$d.toString(36)"
        "+_$c.substr(0,4)+'; path=/';"
        "location[String.fromCharCode(114,101,108,111,97,100)]();"
        f"}})('{_hex('9DhefwqGPrzGxEp9hPaoag')}','{name}');"
        "</script></body></html>")

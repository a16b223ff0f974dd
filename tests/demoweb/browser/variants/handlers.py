"""Generated responses of the browser variant web (``tests/demoweb/browser/variants/``).

Handlers as in ``tests/demoweb/handlers.py``: a route's ``handler: NAME`` in a site's
``site.yaml`` names one, the route's other keys are its options. All names start with
``bv_`` so that none hides a demo handler.

- ``bv_fragment``: an HTML fragment of report rows (``style: table | li``) for a column a
  script fills (``$('#list').load(url)``, ``XMLHttpRequest``); the query must name the
  column (``param``/``value``), else the fragment is empty, as a CMS answers.
- ``bv_articles``: a JSON article list (``shape: portal | ruoyi``) for an app shell.
- ``bv_shell``: one htdocs file for every path of a history-router app (server fallback).
- ``bv_challenge``: a 瑞数/加速乐-like cookie challenge in front of every path of a host
  (``challenge:`` in site.yaml: ``style: ruishu | jsl``, ``status``, ``cookie``, and
  ``uses: N`` or ``ttl: seconds``); with a valid cookie the route's ``inner`` handler (or
  the static file) answers.

The challenge arithmetic is in ``ruishu_token`` and ``jsl_token`` (the pages' scripts
compute the same); ``challenge_seed`` gives a generation's seed. Every body is
deterministic: a challenge page depends only on the host and how many times its token
expired.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from html import escape
from typing import Any
from urllib.parse import parse_qs

from tests.demoweb.handlers import HANDLERS as DEMO_HANDLERS
from tests.demoweb.server import Reply, Request, Site, _static_reply

__all__ = ["HANDLERS", "challenge_seed", "jsl_token", "listed", "ruishu_token"]

HANDLERS: dict[str, Callable[[Site, Request, dict[str, Any]], Reply]] = {}
_LOCK = threading.Lock()


def handler(name: str):
    def register(func):
        HANDLERS[name] = func
        return func
    return register


def _query(request: Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.query).items()}


def _text(site: Site, text: str, content_type: str = "text/html", status: int = 200) -> Reply:
    return Reply(status, text.encode(site.encoding, "xmlcharrefreplace"),
                 [("Content-Type", f"{content_type}; charset={site.encoding}")])


def _json(data: Any) -> Reply:
    return Reply(200, json.dumps(data, ensure_ascii=False).encode("utf-8"),
                 [("Content-Type", "application/json;charset=UTF-8")])


def listed(site: Site) -> list[tuple[str, str, str]]:
    """(title, path, date) of the site's reports, newest first."""
    return sorted(((r.title, r.path, r.published) for r in site.reports),
                  key=lambda row: row[2], reverse=True)


# ------------------------------------------------------------------ script-filled lists
@handler("bv_fragment")
def bv_fragment(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """The rows a column's script puts into its list: ``style: table`` (JEECMS-like
    ``<table>`` of ``<tr>``) or ``li`` (``<li>`` items, no wrapper)."""
    query = _query(request)
    rows = listed(site) if query.get(options["param"]) == str(options["value"]) else []
    if options.get("style") == "table":
        body = "\n".join(f'<tr><td class="bt"><a href="{href}" target="_blank" '
                         f'title="{escape(title)}">{escape(title)}</a></td>'
                         f'<td class="sj">[{date}]</td></tr>' for title, href, date in rows)
        text = (f'<table class="list_table" width="100%" cellspacing="0" cellpadding="0">\n'
                f"{body}\n</table>\n<div class=\"pages\">共{len(rows)}条 1/1页</div>\n")
    else:
        text = "\n".join(f'<li class="news-item"><a href="{href}">{escape(title)}</a>'
                         f"<time>{date}</time></li>" for title, href, date in rows) + "\n"
    return _text(site, text)


@handler("bv_articles")
def bv_articles(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """An app's article list API: ``shape: portal`` (``{"success", "data": {"list"}}``,
    column by ``columnId``) or ``ruoyi`` (``{"code": 200, "rows", "total"}``, by
    ``channelId``). Another column: an empty list."""
    query = _query(request)
    rows = listed(site) if query.get(options["param"]) == str(options["value"]) else []
    if options.get("shape") == "ruoyi":
        return _json({"code": 200, "msg": "查询成功", "total": len(rows), "rows": [
            {"articleId": 1024000 + i, "title": title, "publishDate": date,
             "staticUrl": href, "channelId": options["value"]}
            for i, (title, href, date) in enumerate(rows)]})
    return _json({"success": True, "code": "0000", "data": {
        "pageNo": 1, "pageSize": 10, "total": len(rows), "list": [
            {"id": f"{hashlib.md5(href.encode()).hexdigest()[:16]}", "title": title,
             "link": href, "pubDate": f"{date} 10:00:00", "columnName": options.get("column")}
            for title, href, date in rows]}})


@handler("bv_shell")
def bv_shell(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """The app's ``index.html`` for every client-side route (``try_files $uri /index.html``)."""
    assert site.root is not None
    return _text(site, (site.root / options.get("file", "index.html")).read_text("utf-8"))


# --------------------------------------------------------------------------- challenge
def challenge_seed(host: str, generation: int) -> str:
    """The 16 hex digits a challenge page of ``generation`` carries."""
    return hashlib.sha1(f"{host}|challenge|{generation}".encode()).hexdigest()[:16]


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


def ruishu_token(seed: str) -> str:
    """瑞数-like: ``nsd`` (the seed's first six hex digits as a number) folded with every
    character of ``cd`` (the last ten) as ``h = (h * 33 + code) % 0x7fffffff``; the
    cookie is ``cd``'s first four characters and ``h`` in base 36."""
    nsd, cd = int(seed[:6], 16), seed[6:]
    h = nsd
    for ch in cd:
        h = (h * 33 + ord(ch)) % 0x7FFFFFFF
    return cd[:4] + _base36(h)


def jsl_token(seed: str) -> str:
    """加速乐-like: ``a = ((a ^ (code << (i % 8))) * 31) % 1000003`` from 5381 over the
    seed; the cookie is ``1735689600.<a>|0|<seed>``."""
    a = 5381
    for i, ch in enumerate(seed):
        a = ((a ^ (ord(ch) << (i % 8))) * 31) % 1000003
    return f"1735689600.{a}|0|{seed}"


TOKENS = {"ruishu": ruishu_token, "jsl": jsl_token}


def _cookies(request: Request) -> dict[str, str]:
    jar = {}
    for part in (request.headers.get("Cookie") or "").split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            jar[name] = value
    return jar


def _hex(text: str) -> str:
    return "".join(f"\\x{ord(c):02x}" for c in text)


def _ruishu_page(site: Site, cookie: str, seed: str) -> str:
    names = ["cookie", "reload", "charCodeAt", "toString", "substr", "length", "$_ts", "nsd",
             "cd", "; path=/"]
    table = ",".join(f"'{_hex(n)}'" for n in names)
    return ('<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" '
            f'content="text/html; charset={site.encoding}">\n'
            '<meta http-equiv="Cache-Control" content="no-cache">\n'
            f'<script type="text/javascript">var $_ts=window[\'$_ts\'];if(!$_ts)$_ts={{}};'
            f'$_ts.nsd={int(seed[:6], 16)};$_ts.cd="{seed[6:]}";</script>\n'
            '<script type="text/javascript" r="m">(function(){var _$k=[' + table + '],'
            '_$t=window[_$k[6]],_$h=_$t[_$k[7]],_$c=_$t[_$k[8]],_$i=0;'
            'for(;_$i<_$c[_$k[5]];_$i++){_$h=(_$h*(0x20+1)+_$c[_$k[2]](_$i))%0x7fffffff;}'
            f"document[_$k[0]]='{_hex(cookie)}'+'\\x3d'+_$c[_$k[4]](0,4)+_$h[_$k[3]](0x24)"
            "+_$k[9];location[_$k[1]]();})();</script>\n"
            "</head><body></body></html>\n")


def _jsl_chars(text: str) -> str:
    """``('_')+('_')+('j')...``, digits as ``(-~[]+[])``-style expressions."""
    def one(c: str) -> str:
        if c.isdigit():
            return "(" + "+".join(["-~[]"] * int(c)) + "+[])" if c != "0" else "(+[]+[])"
        return f"('{c}')"
    return "+".join(one(c) for c in text)


def _jsl_page(site: Site, cookie: str, seed: str) -> str:
    return ("<html><body><script>var _0x5e=" + json.dumps(seed) + ",_0xa=5381,_0xi=0;"
            "for(;_0xi<_0x5e['length'];_0xi++){_0xa=((_0xa^(_0x5e['charCodeAt'](_0xi)<<"
            "(_0xi%8)))*31)%1000003;}"
            "document['cookie']=" + _jsl_chars(cookie) + "+('=')+"
            + _jsl_chars("1735689600") + "+('.')+_0xa+('|')+(+[]+[])+('|')+_0x5e+"
            "(';')+(' ')+('p')+('a')+('t')+('h')+('=')+('/');"
            "setTimeout('location.href=location.pathname+location.search.replace(/[\\?|&]"
            "captcha-challenge/,\\'\\')',300);</script></body></html>\n")


class _Gate:
    """One host's challenge: the token generation, its uses and its first use."""

    def __init__(self) -> None:
        self.generation = 0
        self.uses = 0
        self.first = 0.0


def _gate(site: Site) -> _Gate:
    gate = site.__dict__.get("_bv_gate")
    if gate is None:
        gate = site.__dict__["_bv_gate"] = _Gate()
    return gate


def admit(site: Site, request: Request) -> tuple[bool, int]:
    """(whether the request carries the current, unexpired token, the generation)."""
    config = site.meta["challenge"]
    with _LOCK:
        gate = _gate(site)
        spent = (("uses" in config and gate.uses >= int(config["uses"]))
                 or ("ttl" in config and gate.uses
                     and time.monotonic() - gate.first > float(config["ttl"])))
        if spent:
            gate.generation, gate.uses, gate.first = gate.generation + 1, 0, 0.0
        seed = challenge_seed(site.host, gate.generation)
        if _cookies(request).get(config["cookie"]) != TOKENS[config["style"]](seed):
            return False, gate.generation
        if gate.uses == 0:
            gate.first = time.monotonic()
        gate.uses += 1
        return True, gate.generation


@handler("bv_challenge")
def bv_challenge(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """Every path of a challenge host: the challenge page (``challenge.status``) without
    the current token, else what the route's ``inner`` handler (or the file) answers."""
    config = site.meta["challenge"]
    ok, generation = admit(site, request)
    if ok:
        inner = options.get("inner")
        if inner:
            return {**DEMO_HANDLERS, **HANDLERS}[inner](site, request, options)
        return _static_reply(site, request, options)
    seed = challenge_seed(site.host, generation)
    if config["style"] == "ruishu":
        reply = _text(site, _ruishu_page(site, config["cookie"], seed),
                      status=int(config["status"]))
    else:
        reply = _text(site, _jsl_page(site, config["cookie"], seed), status=int(config["status"]))
        uid = hashlib.md5(f"{site.host}|jsluid".encode()).hexdigest()
        reply.headers.append(("Set-Cookie", f"__jsluid_h={uid}; max-age=31536000; path=/; "
                                            "HttpOnly"))
    reply.headers.append(("Cache-Control", "no-cache, no-store"))
    return reply

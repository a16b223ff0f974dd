"""The rules that send a page to the browser (crawler/discovery/escalation.py), as tables:
pages shaped like the kinds real agency sites serve, each with the reason it needs a
browser or None. No crawl, no browser."""

from __future__ import annotations

import pytest

from crawler.discovery.escalation import (
    PageView,
    agency_escalations,
    is_challenge,
    page_escalation,
    visible_text,
)

ARTICLE = "<p>" + "省政府办公厅关于做好政府信息公开工作的通知。" * 20 + "</p>"


def page(body: str, head: str = "") -> str:
    return f"<html><head><title>t</title>{head}</head><body>{body}</body></html>"


CHALLENGES = [
    # 瑞数-like: 412, an obfuscated script, no text
    (412, page('<meta id="x9" content="a8f3"><script>var _$a=document.getElementById("x9")'
               '.content;document.cookie="FSSB="+_$a+";path=/";location.reload();</script>')),
    # 加速乐-like: 521 and a script that writes the cookie and assigns location
    (521, page("<script>document.cookie=('__jsl_clearance=1700000000.1|0|'+(function(){"
               "return 'x'})())+';max-age=3600;path=/';location.href=location.pathname"
               "+location.search</script>")),
    # a 202 whose script comes from elsewhere: status and no text say enough
    (202, page('<script src="/ts/9f8e7d.js" r="m"></script>')),
    # 200, but a page that only sets a cookie and reloads
    (200, page("<script>document.cookie='t='+(7*13);window.location.reload()</script>")),
    # the 瑞数 marker, even with some text on the page
    (412, page("<script>$_ts=window['$_ts'];$_ts.nsd=1</script>" + "请稍候" * 100)),
]


@pytest.mark.parametrize(("status", "html"), CHALLENGES)
def test_challenges_are_told(status: int, html: str) -> None:
    assert is_challenge(status, html)
    assert page_escalation(PageView(status, html, "start", leads=0)) == "challenge"


NOT_CHALLENGES = [
    (412, page("<h1>412 Precondition Failed</h1>")),  # no script: an error, not a challenge
    (200, page(ARTICLE + "<script>var _hmt=_hmt||[];document.cookie='visited=1'</script>")),
    (202, page(ARTICLE + "<script>console.log(1)</script>")),  # a real page, accepted
    (404, page("<script>location.reload()</script>")),
]


@pytest.mark.parametrize(("status", "html"), NOT_CHALLENGES)
def test_what_is_no_challenge(status: int, html: str) -> None:
    assert not is_challenge(status, html)


NEEDS_BROWSER = [
    ("start", page('<script>var p=["por","tal"].join("");window.location.href="/"+p+"/";'
                   "</script>"), "script navigation"),
    ("start", page('<script>location.replace("/" + "web" + "/index.shtml")</script>'),
     "script navigation"),
    ("start", page("<script>top.location = base + 'index.htm';</script>"), "script navigation"),
    ("start", page("<script>document.write('<meta http-equiv=\"refresh\" content=\"0;url='"
                   "+u+'\">')</script>"), "script navigation"),
    ("start", page("<script>setTimeout(function(){window.location='/n/'},100)</script>"),
     "script navigation"),
    ("area", page('<div id="app"></div><script src="/static/js/chunk-vendors.4d2.js">'
                  '</script><script src="/static/js/app.8c1.js"></script>'), "app shell"),
    ("list", page('<div id="root"></div><script type="module" src="/assets/index.js">'
                  "</script>"), "app shell"),
    ("area", page("<noscript>请开启JavaScript后访问</noscript><div class=\"x\"></div>"
                  '<script src="/js/main.js"></script>'), "app shell"),
    ("list", page('<ul id="list"></ul><script>var x=new XMLHttpRequest();x.open("GET",'
                  'u+"&page=1");x.onload=function(){list.innerHTML=x.responseText};x.send()'
                  "</script>"), "list by script"),
    ("list", page("<ul><script>for(var i=0;i<d.length;i++)document.write('<li><a href=\"'"
                  "+b+d[i].u+'\">'+d[i].t+'</a></li>')</script></ul>"), "list by script"),
    ("area", page("<div id=\"box\"></div><script>$('#box').load('/module/menu.jsp')</script>"),
     "built by script"),
    ("area", page('<div class="nav"></div><script src="/js/nav.js"></script>'),
     "built by script"),
]


@pytest.mark.parametrize(("role", "html", "reason"), NEEDS_BROWSER)
def test_pages_a_reader_needs_a_browser_for(role: str, html: str, reason: str) -> None:
    assert page_escalation(PageView(200, html, role, leads=0)) == reason


def test_a_page_that_leads_on_stays_static() -> None:
    shell = page('<div id="app"></div><script src="/js/app.js"></script>')
    assert page_escalation(PageView(200, shell, "area", leads=0)) == "app shell"
    assert page_escalation(PageView(200, shell, "area", leads=3)) is None


@pytest.mark.parametrize("html", [
    page(ARTICLE),  # no script: nothing a browser would add
    page(ARTICLE + "<script>var _hmt = _hmt || [];</script>"),  # analytics on an article
])
def test_pages_without_scripts_that_matter_stay_static(html: str) -> None:
    assert page_escalation(PageView(200, html, "area", leads=0)) is None


def test_a_list_saying_it_is_empty_is_no_list_by_script() -> None:
    html = page("<p>暂无数据</p><script src='/js/common.js'></script>")
    assert page_escalation(PageView(200, html, "list", 0, shown_empty=True)) is None
    assert page_escalation(PageView(200, html, "list", 0)) == "list by script"


@pytest.mark.parametrize("role", ["report", "part", "document", "attachment"])
def test_reports_go_to_the_browser_only_behind_a_challenge(role: str) -> None:
    shell = page('<div id="app"></div><script src="/js/app.js"></script>')
    assert page_escalation(PageView(200, shell, role, leads=0)) is None
    challenge = page("<script>document.cookie='a=1';location.reload()</script>")
    assert page_escalation(PageView(412, challenge, role, leads=0)) == "challenge"


def test_visible_text_leaves_scripts_and_tags_out() -> None:
    html = page("<script>var a='很多字很多字'</script><style>p{}</style><p>正文&nbsp;内容</p>")
    assert visible_text(html) == "t 正文 内容"


def test_agency_escalations_by_status() -> None:
    pages, columns = ["http://a/", "http://a/xxgk/"], ["http://a/col/1/"]
    assert agency_escalations("no report column found", pages, [], [], []) == [
        ("http://a/", "no report column"), ("http://a/xxgk/", "no report column")]
    assert agency_escalations("no report found", pages, columns, [], []) == [
        ("http://a/col/1/", "no report")]
    assert agency_escalations("incomplete: x", pages, columns, columns, []) == [
        ("http://a/col/1/", "list short")]
    # a page rendered before is never sent again; at most `limit`
    assert agency_escalations("no report column found", pages, [], [], ["http://a/"]) == [
        ("http://a/xxgk/", "no report column")]
    many = [f"http://a/{n}" for n in range(10)]
    assert len(agency_escalations("no report column found", many, [], [], [], limit=4)) == 4

"""What a reader would click (crawler/discovery/actions.py) and the rule that sends a page
with such controls to the browser (crawler/discovery/escalation.py), as tables. No crawl,
no browser."""

from __future__ import annotations

import pytest

from crawler.discovery.actions import (
    Control,
    barren,
    context_of,
    control_kind,
    is_next,
    page_controls,
    refusal,
)
from crawler.discovery.escalation import PageView, browser_shortfall, page_escalation

KINDS = [
    (Control("a", "下一页", "javascript:__doPostBack('ctl00$Main$pager','2')"), "pager"),
    (Control("a", "2", "javascript:goPage(2)"), "pager"),
    (Control("span", "尾页", None, onclick=True), "pager"),
    (Control("a", "›", "#"), "pager"),
    (Control("button", "加载更多"), "more"),
    (Control("a", "点击查看更多", "javascript:;"), "more"),
    (Control("div", "load more", None, onclick=True), "more"),
    (Control("a", "贵州省交通运输厅2023年政府信息公开工作年度报告", "javascript:void(0)",
             onclick=True), "row"),
    (Control("tr", "关于印发全省交通运输工作要点的通知", None, onclick=True), "row"),
    (Control("li", "政府信息公开年报", None, onclick=True, classes="tab-item"), "tab"),
    (Control("li", "年报", None, onclick=False, role="tab"), "tab"),  # a listener, unseen
    (Control("span", "法定主动公开", None, onclick=True, role="tab"), "tab"),
    (Control("select", "", options=("2024", "2023", "2022"), onchange=False), "choice"),
    (Control("select", "", options=("省发展改革委", "省教育厅"), onchange=True), "choice"),
]


@pytest.mark.parametrize(("control", "kind"), KINDS)
def test_what_a_reader_would_click(control: Control, kind: str | None) -> None:
    assert control_kind(control) == kind


NOT_CONTROLS = [
    Control("a", "下一页", "/col/col1/index_2.html"),  # a real link: followed statically
    Control("a", "贵州省交通运输厅2023年政府信息公开工作年度报告", "/art/1.html"),
    Control("a", "打印", "javascript:window.print()"),  # too short to be a row
    Control("select", "", options=("请选择",), onchange=True),  # nothing to choose
    Control("select", "", options=("A", "B"), onchange=False),  # no change handler, no years
    Control("span", "", None, onclick=True),
]


@pytest.mark.parametrize("control", NOT_CONTROLS)
def test_what_needs_no_action(control: Control) -> None:
    assert control_kind(control) is None


def test_the_next_page_is_told_from_page_numbers() -> None:
    assert is_next(Control("a", "下一页", "javascript:goPage(2)"))
    assert is_next(Control("a", " » ", "javascript:;"))
    assert not is_next(Control("a", "3", "javascript:goPage(3)"))


POSTBACK = """<form id="form1" method="post"><input type="hidden" name="__VIEWSTATE" value="x">
<ul><li><a href="/art/1.html">贵州省商务厅2024年政府信息公开工作年度报告</a></li></ul>
<div class="pager"><span>1</span> <a href="javascript:__doPostBack('pager','2')">2</a>
<a href="javascript:__doPostBack('pager','2')">下一页</a></div></form>"""
ROWS = """<ul><li><a href="javascript:void(0)" onclick="openDetail('4711')">
贵州省水利厅2023年政府信息公开工作年度报告</a></li></ul><script src="/js/common.js"></script>"""
MORE = """<ul id="list"><li><a href="/art/1.html">贵州省2024年政府信息公开工作年度报告</a></li></ul>
<button class="load-more">加载更多</button>"""
YEARS = """<select id="year" onchange="changeYear(this.value)"><option>2024</option>
<option>2023</option></select><ul><li><a href="/a.html">2024年报</a></li></ul>"""
SCROLL = """<ul id="list"><li><a href="/art/1.html">2024年报</a></li></ul><div id="more"></div>
<script>new IntersectionObserver(function(e){load()}).observe(document.getElementById('more'))
</script>"""


@pytest.mark.parametrize(("html", "reason"), [
    (POSTBACK, "script pager"), (ROWS, "script rows"), (MORE, "load more"), (YEARS, "choices"),
    (SCROLL, "scroll")])
def test_a_list_with_controls_goes_to_the_browser_whatever_it_gave(html: str,
                                                                    reason: str) -> None:
    assert page_escalation(PageView(200, f"<html><body>{html}</body></html>", "list",
                                    leads=2)) == reason


def test_a_script_pager_the_static_reading_turns_needs_no_browser() -> None:
    page = f"<html><body>{POSTBACK}</body></html>"
    assert page_escalation(PageView(200, page, "list", leads=2, planned=1)) is None


def test_controls_on_a_start_page_or_a_report_are_left_alone() -> None:
    page = f"<html><body>{YEARS}{MORE}</body></html>"
    assert page_escalation(PageView(200, page, "start", leads=3)) is None
    assert page_escalation(PageView(200, page, "report", leads=0)) is None


def test_a_forms_page_numbers_count_as_a_pager_not_as_choices() -> None:
    """Read as URLs by the static pager (``PageLinks``): with its pages planned, the list
    needs no browser; a drop-down of years still does."""
    form = ('<form method="get"><select name="page" onchange="this.form.submit()">'
            '<option value="1">1</option><option value="2">2</option></select></form>')
    years = '<select onchange="go(this.value)"><option>2024</option><option>2023</option></select>'
    assert page_controls(f"<html><body>{form}</body></html>") == {"pager": 1}
    assert page_controls(f"<html><body>{years}</body></html>") == {"choice": 1}
    posted = form.replace('method="get"', 'method="post"')  # not URLs: the browser's
    assert page_controls(f"<html><body>{posted}</body></html>") == {"choice": 1}


def test_page_controls_counts_by_kind_and_skips_plain_links() -> None:
    kinds = page_controls(f"<html><body>{POSTBACK}{ROWS}{MORE}</body></html>")
    assert kinds["pager"] == 2 and kinds["row"] == 1 and kinds["more"] == 1
    assert page_controls("<html><body><a href='/x'>下一页</a></body></html>") == {}


# ------------------------------------------------------------------ traps stay traps
REFUSED = [
    (Control("button", "搜索"), "submits"),
    (Control("input", "站内搜索"), "submits"),
    (Control("a", "登 录", "javascript:void(0)", onclick=True), "submits"),
    (Control("a", "政府信息公开年度报告", "javascript:void(0)", onclick=True,
             context=context_of("", "hotSearch('政府信息公开年度报告')", "")), "search form"),
    (Control("a", "下一页", "javascript:void(0)", onclick=True,
             context=context_of("input text searchword search.do", "", "")), "search form"),
    (Control("a", "确定", "javascript:void(0)", onclick=True,
             context=context_of("input text user input password pwd", "", "")), "login form"),
    (Control("span", "查看留言回复", None, onclick=True,
             context=context_of("textarea  content", "", "")), "comment form"),
    (Control("td", "›", None, onclick=True,
             context=context_of("", "nextMonth()", "cal-body layui-laydate")), "calendar"),
]


@pytest.mark.parametrize(("control", "why"), REFUSED)
def test_search_login_comment_forms_and_calendars_are_never_acted_on(control: Control,
                                                                      why: str) -> None:
    assert refusal(control) == why
    assert control_kind(control) is None


def test_a_page_wide_form_is_no_context_and_a_pager_function_no_search() -> None:
    """ASP.NET wraps the whole page in one form (its search box too): its pager is still
    a pager. A pager calling ``queryList(2)`` is no search."""
    page = ("<form id='form1' action='NewsList.aspx'><input name='__VIEWSTATE' type='hidden'>"
            "<input name='keyword'><input type='submit' value='搜索'>"
            + "".join(f"<a href='/a/{i}.html'>通知{i}</a>" for i in range(8)) +
            "<a href=\"javascript:__doPostBack('pager','2')\">下一页</a></form>"
            "<a href='javascript:void(0)' onclick='queryList(3)'>3</a>")
    assert page_controls(page)["pager"] == 2
    search_box = ("<form action='/search.do'><input name='q'>"
                  "<a href='javascript:void(0)' onclick='go(2)'>下一页</a></form>")
    assert page_controls(search_box)["pager"] == 0


def test_steps_that_reveal_no_report_are_barren() -> None:
    news = [["关于召开会议的通知", "市场监管动态"]] * 3
    assert barren(news, 3)
    assert not barren(news, 4)  # not yet as many steps as the limit
    assert not barren([*news[:2], ["四川省教育厅2021年政府信息公开工作年度报告"]], 3)
    assert not barren([*news[:2], []], 3)  # a step revealing nothing ends a behaviour anyway
    assert not barren(news, 0)  # no limit


def test_a_list_the_browser_stopped_reading_says_n_of_m() -> None:
    assert browser_shortfall(6, 12, "pager: 40 actions") == \
        "list read by browser, 6 of 12 records (stopped at pager: 40 actions)"
    assert browser_shortfall(6, None, "scroll: 40 actions").startswith(
        "list read by browser, 6 records, more unread")

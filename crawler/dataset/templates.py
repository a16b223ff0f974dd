"""The audit pages' templates (Jinja2, autoescaped): markup, style and the sort script.

Kept as strings in a module rather than files so that the package needs no data files
to install. Everything a page needs is inside it (no CDN, no web font, no script
library): it opens from a USB stick. The few lines of script only add sort buttons
to table headers; without them the tables read the same.
"""

from __future__ import annotations

__all__ = ["AGENCY", "INDEX"]

_CSS = """
body{font:14px/1.45 system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;
 margin:1.5rem;color:#222;max-width:1600px}
h1{font-size:1.5rem;margin:0 0 .3rem}h2{font-size:1.15rem;margin:2rem 0 .5rem}
small,.muted{color:#666}a{color:#0b57d0}
table{border-collapse:collapse;margin:.5rem 0}
th,td{border:1px solid #ddd;padding:.2rem .4rem;text-align:left;vertical-align:top}
thead th{background:#f3f3f3;position:sticky;top:0;z-index:1}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.wrap{overflow:auto;max-height:80vh;border:1px solid #ddd}
table.matrix td{white-space:nowrap;text-align:center;min-width:2.6rem}
table.matrix tbody th{position:sticky;left:0;background:#fff;white-space:nowrap}
td.ok{background:#e6f4ea}td.problem{background:#fde7cf}td.unknown{background:#eeeeee}
td.missing{background:#f9d0d0;color:#8b0000}td.none{background:#fafafa}
tr.missing>*{background:#f9d0d0}tr.problem>*{background:#fde7cf}tr.unknown>*{background:#eee}
a.json,a.replay{font-size:.75em;color:#555;text-decoration:none;margin-left:.15rem}
table.matrix a.mark{text-decoration:none}nav.out{margin-top:.3rem}
th button{font:inherit;font-weight:bold;border:0;background:none;cursor:pointer;padding:0}
th[aria-sort=ascending] button::after{content:" ▲"}
th[aria-sort=descending] button::after{content:" ▼"}
figure{margin:.5rem 0 1rem}figcaption{font-weight:bold;margin-bottom:.2rem}
svg{max-width:100%;height:auto}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));gap:0 1.5rem}
dl.legend{display:flex;flex-wrap:wrap;gap:.1rem 1.2rem;font-size:.9em;margin:.4rem 0}
dl.legend div{display:flex;gap:.35rem}dl.legend dt{font-weight:bold}dl.legend dd{margin:0}
section.year{border-top:1px solid #ddd;margin-top:1rem}
"""

_SORT = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("thead th").forEach(function (th, index) {
    var button = document.createElement("button");
    button.type = "button";
    while (th.firstChild) button.appendChild(th.firstChild);
    th.appendChild(button);
    button.addEventListener("click", function () { sortBy(table, th, index); });
  });
});
function sortKey(cell) {
  var value = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
  var number = parseFloat(value);
  return isNaN(number) ? value : number;
}
function sortBy(table, th, index) {
  var ascending = th.getAttribute("aria-sort") !== "ascending";
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  rows.sort(function (a, b) {
    var x = sortKey(a.cells[index]), y = sortKey(b.cells[index]);
    var order = (typeof x === "number" && typeof y === "number") ? x - y
      : String(x).localeCompare(String(y), "zh-CN");
    return ascending ? order : -order;
  });
  table.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
  th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  rows.forEach(function (row) { table.tBodies[0].appendChild(row); });
}
"""

_HEAD = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title><style>""" + _CSS + """</style></head><body>
"""
_FOOT = "<script>" + _SORT + "</script></body></html>\n"

_LEGEND = """<dl class="legend">
{% for mark, meaning in legend %}<div><dt>{{ mark }}</dt><dd>{{ meaning }}</dd></div>{% endfor %}
</dl>"""

INDEX = _HEAD + """
<header><h1>政府信息公开工作年度报告 · transparency audit</h1>
<p>As of {{ meta.as_of }}: reports due up to the year {{ meta.latest_year_due }}
(a year's report is due by 31 January of the next). {{ meta.reports }} reports,
{{ meta.versions }} versions, {{ agencies|length }} agencies.
{% if meta.reports_without_year != "0" %}{{ meta.reports_without_year }} reports without a
year are not in the matrix (the dataset's versions table has them).{% endif %}
Each mark links to the year on its agency's page (versions, WARC records, item JSON);
<code>{}</code> is the report's item, ▶ its replay in pywb ({{ links.replay }}, when
<code>make replay</code> runs).</p>
<nav><a href="#provinces">Provinces</a> · <a href="#on-time">On time</a> ·
<a href="#matrix">Agencies × years</a> · <a href="#requests">Requests</a></nav>
<nav class="out">Elsewhere: <a class="datasette" href="{{ links.dataset }}">the dataset in
Datasette</a> (<code>make explore</code>) ·
<a class="search" href="{{ links.dataset }}/search_reports">search the reports' text
全文检索</a> · <a class="listing" href="{{ links.listing }}">the archived pages in replay</a>
(<code>make replay</code>)</nav></header>

<h2 id="provinces">Per province 各省汇总</h2>
<table class="summary sortable"><thead><tr>
{% for key, text in province_columns %}<th>{{ text }}</th>{% endfor %}</tr></thead><tbody>
{% for row in provinces %}<tr>
{% for key, text in province_columns %}{% if loop.first %}
<th scope="row"><a href="#requests-{{ row.province }}">{{ row.province or "?" }}</a></th>
{% else %}<td class="n">{{ row[key] if row[key] is not none else "" }}</td>{% endif %}{% endfor %}
</tr>{% endfor %}</tbody></table>

<h2 id="on-time">Reports on time 按时公开</h2>
<figure class="chart" id="chart-on-time">{{ on_time_svg|safe }}</figure>

<h2 id="matrix">Agencies × years 机关 × 年度</h2>""" + _LEGEND + """
<div class="wrap"><table class="matrix sortable" id="audit-matrix"><thead><tr>
<th>Agency 机关</th><th>Province 省份</th>
{% for year in years %}<th>{{ year }}</th>{% endfor %}
<th>Published 已公开</th><th>Problems 问题</th></tr></thead><tbody>
{% for agency in agencies %}<tr>
<th scope="row" data-sort="{{ agency.agency }}">
<a href="{{ agency.page }}">{{ agency.agency or agency.agency_id }}</a></th>
<td>{{ agency.province or "" }}</td>
{% for year in years %}{% set cell = agency.cells.get(year) %}{% if cell %}
<td class="{{ cell.css }}" data-sort="{{ cell.score }}" title="{{ cell.title }}">
<a class="mark" href="{{ agency.page }}#y{{ year }}">{{ cell.marks }}</a>
{%- if cell.item %}<a class="json" href="{{ cell.item }}" title="the item (JSON)">{}</a>
{%- endif %}
{%- if cell.replay %}<a class="replay" href="{{ cell.replay }}"
 title="replay in pywb (make replay)">▶</a>{% endif %}</td>
{% else %}<td class="none" data-sort="-1"></td>{% endif %}{% endfor %}
<td class="n" data-sort="{{ agency.published_share }}">
{{- agency.published }}/{{ agency.due }}</td>
<td class="n">{{ agency.problems }}</td></tr>
{% endfor %}</tbody></table></div>
<h2 id="requests">Requests and their outcomes 依申请公开 (表三)</h2>
<p class="muted">Bars: 三 results (予以公开 granted, 部分公开 partly granted, 不予公开 denied,
无法提供 unavailable, 不予处理 rejected, 其他处理 other); line: 本年新收 received.</p>
<div class="charts">{% for chart in province_charts %}
<figure class="chart" id="requests-{{ chart.province }}">
<figcaption>{{ chart.province }}</figcaption>{{ chart.svg|safe }}</figure>
{% endfor %}</div>

""" + _FOOT

AGENCY = _HEAD + """
<p><a href="../index.html#matrix">← the audit</a> ·
<a class="datasette" href="{{ rows }}">its reports in Datasette</a> ·
<a class="listing" href="{{ links.listing }}">the archived pages in replay</a></p>
<h1>{{ agency.agency or agency.agency_id }}</h1>
<p>{{ agency.province or "" }}{% if agency.province_en %} ({{ agency.province_en }}){% endif %}
{%- if agency.agency_pinyin %} · {{ agency.agency_pinyin }}{% endif %} ·
<code>{{ agency.agency_id }}</code>
{% if agency.host %} · {{ agency.host }}
({{ agency.cms }}, crawl: {{ agency.crawl_status }}){% endif %}</p>
{% if chart %}<figure class="chart">{{ chart|safe }}</figure>{% endif %}
""" + _LEGEND + """
<table class="sortable"><thead><tr><th>Year 年度</th><th>Status</th><th>Published 公开日期</th>
<th>On time 按时</th><th>Sections 六部分</th><th>Tables 表格</th><th>Identities 勾稽关系</th>
<th>Carry-over 结转</th><th>Spam</th><th>Revised 修改</th></tr></thead><tbody>
{% for row in years %}<tr class="{{ row.cell.css }}">
<th scope="row"><a href="#y{{ row.year }}">{{ row.year }}</a></th><td>{{ row.status }}</td>
<td>{{ row.publish_date or "" }}</td><td>{{ row.on_time or "" }}</td>
<td>{{ row.sections or "" }}
 {%- if row.sections_missing %} (no {{ row.sections_missing }}){% endif %}</td>
<td>{{ row.tables or "" }}
 {%- if row.tables in ("missing", "images") %} (no {{ row.tables_missing }}){% endif %}</td>
<td>{{ row.identities or "" }}{% if row.checks %} ({{ row.checks }}){% endif %}</td>
<td>{{ row.cross_year or "" }}
 {%- if row.carry_over_breaks %} ({{ row.carry_over_breaks }}){% endif %}</td>
<td>{{ "yes" if row.spam else "" }}</td><td>{{ row.revised or "" }}</td></tr>
{% endfor %}</tbody></table>

{% for row in years %}<section class="year" id="y{{ row.year }}">
<h2>{{ row.year }}: {% if row.title %}{{ row.title }}{% else %}no report found
(due {{ row.deadline }}){% endif %}</h2>
{% for report in row.reports %}
<p id="r-{{ report.report_id }}"><code>{{ report.report_id }}</code> ·
<a href="{{ report.url }}">{{ report.url }}</a></p>
<ul>{% for v in report.versions %}
<li>version {{ v.version }}{% if v.is_latest %} (latest){% endif %},
captured {{ v.warc_date or "?" }}, run {{ v.run_id or "?" }}
{%- if v.revision_kind %}, {{ v.revision_kind }} revision{% endif %}:
<a class="json" href="{{ v.item }}">item JSON</a> ·
<a class="row" href="{{ v.row }}">dataset row</a>
{%- if v.warc_filename %} · WARC record <code>{{ v.warc_filename }}</code> at offset
{{ v.warc_offset }}{% endif %}
{%- if v.replay %} · <a class="replay" href="{{ v.replay }}">replay</a>{% endif %}
{% if v.revised_cells %}<ul>{% for c in v.revised_cells %}
<li><code>{{ c.table_name }}.{{ c.row_key }}.{{ c.column_key }}</code>:
{{ c.old_value|printed }} → {{ c.new_value|printed }}</li>{% endfor %}</ul>{% endif %}
</li>{% endfor %}</ul>
{% if report.checks %}<p>Identities broken:</p>
<ul>{% for m in report.checks %}<li>{{ m }}</li>{% endfor %}</ul>{% endif %}
{% if report.flags %}<p>Flags:</p>
<ul>{% for m in report.flags %}<li>{{ m }}</li>{% endfor %}</ul>{% endif %}
{% endfor %}
{% if row.breaks %}
<p>Carry-over breaks (四 结转下年度 of one year ≠ 二 上年结转 of the next):</p><ul>
{% for b in row.breaks %}<li>{{ b.applicant }}:
{{ b.year }} carried forward {{ b.carried_forward|printed }}
(<a href="#r-{{ b.report_id }}">{{ b.year }}</a>),
{{ b.next_year }} carried over {{ b.carried_over|printed }}
(<a href="#r-{{ b.next_report_id }}">{{ b.next_year }}</a>)</li>{% endfor %}</ul>{% endif %}
</section>{% endfor %}
""" + _FOOT

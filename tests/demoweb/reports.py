"""Annual reports for the demo web, rendered the way Word/WPS exports look on real sites.

Numbers are drawn from a seed (agency and year), so every page is the same on
every run, and ``report_numbers`` gives the tests the truth to compare with.
The 2021 and 2019 layouts follow 国办公开办函〔2021〕30号 and 〔2019〕60号; the
markup follows the real pages in ``shared/fixtures/real`` (nested span/font,
``&nbsp;`` blank cells, rowspan/colspan, labels split by ``<br>``).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from html import escape

APPLICANTS = ["natural_person", "commercial", "research", "public_interest", "legal_services",
              "other_org"]
RESULT_GROUPS: list[tuple[str, list[tuple[str, str]]]] = [
    ("（一）予以公开", [("granted", "")]),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [("partly_granted", "")]),
    ("（三）不予公开", [
        ("denied_state_secret", "1.属于国家秘密"),
        ("denied_prohibited_by_law", "2.其他法律行政法规禁止公开"),
        ("denied_security_stability", "3.危及“三安全一稳定”"),
        ("denied_third_party", "4.保护第三方合法权益"),
        ("denied_internal_affairs", "5.属于三类内部事务信息"),
        ("denied_process_info", "6.属于四类过程性信息"),
        ("denied_enforcement_file", "7.属于行政执法案卷"),
        ("denied_inquiry", "8.属于行政查询事项")]),
    ("（四）无法提供", [
        ("unavailable_not_held", "1.本机关不掌握相关政府信息"),
        ("unavailable_needs_creation", "2.没有现成信息需要另行制作"),
        ("unavailable_unclear", "3.补正后申请内容仍不明确")]),
    ("（五）不予处理", [
        ("rejected_petition", "1.信访举报投诉类申请"),
        ("rejected_duplicate", "2.重复申请"),
        ("rejected_publication", "3.要求提供公开出版物"),
        ("rejected_mass_repeat", "4.无正当理由大量反复申请"),
        ("rejected_reconfirm", "5.要求行政机关确认或重新出具已获取信息")]),
]
OTHER_2021 = ("（六）其他处理", [
    ("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_misc", "3.其他")])
OTHER_2019 = ("（六）其他处理", [("other_handling", "")])
OUTCOMES = ["upheld", "corrected", "other", "pending", "total"]
OUTCOME_LABELS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


@dataclass
class ReportSpec:
    agency: str
    year: int
    format: str = ""  # "2021" | "2019" | "pre2019"; default by year
    published: str = ""
    render: dict = field(default_factory=dict)  # markup options: {amount_unit: header}

    def __post_init__(self) -> None:
        if not self.format:
            self.format = "2021" if self.year >= 2021 else "2019" if self.year >= 2019 else "pre2019"


def _rng(spec: ReportSpec) -> random.Random:
    """The report's numbers; ``render: {edition: 2}`` is the same report edited after
    publication (other numbers, as agencies quietly correct them)."""
    edition = spec.render.get("edition")
    seed = f"{spec.agency}|{spec.year}" + (f"|{edition}" if edition else "")
    return random.Random(hashlib.sha1(seed.encode()).hexdigest())


def result_keys(fmt: str) -> list[str]:
    groups = RESULT_GROUPS + [OTHER_2021 if fmt == "2021" else OTHER_2019]
    return [key for _, rows in groups for key, _ in rows]


def _carried_forward(agency: str, year: int, col: int) -> int:
    """Requests of column ``col`` an agency's year-``year`` report leaves pending."""
    rng = random.Random(hashlib.sha1(f"{agency}|{year}|carried|{col}".encode()).hexdigest())
    return rng.randint(0, 2) if col < 2 else rng.choice((0, 0, 0, 1))


def report_numbers(spec: ReportSpec) -> dict:
    """The statistics a report shows, as the extractor should read them."""
    rng = _rng(spec)
    requests: dict[str, dict[str, int | None]] = {}
    results = {key: [0] * 6 for key in result_keys(spec.format)}
    received, carried = [0] * 6, [0] * 6
    forward = [0] * 6
    for col, weight in enumerate([30, 8, 1, 1, 1, 2]):
        # What a year carries forward the next year's report carries over, as they print it.
        carried[col] = _carried_forward(spec.agency, spec.year - 1, col)
        forward[col] = _carried_forward(spec.agency, spec.year, col)
        received[col] = max(rng.randint(0, weight), forward[col] - carried[col])
        remaining = received[col] + carried[col] - forward[col]
        keys = list(results)
        for _ in range(remaining):
            key = keys[0] if rng.random() < 0.6 else rng.choice(keys)
            results[key][col] += 1
    rows = {"new_received": received, "carried_over": carried, **results,
            "total_processed": [sum(results[k][c] for k in results) for c in range(6)],
            "carried_forward": forward}
    sub_rows = [key for key, _ in OTHER_2021[1]]
    if spec.format == "2021":  # other_handling: the （六） total, their sum (not printed)
        rows["other_handling"] = [sum(results[k][c] for k in sub_rows) for c in range(6)]
    for key, values in rows.items():
        # natural persons always printed; organisations' zero cells often left blank
        requests[key] = {col: (v if v or i == 0 else None)
                         for i, (col, v) in enumerate(zip(APPLICANTS, values, strict=True))}
        requests[key]["total"] = sum(values)
    appeals = {}
    for kind in ("review", "litigation_direct", "litigation_after_review"):
        counts = [rng.randint(0, 2) for _ in range(4)]
        appeals[kind] = dict(zip(OUTCOMES, counts + [sum(counts)], strict=True))
    numbers = {"proactive": _proactive(spec, rng), "requests": requests, "appeals": appeals}
    return _with_problem(spec.render.get("problem"), numbers)


def _with_problem(problem: str | None, numbers: dict) -> dict:
    """``render: {problem: ...}``: numbers as agencies get them wrong (the audit's marks).
    ``broken_identity``: table 四's 行政复议 total two more than its outcomes;
    ``carry_over``: 上年结转 two more than last year's 结转下年度 (the year's own sum kept:
    two fewer new requests, or two more carried forward)."""
    requests = numbers["requests"]
    if problem == "broken_identity":
        numbers["appeals"]["review"]["total"] += 2
    elif problem == "carry_over":
        _shift(requests["carried_over"], 2)
        if (requests["new_received"]["natural_person"] or 0) >= 2:
            _shift(requests["new_received"], -2)
        else:
            _shift(requests["carried_forward"], 2)
    return numbers


def _shift(row: dict, by: int) -> None:
    row["natural_person"] = (row["natural_person"] or 0) + by
    row["total"] += by


def _proactive(spec: ReportSpec, rng: random.Random) -> dict:
    if spec.format == "2021":
        docs = {k: {"issued": rng.randint(0, 9), "repealed": rng.randint(0, 3),
                    "in_force": rng.randint(10, 80)} for k in ("rules", "normative_documents")}
        return {**docs,
                "licensing": {"decisions": rng.randint(0, 5000)},
                "penalties": {"decisions": rng.randint(0, 300)},
                "enforcement": {"decisions": rng.randint(0, 20)},
                "fees": {"amount_10k_yuan": round(rng.uniform(0, 50), 2)}}
    made = {k: rng.randint(0, 9) for k in ("rules", "normative_documents")}
    return {
        **{k: {"made": v, "published": v, "total_public": v + rng.randint(10, 90)}
           for k, v in made.items()},
        **{k: {"items_prev_year": rng.randint(0, 60), "change": rng.randint(-3, 3),
               "decisions": rng.randint(0, 900)}
           for k in ("licensing", "other_services", "penalties", "enforcement")},
        "fees": {"items_prev_year": rng.randint(0, 5), "change": 0},
        "procurement": {"projects": rng.randint(0, 12),
                        "amount": {"value": rng.randint(0, 900) * 1000, "unit": "元"}},
    }


# --------------------------------------------------------------------- markup
def _cell(text: object, **attrs: object) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    if text is None or text == "":
        return f'<td{extra} style="border:solid windowtext 1.0pt"><p><span>&nbsp;</span></p></td>'
    return (f'<td{extra} style="border:solid windowtext 1.0pt;padding:0cm 5.4pt">'
            f'<p class="MsoNormal" align="center"><span style="font-size:10.5pt">'
            f'<font face="宋体">{escape(str(text))}</font></span><o:p></o:p></p></td>')


def _table(rows: list[str]) -> str:
    body = "".join(f"<tr>{r}</tr>" for r in rows)
    return (f'<div align="center"><table class="MsoNormalTable" border="1" cellspacing="0" '
            f'cellpadding="0" style="border-collapse:collapse"><tbody>{body}</tbody></table></div>')


def _proactive_table(spec: ReportSpec, p: dict) -> str:
    rows: list[str] = []
    if spec.format == "2021":
        rows.append(_cell("第二十条第（一）项", colspan=4))
        rows.append(_cell("信息内容") + _cell("本年制发件数") + _cell("本年废止件数") + _cell("现行有效件数"))
        for key, label in (("rules", "规章"), ("normative_documents", "行政规范性文件")):
            d = p[key]
            rows.append(_cell(label) + _cell(d["issued"]) + _cell(d["repealed"]) + _cell(d["in_force"]))
        for item, pairs in (("第二十条第（五）项", [("licensing", "行政许可")]),
                            ("第二十条第（六）项", [("penalties", "行政处罚"), ("enforcement", "行政强制")])):
            rows.append(_cell(item, colspan=4))
            rows.append(_cell("信息内容") + _cell("本年处理决定数量", colspan=3))
            for key, label in pairs:
                rows.append(_cell(label) + _cell(p[key]["decisions"], colspan=3))
        rows.append(_cell("第二十条第（八）项", colspan=4))
        rows.append(_cell("信息内容") + _cell("本年收费金额（单位：万元）", colspan=3))
        rows.append(_cell("行政事业性收费") + _cell(f'{p["fees"]["amount_10k_yuan"]:.2f}', colspan=3))
        return _table(rows)
    rows.append(_cell("第二十条第（一）项", colspan=4))
    rows.append(_cell("信息内容") + _cell("本年新制作数量") + _cell("本年新公开数量") + _cell("对外公开总数量"))
    for key, label in (("rules", "规章"), ("normative_documents", "规范性文件")):
        d = p[key]
        rows.append(_cell(label) + _cell(d["made"]) + _cell(d["published"]) + _cell(d["total_public"]))
    for item, pairs in (("第二十条第（五）项", [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")]),
                        ("第二十条第（六）项", [("penalties", "行政处罚"), ("enforcement", "行政强制")])):
        rows.append(_cell(item, colspan=4))
        rows.append(_cell("信息内容") + _cell("上一年项目数量") + _cell("本年增/减") + _cell("处理决定数量"))
        for key, label in pairs:
            d = p[key]
            change = f'{d["change"]:+d}' if d["change"] else "0"
            rows.append(_cell(label) + _cell(d["items_prev_year"]) + _cell(change) + _cell(d["decisions"]))
    rows.append(_cell("第二十条第（八）项", colspan=4))
    rows.append(_cell("信息内容") + _cell("上一年项目数量") + _cell("本年增/减", colspan=2))
    rows.append(_cell("行政事业性收费") + _cell(p["fees"]["items_prev_year"]) + _cell(p["fees"]["change"], colspan=2))
    rows.append(_cell("第二十条第（九）项", colspan=4))
    amount = p["procurement"]["amount"]
    if spec.render.get("amount_unit") == "header":  # 采购总金额（元）, the number alone
        heading, value = f"采购总金额（{amount['unit']}）", f"{amount['value']}"
    else:
        heading, value = "采购总金额", f'{amount["value"]}{amount["unit"]}'
    rows.append(_cell("信息内容") + _cell("采购项目数量") + _cell(heading, colspan=2))
    rows.append(_cell("政府集中采购") + _cell(p["procurement"]["projects"])
                + _cell(value, colspan=2))
    return _table(rows)


def _requests_table(spec: ReportSpec, r: dict) -> str:
    def values(key: str) -> str:
        return "".join(_cell(r[key][c]) for c in APPLICANTS) + _cell(r[key]["total"])

    rows = [
        _cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", colspan=3, rowspan=3)
        + _cell("申请人情况", colspan=7),
        _cell("自然人", rowspan=2) + _cell("法人或其他组织", colspan=5) + _cell("总计", rowspan=2),
        "".join(_cell(x) for x in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")),
        _cell("一、本年新收政府信息公开申请数量", colspan=3) + values("new_received"),
        _cell("二、上年结转政府信息公开申请数量", colspan=3) + values("carried_over"),
    ]
    groups = RESULT_GROUPS + [OTHER_2021 if spec.format == "2021" else OTHER_2019]
    span = sum(len(g) for _, g in groups) + 1
    first = True
    for label, subrows in groups:
        for i, (key, sublabel) in enumerate(subrows):
            head = _cell("三、本年度办理结果", rowspan=span) if first else ""
            first = False
            if not sublabel:
                rows.append(head + _cell(label, colspan=2) + values(key))
            else:
                group = _cell(label, rowspan=len(subrows)) if i == 0 else ""
                rows.append(head + group + _cell(sublabel) + values(key))
    rows.append(_cell("（七）总计", colspan=2) + values("total_processed"))
    rows.append(_cell("四、结转下年度继续办理", colspan=3) + values("carried_forward"))
    return _table(rows)


def _appeals_table(a: dict) -> str:
    rows = [
        _cell("行政复议", colspan=5) + _cell("行政诉讼", colspan=10),
        "".join(_cell(x, rowspan=2) for x in OUTCOME_LABELS)
        + _cell("未经复议直接起诉", colspan=5) + _cell("复议后起诉", colspan=5),
        "".join(_cell(x) for x in OUTCOME_LABELS * 2),
        "".join(_cell(a[k][o]) for k in ("review", "litigation_direct", "litigation_after_review")
                for o in OUTCOMES),
    ]
    return _table(rows)


def _para(text: str, bold: bool = False) -> str:
    inner = f"<b>{escape(text)}</b>" if bold else escape(text)
    return (f'<p class="MsoNormal" style="text-indent:32pt"><span style="font-size:16pt">'
            f'<font face="仿宋_GB2312">{inner}</font></span><o:p></o:p></p>')


def render_report(spec: ReportSpec) -> tuple[str, str]:
    """(title, body HTML) of one report."""
    title = report_title(spec)
    if spec.format == "pre2019":
        return title, "\n".join(_para(text, bold) for text, bold in _pre2019_paragraphs(spec))
    n = report_numbers(spec)
    received = n["requests"]["new_received"]["total"]
    parts = [
        _para(f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和国务院办公厅政府信息"
              f"公开办公室有关要求编制。报告中所列数据的统计期限自{spec.year}年1月1日起至{spec.year}年"
              f"12月31日止。"),
        _para("一、总体情况", bold=True),
        _para(f"{spec.year}年，{spec.agency}认真贯彻落实《条例》，全年共收到政府信息公开申请{received}件，"
              f"依法按时答复。"),
        _para("二、主动公开政府信息情况", bold=True), _proactive_table(spec, n["proactive"]),
        _para("三、收到和处理政府信息公开申请情况", bold=True), _requests_table(spec, n["requests"]),
        _para("四、政府信息公开行政复议、行政诉讼情况", bold=True), _appeals_table(n["appeals"]),
        *_spam(spec),
        _para("五、存在的主要问题及改进情况", bold=True),
        _para("政策解读的形式还不够丰富。下一步将加强多种形式的解读，提高公开实效。"),
        _para("六、其他需要报告的事项", bold=True),
        _para(f"本机关{spec.year}年度未收取信息处理费。"),
    ]
    if spec.render.get("problem") == "tables_missing":  # stripped, as a tampered copy has it
        parts = [part for part in parts if "<table" not in part]
    return title, "\n".join(parts)


def _spam(spec: ReportSpec) -> list[str]:
    """``render: {problem: spam}``: what a hacked copy gets in its body."""
    if spec.render.get("problem") != "spam":
        return []
    return [_para("澳门葡京娱乐城官网：真人视讯、百家乐、体育投注，注册送彩金，客服微信 bet365vip。")]


PRE2019_SECTIONS = ["一、概述", "二、主动公开政府信息的情况", "三、依申请公开政府信息办理情况",
                    "四、政府信息公开的收费及减免情况", "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
                    "六、政府信息公开工作存在的主要问题及改进情况"]


def report_title(spec: ReportSpec) -> str:
    return f"{spec.agency}{spec.year}年政府信息公开工作年度报告"


def _pre2019_paragraphs(spec: ReportSpec) -> list[tuple[str, bool]]:
    rng = _rng(spec)
    received = rng.randint(3, 60)
    return [
        (f"本报告根据《中华人民共和国政府信息公开条例》要求编制，统计期限自{spec.year}年1月1日起至"
         f"{spec.year}年12月31日止。", False),
        (PRE2019_SECTIONS[0], True), (f"{spec.year}年，{spec.agency}认真做好政府信息公开工作。", False),
        (PRE2019_SECTIONS[1], True), (f"全年主动公开政府信息{rng.randint(50, 900)}条。", False),
        (PRE2019_SECTIONS[2], True),
        (f"全年共受理政府信息公开申请{received}件，均按时办结。", False),
        (PRE2019_SECTIONS[3], True), ("本机关未收取政府信息公开相关费用。", False),
        (PRE2019_SECTIONS[4], True), (f"因政府信息公开申请提起行政复议{rng.randint(0, 2)}件。", False),
        (PRE2019_SECTIONS[5], True), ("公开内容的时效性有待提高，将进一步改进。", False),
    ]


def _flat_tables(spec: ReportSpec) -> dict[str, list[list[str]]]:
    """The statutory tables as plain grids (one label per row), as PDFs and DOCX
    exports lay them out once merged cells are split."""
    n = report_numbers(spec)
    p, r, a = n["proactive"], n["requests"], n["appeals"]
    if spec.format == "2021":
        proactive = [["第二十条第（一）项", "", "", ""],
                     ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                     *[[label, str(p[k]["issued"]), str(p[k]["repealed"]), str(p[k]["in_force"])]
                       for k, label in (("rules", "规章"), ("normative_documents", "行政规范性文件"))],
                     ["第二十条第（五）项", "", "", ""], ["信息内容", "本年处理决定数量", "", ""],
                     ["行政许可", str(p["licensing"]["decisions"]), "", ""],
                     ["第二十条第（六）项", "", "", ""], ["信息内容", "本年处理决定数量", "", ""],
                     ["行政处罚", str(p["penalties"]["decisions"]), "", ""],
                     ["行政强制", str(p["enforcement"]["decisions"]), "", ""],
                     ["第二十条第（八）项", "", "", ""], ["信息内容", "本年收费金额（单位：万元）", "", ""],
                     ["行政事业性收费", f'{p["fees"]["amount_10k_yuan"]:.2f}', "", ""]]
    else:
        def services(key: str, label: str) -> list[str]:
            d = p[key]
            return [label, str(d["items_prev_year"]), f'{d["change"]:+d}' if d["change"] else "0",
                    str(d["decisions"])]

        amount = p["procurement"]["amount"]
        proactive = [["第二十条第（一）项", "", "", ""],
                     ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
                     *[[label, str(p[k]["made"]), str(p[k]["published"]), str(p[k]["total_public"])]
                       for k, label in (("rules", "规章"), ("normative_documents", "规范性文件"))],
                     ["第二十条第（五）项", "", "", ""],
                     ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
                     services("licensing", "行政许可"), services("other_services", "其他对外管理服务事项"),
                     ["第二十条第（六）项", "", "", ""],
                     ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
                     services("penalties", "行政处罚"), services("enforcement", "行政强制"),
                     ["第二十条第（八）项", "", "", ""], ["信息内容", "上一年项目数量", "本年增/减", ""],
                     ["行政事业性收费", str(p["fees"]["items_prev_year"]), str(p["fees"]["change"]), ""],
                     ["第二十条第（九）项", "", "", ""], ["信息内容", "采购项目数量", "采购总金额", ""],
                     ["政府集中采购", str(p["procurement"]["projects"]),
                      f'{amount["value"]}{amount["unit"]}', ""]]
    labels = {"new_received": "一、本年新收政府信息公开申请数量",
              "carried_over": "二、上年结转政府信息公开申请数量",
              "total_processed": "三、本年度办理结果（七）总计", "carried_forward": "四、结转下年度继续办理"}
    for group, rows in RESULT_GROUPS + [OTHER_2021 if spec.format == "2021" else OTHER_2019]:
        for key, sub in rows:
            labels.setdefault(key, "三、本年度办理结果" + group + sub)
    order = ["new_received", "carried_over", *result_keys(spec.format), "total_processed",
             "carried_forward"]
    requests = [["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
                *[[labels[k]] + ["" if r[k][c] is None else str(r[k][c]) for c in APPLICANTS]
                  + [str(r[k]["total"])] for k in order]]
    appeals = [["行政复议"] * 5 + ["行政诉讼"] * 10,
               OUTCOME_LABELS + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5,
               OUTCOME_LABELS * 3,
               [str(a[k][o]) for k in ("review", "litigation_direct", "litigation_after_review")
                for o in OUTCOMES]]
    return {"proactive": proactive, "requests": requests, "appeals": appeals}


def _blocks(spec: ReportSpec) -> list[tuple[str, object]]:
    """("title"|"heading"|"para"|"table", content) in reading order."""
    blocks: list[tuple[str, object]] = [("title", report_title(spec))]
    if spec.format == "pre2019":
        return blocks + [("heading" if bold else "para", text)
                         for text, bold in _pre2019_paragraphs(spec)]
    n = report_numbers(spec)
    tables = _flat_tables(spec)
    return blocks + [
        ("para", f"本报告统计期限自{spec.year}年1月1日起至{spec.year}年12月31日止。"),
        ("heading", "一、总体情况"),
        ("para", f"{spec.year}年，{spec.agency}全年共收到政府信息公开申请"
                 f"{n['requests']['new_received']['total']}件。"),
        ("heading", "二、主动公开政府信息情况"), ("table", tables["proactive"]),
        ("heading", "三、收到和处理政府信息公开申请情况"), ("table", tables["requests"]),
        ("heading", "四、政府信息公开行政复议、行政诉讼情况"), ("table", tables["appeals"]),
        ("heading", "五、存在的主要问题及改进情况"), ("para", "政策解读的形式还不够丰富。"),
        ("heading", "六、其他需要报告的事项"), ("para", "无。"),
    ]


def render_report_pdf(spec: ReportSpec) -> bytes:
    """The report as a PDF (text layer, tables drawn with rules)."""
    from .pdf import PdfDocument

    doc = PdfDocument(report_title(spec))
    for kind, content in _blocks(spec):
        if kind == "table":
            rows = content
            widths = [203] + [40] * 7 if len(rows[0]) == 8 else None
            doc.table(rows, widths)
        else:
            doc.paragraph(str(content), size=14 if kind == "title" else 10.5)
    return doc.to_bytes()


def render_report_docx(spec: ReportSpec) -> bytes:
    """The report as a DOCX, as agencies publish their Word originals."""
    from .docx import DocxDocument

    doc = DocxDocument()
    for kind, content in _blocks(spec):
        if kind == "table":
            doc.table(content)
        else:
            doc.paragraph(str(content), bold=kind != "para")
    return doc.to_bytes()

"""The Chinese labels of every key, as the national formats print them.

Researchers read 本年新收政府信息公开申请数量, not ``new_received``: the dataset's
``labels`` table, Datasette's column descriptions and the audit page put these next to
the keys (``shared/docs/domain.md`` is the source).
"""

from __future__ import annotations

__all__ = ["LABELS", "OUTCOME_GROUPS", "SECTION_LABELS", "TABLE_LABELS", "label", "label_rows"]

TABLE_LABELS = {
    "proactive": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "appeals": "四、政府信息公开行政复议、行政诉讼情况",
}
SECTION_LABELS = {
    "overview": "一、总体情况",
    "proactive": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "appeals": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}

_REQUEST_ROWS = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开",
    "partly_granted": "（二）部分公开",
    "denied_state_secret": "（三）不予公开 1.属于国家秘密",
    "denied_prohibited_by_law": "（三）不予公开 2.其他法律行政法规禁止公开",
    "denied_security_stability": "（三）不予公开 3.危及“三安全一稳定”",
    "denied_third_party": "（三）不予公开 4.保护第三方合法权益",
    "denied_internal_affairs": "（三）不予公开 5.属于三类内部事务信息",
    "denied_process_info": "（三）不予公开 6.属于四类过程性信息",
    "denied_enforcement_file": "（三）不予公开 7.属于行政执法案卷",
    "denied_inquiry": "（三）不予公开 8.属于行政查询事项",
    "unavailable_not_held": "（四）无法提供 1.本机关不掌握相关政府信息",
    "unavailable_needs_creation": "（四）无法提供 2.没有现成信息需要另行制作",
    "unavailable_unclear": "（四）无法提供 3.补正后申请内容仍不明确",
    "rejected_petition": "（五）不予处理 1.信访举报投诉类申请",
    "rejected_duplicate": "（五）不予处理 2.重复申请",
    "rejected_publication": "（五）不予处理 3.要求提供公开出版物",
    "rejected_mass_repeat": "（五）不予处理 4.无正当理由大量反复申请",
    "rejected_reconfirm": "（五）不予处理 5.要求行政机关确认或重新出具已获取信息",
    "other_no_correction": "（六）其他处理 1.申请人无正当理由逾期不补正",
    "other_unpaid_fee": "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用",
    "other_misc": "（六）其他处理 3.其他",
    "other_handling": "（六）其他处理",
    "total_processed": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}
_REQUEST_COLUMNS = {
    "natural_person": "自然人", "commercial": "商业企业", "research": "科研机构",
    "public_interest": "社会公益组织", "legal_services": "法律服务机构",
    "other_org": "其他（法人或其他组织）", "total": "总计",
}
_APPEAL_ROWS = {
    "review": "行政复议", "litigation_direct": "行政诉讼·未经复议直接起诉",
    "litigation_after_review": "行政诉讼·复议后起诉",
}
_APPEAL_COLUMNS = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果",
                   "pending": "尚未审结", "total": "总计"}
_PROACTIVE_ROWS = {
    "rules": "规章", "normative_documents": "（行政）规范性文件", "licensing": "行政许可",
    "other_services": "其他对外管理服务事项", "penalties": "行政处罚",
    "enforcement": "行政强制", "fees": "行政事业性收费", "procurement": "政府集中采购",
}
_PROACTIVE_COLUMNS = {
    "issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数",
    "made": "本年新制作数量", "published": "本年新公开数量", "total_public": "对外公开总数量",
    "items_prev_year": "上一年项目数量", "change": "本年增/减", "decisions": "处理决定数量",
    "amount_10k_yuan": "本年收费金额（万元）", "projects": "采购项目数量",
    "amount": "采购总金额",
}

# (table, "row" | "column") -> {key: label}
LABELS: dict[tuple[str, str], dict[str, str]] = {
    ("proactive", "row"): _PROACTIVE_ROWS, ("proactive", "column"): _PROACTIVE_COLUMNS,
    ("requests", "row"): _REQUEST_ROWS, ("requests", "column"): _REQUEST_COLUMNS,
    ("appeals", "row"): _APPEAL_ROWS, ("appeals", "column"): _APPEAL_COLUMNS,
}

# How 三's results are shown in charts: (group, Chinese label, its rows). other_handling
# is the （六） total in every format (README, Items), so the 2021 rows are not added again.
OUTCOME_GROUPS = [
    ("granted", "予以公开", ["granted"]),
    ("partly_granted", "部分公开", ["partly_granted"]),
    ("denied", "不予公开", [k for k in _REQUEST_ROWS if k.startswith("denied_")]),
    ("unavailable", "无法提供", [k for k in _REQUEST_ROWS if k.startswith("unavailable_")]),
    ("rejected", "不予处理", [k for k in _REQUEST_ROWS if k.startswith("rejected_")]),
    ("other", "其他处理", ["other_handling"]),
]


def label(table: str, kind: str, key: str) -> str | None:
    """The printed label of ``key`` (a row or a column of ``table``), if the format has one."""
    return LABELS.get((table, kind), {}).get(key)


def label_rows() -> list[dict[str, str]]:
    """Every label as a row of the dataset's ``labels`` table."""
    rows = [{"table_name": table, "kind": kind, "key": key, "label_zh": text}
            for (table, kind), labels in LABELS.items() for key, text in labels.items()]
    rows += [{"table_name": table, "kind": "table", "key": table, "label_zh": text}
             for table, text in TABLE_LABELS.items()]
    rows += [{"table_name": "sections", "kind": "section", "key": key, "label_zh": text}
             for key, text in SECTION_LABELS.items()]
    return rows

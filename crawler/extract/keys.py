"""The statutory tables' keys (``shared/docs/domain.md``) and the label patterns that
find them: the one place that knows how 二, 三 and 四 are printed."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["APPEAL_GROUPS", "APPLICANTS", "APPLICANT_PATTERNS", "DECIMAL_COLUMNS", "GROUPS",
           "OTHER_2021", "OUTCOMES", "OUTCOME_PATTERNS", "PROACTIVE_KEYS", "REQUEST_PATTERNS",
           "REQUEST_ROWS", "RESULT_ROWS", "match"]

APPLICANTS = ["natural_person", "commercial", "research", "public_interest", "legal_services",
              "other_org", "total"]
OUTCOMES = ["upheld", "corrected", "other", "pending", "total"]
APPEAL_GROUPS = ["review", "litigation_direct", "litigation_after_review"]
RESULT_ROWS = [
    "granted", "partly_granted", "denied_state_secret", "denied_prohibited_by_law",
    "denied_security_stability", "denied_third_party", "denied_internal_affairs",
    "denied_process_info", "denied_enforcement_file", "denied_inquiry", "unavailable_not_held",
    "unavailable_needs_creation", "unavailable_unclear", "rejected_petition",
    "rejected_duplicate", "rejected_publication", "rejected_mass_repeat", "rejected_reconfirm",
    "other_no_correction", "other_unpaid_fee", "other_misc", "other_handling"]
REQUEST_ROWS = ["new_received", "carried_over", *RESULT_ROWS, "total_processed",
                "carried_forward"]
OTHER_2021 = ["other_no_correction", "other_unpaid_fee", "other_misc"]
# The numbered rows of 三's result groups, in the format's order: a misprinted label
# (2.其他法律行政止公开) is read by its place in its group.
GROUPS = {
    "不予公开": RESULT_ROWS[2:10],
    "无法提供": RESULT_ROWS[10:13],
    "不予处理": RESULT_ROWS[13:18],
    "其他处理": OTHER_2021,
}

# (key, pattern on the normalised label); the first match wins, so order matters.
REQUEST_PATTERNS = [(key, re.compile(pattern)) for key, pattern in [
    ("new_received", r"本年新收"), ("carried_over", r"上年结转"),
    ("carried_forward", r"结转下年"), ("partly_granted", r"部分公开"),
    ("granted", r"予以公开"), ("denied_state_secret", r"国家秘密"),
    ("denied_prohibited_by_law", r"法律行政法规禁止|法律法规禁止"),
    ("denied_security_stability", r"三安全一稳定|危及"), ("denied_third_party", r"第三方"),
    ("denied_internal_affairs", r"内部事务"), ("denied_process_info", r"过程性"),
    ("denied_enforcement_file", r"执法案卷"), ("denied_inquiry", r"查询事项"),
    ("unavailable_not_held", r"不掌握"), ("unavailable_needs_creation", r"另行制作|没有现成"),
    ("other_no_correction", r"不补正"), ("unavailable_unclear", r"仍不明确"),
    ("rejected_petition", r"信访|举报投诉"), ("rejected_mass_repeat", r"大量反复"),
    ("rejected_duplicate", r"重复申请"), ("rejected_publication", r"出版物"),
    ("rejected_reconfirm", r"重新出具|确认或"), ("other_unpaid_fee", r"收费通知|缴纳费用"),
    ("total_processed", r"总计$"),
]]
APPLICANT_PATTERNS = [("commercial", r"商业企业"), ("research", r"科研机构"),
                       ("public_interest", r"社会公益"), ("legal_services", r"法律服务"),
                       ("natural_person", r"自然人"), ("total", r"总计|合计"),
                       ("other_org", r"^其他$")]
OUTCOME_PATTERNS = [("upheld", r"维持"), ("corrected", r"纠正"), ("pending", r"尚未|未审结"),
                     ("total", r"总计|合计|^总$"), ("other", r"其他")]  # 总 alone: 计 cut off

PROACTIVE_KEYS = {
    "rows": [("rules", r"^规章$"), ("normative_documents", r"规范性文件"),
             ("licensing", r"^行政许可$"), ("other_services", r"其他对外管理服务"),
             ("penalties", r"^行政处罚$"), ("enforcement", r"^行政强制$"),
             ("fees", r"行政事业性收费"), ("procurement", r"政府集中采购")],
    "columns": [("issued", r"制发"), ("repealed", r"废止"), ("in_force", r"现行有效"),
                ("made", r"新制作"), ("published", r"新公开"), ("total_public", r"公开总数"),
                ("items_prev_year", r"上一?年项目"), ("change", r"增/?减"),
                ("decisions", r"处理决定"), ("amount_10k_yuan", r"收费金额"),
                ("projects", r"采购项目"), ("amount", r"采购总?金额")],
}
DECIMAL_COLUMNS = {"amount_10k_yuan", "amount"}


def match(patterns: Iterable[tuple[str, str | re.Pattern[str]]], text: str) -> str | None:
    for key, pattern in patterns:
        if re.search(pattern, text):
            return key
    return None

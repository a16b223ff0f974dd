"""The six sections of a report, by their headings (一、总体情况 … 六、其他需要报告的事项)."""

from __future__ import annotations

import re

__all__ = ["SECTION_KEYS", "split_sections"]

SECTION_KEYS = ["overview", "proactive", "requests", "appeals", "problems", "other"]
# Heading words of the 2019/2021 formats and of the pre-2019 topics. Fees (收费及减免,
# a pre-2019 topic of its own) are reported under 其他需要报告的事项 since 2019.
_TOPICS = [("overview", r"总体情况|概述|基本情况"),
           ("proactive", r"主动公开"),
           ("requests", r"收到和处理|依申请|申请公开"),
           ("appeals", r"行政复议|行政诉讼|复议、诉讼|申诉"),
           ("problems", r"存在的主要问题|问题及改进|改进情况|主要问题"),
           ("other", r"其他需要报告|其他事项|收费及减免|收费和减免")]
# Main headings are numbered 一、二、…; （一）-style sub-headings never start a section.
_HEADING = re.compile(r"^[ \t\u3000]*[一二三四五六七八][ \t]*[、.．][ \t]*(?P<title>[^\n]{2,})",
                      re.M)


def split_sections(text: str) -> dict[str, str | None]:
    """Section texts by key (heading line included); ``None`` for a section not found."""
    marks: list[tuple[int, str]] = []
    seen: set[str] = set()
    for match in _HEADING.finditer(text):
        title = match.group("title")[:24]
        for key, pattern in _TOPICS:
            if re.search(pattern, title) and key not in seen and _in_order(key, seen):
                marks.append((match.start(), key))
                seen.add(key)
                break
    sections: dict[str, str | None] = dict.fromkeys(SECTION_KEYS)
    for (start, key), (end, _) in zip(marks, [*marks[1:], (len(text), "")], strict=False):
        sections[key] = text[start:end].strip() or None
    return sections


def _in_order(key: str, seen: set[str]) -> bool:
    """A heading counts only after the sections that come before it (sub-headings such
    as （二）依申请公开情况 inside 总体情况 then do not start sections)."""
    position = SECTION_KEYS.index(key)
    return not any(SECTION_KEYS.index(s) > position for s in seen)

"""The six sections of a report, by their headings (一、总体情况 … 六、其他需要报告的事项).

A heading is found where it stands: at the start of a block, or inside running text
(a copy, a CMS or a PDF text layer that flattened the page runs 一、总体情况 into the
paragraph before it). Inside running text only the national outline counts: the
numeral in its place (一 for 总体情况 … 六 for 其他需要报告的事项) and the standard title
or a close variant, after the end of a sentence, so that a list in the prose is no
heading.
"""

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
_NUMERALS = "一二三四五六"
# The outline's standard titles (and their close variants), as an inline heading must start.
_OUTLINE = [re.compile(rf"^(?:政府信息公开(?:工作)?的?)?(?:{pattern})") for pattern in (
    r"总体情况|概述|基本情况",
    r"主动公开",
    r"收到和处理|依申请公开|政府信息公开申请",
    r"行政复议|行政诉讼|因政府信息公开申请(?:提起)?行政复议",
    r"存在的主要问题|主要问题及改进",
    r"其他需要报告的事项|其他事项")]
_INLINE = re.compile(r"(?:(?<=[。！？；;：:\s|])|^)(?P<numeral>[一二三四五六])[、.．][ \t\u3000]*"
                     r"(?P<title>[^\n]{2,24})", re.M)


def split_sections(text: str) -> dict[str, str | None]:
    """Section texts by key (heading included); ``None`` for a section not found."""
    marks: list[tuple[int, str]] = []
    seen: set[str] = set()
    for start, keys in sorted({**_inline_headings(text), **_block_headings(text)}.items()):
        key = next((k for k in keys if k not in seen and _in_order(k, seen)), None)
        if key:
            marks.append((start, key))
            seen.add(key)
    sections: dict[str, str | None] = dict.fromkeys(SECTION_KEYS)
    for (start, key), (end, _) in zip(marks, [*marks[1:], (len(text), "")], strict=False):
        sections[key] = text[start:end].strip() or None
    return sections


def _block_headings(text: str) -> dict[int, list[str]]:
    """Headings that open a block, numbered 一、… with a topic's words (the pre-2019
    topics too, whatever their numbers): where, and the topics their words name."""
    found = {}
    for match in _HEADING.finditer(text):
        title = match.group("title")[:24]
        keys = [key for key, pattern in _TOPICS if re.search(pattern, title)]
        if keys:
            found[match.start()] = keys
    return found


def _inline_headings(text: str) -> dict[int, list[str]]:
    """Headings inside running text: the national outline's numeral and title only."""
    found = {}
    for match in _INLINE.finditer(text):
        index = _NUMERALS.index(match.group("numeral"))
        if _OUTLINE[index].match(match.group("title")):
            found[match.start("numeral")] = [SECTION_KEYS[index]]
    return found


def _in_order(key: str, seen: set[str]) -> bool:
    """A heading counts only after the sections that come before it (sub-headings such
    as （二）依申请公开情况 inside 总体情况 then do not start sections)."""
    position = SECTION_KEYS.index(key)
    return not any(SECTION_KEYS.index(s) > position for s in seen)

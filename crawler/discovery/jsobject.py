"""Reading the object literals CMS pages put in their scripts (``ajaxParam:{...}``,
``var params = {...}``) and JSON embedded in scripts.

No JavaScript engine: these literals are flat key/value lists, and the few forms
they take (quoted or bare keys, single or double quotes, numbers, string arrays,
trailing commas) are read directly. Anything richer is skipped, never guessed.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["balanced", "js_object", "js_value", "json_array_after"]

_PAIR = re.compile(
    r"""(?P<key>[A-Za-z_$][\w$]*|'[^']*'|"[^"]*")\s*:\s*(?P<value>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\[[^\[\]]*\]|-?\d+(?:\.\d+)?|true|false|null)""")
_ITEM = re.compile(r"""'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(-?\d+(?:\.\d+)?)""")


def js_value(raw: str) -> Any:
    raw = raw.strip()
    if raw[:1] in "'\"":
        return raw[1:-1].replace("\\'", "'").replace('\\"', '"')
    if raw.startswith("["):
        return [a if a else (b if b else _number(c)) for a, b, c in _ITEM.findall(raw)]
    if raw in ("true", "false"):
        return raw == "true"
    if raw == "null":
        return None
    return _number(raw)


def _number(raw: str) -> int | float:
    return float(raw) if "." in raw else int(raw)


def balanced(text: str, start: int) -> str | None:
    """The bracketed text opening at ``text[start]`` (``{`` or ``[``), strings respected."""
    pairs = {"{": "}", "[": "]"}
    stack, quote, i = [], None, start
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch in pairs:
            stack.append(pairs[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
            if not stack:
                return text[start:i + 1]
        i += 1
    return None


def js_object(text: str, name_pattern: str) -> dict[str, Any] | None:
    """The flat key/value pairs of the object literal after ``name_pattern`` (a regex
    ending just before the ``{``), e.g. ``r"ajaxParam\\s*:\\s*"``; None if absent."""
    match = re.search(name_pattern + r"(?=\{)", text)
    if not match:
        return None
    body = balanced(text, match.end())
    if body is None:
        return None
    return {m["key"].strip("'\""): js_value(m["value"]) for m in _PAIR.finditer(body)}


def json_array_after(text: str, key_pattern: str) -> list[Any] | None:
    """The JSON array following ``key_pattern`` (e.g. ``articleList\\s*:\\s*``)."""
    match = re.search(key_pattern + r"(?=\[)", text)
    if not match:
        return None
    body = balanced(text, match.end())
    try:
        value = json.loads(body) if body else None
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, list) else None

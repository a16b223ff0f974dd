"""Reading the object literals CMS pages put in their scripts (``ajaxParam:{...}``,
``var params = {...}``, ``listModel({...})``) and JSON embedded in scripts.

No JavaScript engine, and no library reads JavaScript that refers to variables
(json5 and chompjs refuse the whole object): these literals are read here, value
by value. Strings (either quote), numbers, booleans, null, arrays and nested
objects are kept; a value the page computes at run time (a variable, a call, an
expression) is left out and its key reported by ``js_unresolved``. Nothing is
guessed.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["balanced", "js_object", "js_unresolved", "json_array_after"]

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_KEY = re.compile(r"""\s*([A-Za-z_$][\w$]*|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\d+)\s*:""")
_WORD = re.compile(r"[A-Za-z_$][\w$]*")
_WORDS = {"true": True, "false": False, "null": None}


class _Unresolved:
    """A value only the running page would know."""

    def __init__(self, source: str) -> None:
        self.source = source

    def __repr__(self) -> str:
        return f"<unresolved {self.source!r}>"


def balanced(text: str, start: int) -> str | None:
    """The bracketed text opening at ``text[start]`` (``{`` or ``[``), strings respected."""
    end = _skip_brackets(text, start)
    return text[start:end] if end is not None else None


def _skip_brackets(text: str, start: int) -> int | None:
    pairs = {"{": "}", "[": "]", "(": ")"}
    stack: list[str] = []
    i = start
    while i < len(text):
        ch = text[i]
        if ch in "'\"":
            i = _skip_string(text, i)
            continue
        if ch in pairs:
            stack.append(pairs[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
            if not stack:
                return i + 1
        i += 1
    return None


def _skip_string(text: str, start: int) -> int:
    quote, i = text[start], start + 1
    while i < len(text) and text[i] != quote:
        i += 2 if text[i] == "\\" else 1
    return i + 1


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "0": "\0"}
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)


def _string(raw: str) -> str:
    """A quoted JavaScript string's value (either quote, its escapes undone)."""
    def unescape(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "ux" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code, code)

    return _ESCAPE.sub(unescape, raw[1:-1])


def _value(text: str, i: int) -> tuple[Any, int]:
    """The value starting at ``text[i]`` and the index after it."""
    while i < len(text) and text[i].isspace():
        i += 1
    start, ch = i, text[i:i + 1]
    value: Any = _Unresolved("")
    if ch == "{":
        value, i = _object(text, i)
    elif ch == "[":
        value, i = _array(text, i)
    elif ch in ("'", '"'):
        i = _skip_string(text, i)
        value = _string(text[start:i])
    elif (number := _NUMBER.match(text, i)) is not None:
        value, i = json.loads(number.group(0)), number.end()
    elif (word := _WORD.match(text, i)) is not None and word.group(0) in _WORDS:
        value, i = _WORDS[word.group(0)], word.end()
    end = _expression_end(text, i)
    if text[i:end].strip() or isinstance(value, _Unresolved):  # computed at run time
        value = _Unresolved(text[start:end].strip())
    return value, end


def _expression_end(text: str, i: int) -> int:
    """Where the value at ``i`` ends: the next ``,`` or closing bracket at its level."""
    while i < len(text) and text[i] not in ",}]":
        if text[i] in "'\"":
            i = _skip_string(text, i)
        elif text[i] in "{[(":
            i = _skip_brackets(text, i) or len(text)
        else:
            i += 1
    return i


def _object(text: str, i: int) -> tuple[dict[str, Any], int]:
    found: dict[str, Any] = {}
    i += 1
    while i < len(text):
        while i < len(text) and text[i] in " \t\r\n,":
            i += 1
        if i >= len(text) or text[i] == "}":
            return found, i + 1
        key = _KEY.match(text, i)
        if key is None:  # a method or spread: skip it
            i = _expression_end(text, i)
            continue
        name = key.group(1)
        name = _string(name) if name[0] in "'\"" else name
        found[name], i = _value(text, key.end())
    return found, i


def _array(text: str, i: int) -> tuple[list[Any], int]:
    items: list[Any] = []
    i += 1
    while i < len(text):
        while i < len(text) and text[i] in " \t\r\n,":
            i += 1
        if i >= len(text) or text[i] == "]":
            return items, i + 1
        value, i = _value(text, i)
        items.append(value)
    return items, i


def _literal(text: str, name_pattern: str) -> dict[str, Any] | None:
    match = re.search(name_pattern + r"(?=\{)", text)
    return _object(text, match.end())[0] if match else None


def _resolved(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _resolved(v) for k, v in value.items() if not isinstance(v, _Unresolved)}
    if isinstance(value, list):
        return [_resolved(v) for v in value if not isinstance(v, _Unresolved)]
    return value


def js_object(text: str, name_pattern: str) -> dict[str, Any] | None:
    """The object literal after ``name_pattern`` (a regex ending just before the ``{``,
    e.g. ``r"ajaxParam\\s*:\\s*"``), without the values it computes; None if absent."""
    found = _literal(text, name_pattern)
    return _resolved(found) if found is not None else None


def js_unresolved(text: str, name_pattern: str) -> dict[str, str]:
    """Where the object holds values the page computes (``pageNo``,
    ``customFilter.properties[0].value``), with their source text."""
    return dict(_unresolved_paths(_literal(text, name_pattern) or {}, ""))


def _unresolved_paths(value: Any, path: str) -> list[tuple[str, str]]:
    if isinstance(value, _Unresolved):
        return [(path, value.source)]
    if isinstance(value, dict):
        return [p for k, v in value.items()
                for p in _unresolved_paths(v, f"{path}.{k}" if path else k)]
    if isinstance(value, list):
        return [p for n, v in enumerate(value) for p in _unresolved_paths(v, f"{path}[{n}]")]
    return []


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

"""What a site's template of its `_redirects` writes, as far as the template's text shows: each
line with its actions replaced by what they write. String literals, variables assigned them,
`printf` (a piped value its last argument) and `range` over a literal `slice` are followed; any
other value stands as `{{}}`, one path segment's worth of something (`/{{ $name }}` in a `range`
over pages serves some `/x`, which ones is not known here).
"""

from __future__ import annotations

import re

FILLED = "{{}}"
_ACTION = re.compile(r"\{\{.*?\}\}")
# Actions that write nothing themselves: control flow, assignments, comments.
_SILENT = re.compile(r"\{\{-?\s*(?:(?:range|with|if|else|end|define|block)\b|\$\w+\s*:?=|/\*).*?\}\}")
_ASSIGN = re.compile(r"\{\{-?\s*\$(\w+)\s*:?=\s*(.*?)\s*-?\}\}")
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|`[^`]*`|\||[^\s|]+')
_VERB = re.compile(r"%[-+# 0-9.]*[a-zA-Z]")
_STRINGS = r'((?:\s+"[^"\\]*")+)'
_SLICE = re.compile(r"\{\{-?\s*\$(\w+)\s*:?=\s*\(?\s*slice" + _STRINGS + r"\s*\)?\s*-?\}\}")
_RANGE = re.compile(r"\{\{-?\s*range\s+(?:\$(\w+)\s*:?=\s*)?(?:\$(\w+)|\(?\s*slice" + _STRINGS + r"\s*\)?)\s*-?\}\}"
                    r"(.*?)\{\{-?\s*end\s*-?\}\}", re.S)
_BLOCK = re.compile(r"\{\{-?\s*(?:range|if|with)\b")


def written_lines(text: str) -> list[str]:
    values: dict[str, str] = {}
    lines = []
    for line in _expand_ranges(text).splitlines():
        for name, expression in _ASSIGN.findall(line):  # in order: a `range` assigns again each time
            values[name] = _value(expression, values)
        lines.append(_ACTION.sub(lambda action: _value(_inner(action.group(0)), values), _SILENT.sub("", line)))
    return lines


def _expand_ranges(text: str) -> str:
    """Each `range $name := slice "a" "b"` (or a variable assigned such a slice) written out once
    per value, `$name` (or `.`, in a range naming no variable) standing for it; a range over
    anything else, or holding blocks of its own, as it stands."""
    slices = {name: re.findall(r'"([^"\\]*)"', listed) for name, listed in _SLICE.findall(text)}

    def expand(match: re.Match) -> str:
        name, variable, literal, body = match.groups()
        items = re.findall(r'"([^"\\]*)"', literal) if literal else slices.get(variable)
        if items is None or _BLOCK.search(body):
            return match.group(0)
        variable_re = re.compile(rf"\${name}\b" if name else r"(?<![\w$.])\.(?![\w.])")  # `$name`, or `.`
        return "".join(_ACTION.sub(lambda action: variable_re.sub(f'"{item}"', action.group(0)), body)
                       for item in items)

    return _RANGE.sub(expand, text)


def _inner(action: str) -> str:
    return action[2:-2].strip().lstrip("-").rstrip("-").strip()


def _value(expression: str, values: dict[str, str]) -> str:
    """What an expression writes: a string, a variable's value, a `printf` of them (a value piped
    into it is its last argument); `{{}}` for anything else."""
    result: str | None = None
    for stage in " ".join(_TOKEN.findall(expression)).split(" | "):
        tokens = _TOKEN.findall(stage)
        if tokens[:1] == ["printf"] and len(tokens) > 1 and tokens[1][:1] in ('"', "`"):
            args = [_atom(token, values) for token in tokens[2:]] + ([result] if result is not None else [])
            result = _printf(tokens[1][1:-1], args)
        elif len(tokens) == 1 and result is None:
            result = _atom(tokens[0], values)
        else:
            return FILLED
    return FILLED if result is None else result


def _atom(token: str, values: dict[str, str]) -> str:
    if token[:1] in ('"', "`"):
        return token[1:-1]
    if token.startswith("$"):
        return values.get(token[1:], FILLED)
    return FILLED


def _printf(format: str, args: list[str]) -> str:
    parts = _VERB.split(format)
    return "".join(part + ((args[i] if i < len(args) else FILLED) if i < len(parts) - 1 else "")
                   for i, part in enumerate(parts))

"""Where a page's body holds Hugo shortcode markup rather than prose: the calls themselves
(`{{< qr text="https://…" >}}`, `{{% note %}}`, their commented `{{</* … */>}}` forms) and the bodies
of `{{< name >}} … {{< /name >}}`, which Hugo hands to the template unrendered (the template may
highlight it as code, as `code-toggle` does). A `{{% name %}}` body is Markdown and stays prose."""

from __future__ import annotations

import re

_CALL = re.compile(rb"\{\{(<|%)(/\*.*?\*/|[^{}]*?)(?:>|%)\}\}", re.S)
_NAME = re.compile(rb"\s*(/?)\s*([\w./-]+)")


def markup_spans(body: bytes) -> list[tuple[int, int]]:
    """Sorted (start, end) byte offsets of shortcode calls and of angle-bracket shortcode bodies."""
    if b"{{" not in body:
        return []
    spans: list[tuple[int, int]] = []
    open_calls: list[tuple[bytes, int]] = []  # (name, end of the opening call)
    for match in _CALL.finditer(body):
        spans.append((match.start(), match.end()))
        inner = match.group(2)
        name = _NAME.match(inner) if match.group(1) == b"<" and not inner.startswith(b"/*") else None
        if name is None:
            continue
        if name.group(1):  # a closing call: its body runs from the matching opening call
            for i in range(len(open_calls) - 1, -1, -1):
                if open_calls[i][0] == name.group(2):
                    spans.append((open_calls[i][1], match.start()))
                    del open_calls[i:]
                    break
        elif not inner.rstrip().endswith(b"/"):  # `{{< x />}}` closes itself
            open_calls.append((name.group(2), match.end()))
    spans.sort()
    return spans


def call_spans(body: bytes) -> list[tuple[int, int]]:
    """Sorted (start, end) byte offsets of the shortcode calls alone: `{{<mermaid align="x">}}`
    holds what reads as a tag, but hugo replaces the call before any HTML is rendered."""
    return [match.span() for match in _CALL.finditer(body)] if b"{{" in body else []


def inside(spans: list[tuple[int, int]], offset: int) -> bool:
    return any(lo <= offset < hi for lo, hi in spans)


# What a call becomes before the Markdown is read: hugo swaps each call for a placeholder of
# letters, so its spaces never end a link's destination or a reference definition. This one has
# the call's length in UTF-8 bytes (byte offsets stay the source's) and starts as a call does.
PLACEHOLDER = "{{%H"
_TEXT_CALL = re.compile(_CALL.pattern.decode(), re.S)


def masked(body: str) -> str | None:
    """The body with each shortcode call (not a commented `{{</* */>}}` one, which hugo writes as
    text) replaced by a placeholder of its byte length; None when there is none."""
    found = False

    def placeholder(match: re.Match) -> str:
        nonlocal found
        size = len(match.group(0).encode("utf-8"))
        if match.group(2).startswith("/*") or size < 7:  # `{{<>}}` names nothing: left as it is
            return match.group(0)
        found = True
        return PLACEHOLDER + "H" * (size - 7) + "%}}"

    hidden = _TEXT_CALL.sub(placeholder, body)
    return hidden if found else None

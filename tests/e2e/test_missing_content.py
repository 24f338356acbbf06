"""A Hugo site whose content folder a build step makes (`contentDir = "generated"`, filled by a
preprocessor not yet run): citecheck says the folder is missing and lints nothing else in its
place, not the archetypes (templates whose front matter is no YAML until `hugo new` runs) nor
the README."""

from __future__ import annotations

import pytest

from tests.conftest import run_cli


@pytest.mark.parametrize("content_dir", [None, "generated", "docs-pre-processed"])
def test_a_missing_content_folder_is_named_and_nothing_else_is_linted(tmp_path, content_dir):
    root = tmp_path / "website"
    files = {
        "hugo.toml": 'baseURL = "https://example.org/"\n' + (f'contentDir = "{content_dir}"\n' if content_dir else ""),
        "archetypes/docs.md": '---\ntitle: "{{ replace .Name "-" " " | title }}"\ndate: {{ .Date }}\n---\n',
        "README.md": "Run `make docs` first; then [the docs](/docs/).\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    done = run_cli("check", "--no-cache", cwd=root)
    assert done.returncode == 0, done.stdout
    missing = root / (content_dir or "content")
    assert done.stderr == f"citecheck: warning: the content folder {missing} does not exist (is it made by a build step?)\n"

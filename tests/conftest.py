"""Shared helpers (small Hugo sites written into a temporary folder, the CLI as a user runs it) and the
suite's options: the opt-in corpus tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SARIF_SCHEMA = FIXTURES / "sarif" / "sarif-schema-2.1.0.json"
# The real wiki sample (beside the checkout, or where CITECHECK_CORPUS says): only the tests marked
# `corpus` read it, and only when asked for with --corpus or CITECHECK_CORPUS.
CORPUS_ENV = "CITECHECK_CORPUS"
CORPUS = Path(os.environ.get(CORPUS_ENV) or REPO.parent / "shared" / "corpus").resolve()

# Every server the tests talk to is on loopback: a proxy from the environment (CI runners often have
# one for package registries) must not carry requests there, or each waits out its timeouts.
for _name in ("NO_PROXY", "no_proxy"):
    os.environ[_name] = ",".join(filter(None, (os.environ.get(_name), "127.0.0.1,localhost,::1")))

# A `citecheck server` a developer runs for a site of their own must not answer the suite's checks;
# the server's own tests turn this off.
os.environ["CITECHECK_NO_SERVER"] = "1"

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


def pytest_addoption(parser):
    parser.addoption("--corpus", action="store_true",
                     help=f"also run the tests on the real wiki sample in {CORPUS} ({CORPUS_ENV}=DIR: that one)")


def _corpus_wanted(config) -> bool:
    return bool(config.getoption("--corpus") or os.environ.get(CORPUS_ENV))


def pytest_configure(config):
    config.addinivalue_line("markers", "corpus: reads the real wiki sample beside the checkout (--corpus)")
    if _corpus_wanted(config) and not CORPUS.is_dir():
        raise pytest.UsageError(f"--corpus: the wiki sample {CORPUS} is not there")
    # The tests start citecheck in hundreds of processes; where PYTHONDONTWRITEBYTECODE is set
    # (as on some CI machines) each would compile every module again (~0.07 s a start). Written
    # once here (atomically, so xdist workers may race), the bytecode is then only read.
    import compileall

    compileall.compile_dir(str(REPO / "citecheck"), quiet=2)


def pytest_collection_modifyitems(config, items):
    """Without --corpus the corpus tests are deselected (counted as such), never skipped or failed."""
    if _corpus_wanted(config):
        return
    deselected = [item for item in items if item.get_closest_marker("corpus")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("corpus")]
        if hasattr(config, "workeroutput"):  # an xdist worker: its controller counts them (below)
            config.workeroutput["deselected"] = [item.nodeid for item in deselected]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """xdist does not pass deselections on from its workers; every worker deselects the same tests,
    so the first to finish tells the controller's summary."""
    ids = getattr(node, "workeroutput", {}).get("deselected")
    if ids and not getattr(node.config, "_corpus_counted", False):
        node.config._corpus_counted = True
        node.config.hook.pytest_deselected(items=[SimpleNamespace(nodeid=nodeid) for nodeid in ids])


def sarif_errors(log: dict) -> list:
    """Where a SARIF log breaks the SARIF 2.1.0 schema (empty: valid)."""
    import jsonschema

    validator = jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")),
                                           format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    return sorted(validator.iter_errors(log), key=str)


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


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 120,
            prefix: tuple[str, ...] = (), env: dict[str, str] | None = None,
            pythonpath: Path = REPO) -> subprocess.CompletedProcess:
    """The installed command as a user runs it (python -m keeps it independent of PATH); `prefix`
    is a command it runs under, `env` variables set for it, `pythonpath` the checkout it runs."""
    env = {**os.environ, **(env or {}), "PYTHONPATH": str(pythonpath)}
    return subprocess.run([*prefix, sys.executable, "-m", "citecheck", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def as_file_modes_say() -> tuple[str, ...]:
    """A `run_cli` prefix under which file modes hold: root reads and writes any file unless it
    gives up the capabilities that let it (setpriv)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("root reads and writes files whatever their mode, and setpriv is not here to stop that")
    return (setpriv, "--bounding-set=-dac_override,-dac_read_search")


@pytest.fixture
def site(tmp_path):
    def make(files: dict[str, str | bytes], config: str = "", hugo: str = HUGO_TOML) -> Path:
        return write_site(tmp_path / "site", files, config, hugo)

    return make

"""A site's outside world on 127.0.0.1: Crossref, doi.org and every web host its pages name.

For whole-site runs (the audit benchmark, the example report): the site is read once for what it
cites and links; Crossref gets a record restating each citation block, the web hosts answer every
path; `config_text` points the site at them. What happens to a DOI or a URL is decided by a hash
of it, so every run of the same site sees the same world:

  DOIs   2 % not registered (DOI003), 1 % retracted (DOI005), 1 % DataCite's (DOI008),
         4 % a record with another year (DOI004), the rest as cited
  URLs   2 % answer 404; content types follow the extension

    cited, hosts = survey(site)
    with World(cited, hosts) as world:
        (site / "citecheck.toml").write_text(world.config_text(settings))
"""

from __future__ import annotations

import json
import subprocess
import sys
import zlib
from pathlib import Path

from citecheck.extract.citations import extract_citations
from citecheck.model import Citation
from citecheck.parse.page import parse_page
from citecheck.site.urls import split_url
from citecheck.text import bibliographic as bib
from tests.servers.crossref import CrossrefServer
from tests.servers.doiorg import DoiOrgServer
from tests.servers.records import work

WEB = Path(__file__).resolve().parents[2] / "bench" / "urls.py"  # its --serve mode: many hosts, one process
RESOLVERS = {"doi.org", "dx.doi.org"}


def survey(site: Path, own_hosts: tuple[str, ...] = ()) -> tuple[dict[str, Citation], set[str]]:
    """Every cited DOI (with its fullest citation block) and every other web host the pages name."""
    cited: dict[str, Citation] = {}
    hosts: set[str] = set()
    for path in sorted((site / "content").rglob("*.md")):
        data = path.read_bytes()
        page = parse_page(path.name, data)
        for citation in extract_citations(page, data):
            if citation.doi not in cited or (citation.journal and not cited[citation.doi].journal):
                cited[citation.doi] = citation
        for link in page.links:
            parts = split_url(link.url.strip())
            if parts is not None and parts.scheme.lower() in ("http", "https") and parts.hostname:
                hosts.add(parts.hostname.lower())
    return cited, hosts - RESOLVERS - set(own_hosts)


def fate(doi: str) -> str:
    n = zlib.crc32(doi.encode()) % 100
    return "missing" if n < 2 else "retracted" if n < 3 else "datacite" if n < 4 else "year" if n < 8 else "ok"


def record(citation: Citation) -> dict:
    """The Crossref record of what a citation block states, as Crossref would write it."""
    line = bib.read_journal_line(citation.journal) if citation.journal else bib.JournalLine()
    names = bib.author_names(citation.authors) if citation.authors else []
    year = int(line.year.value) if line.year and line.year.value.isdigit() else None
    if year and fate(citation.doi) == "year":
        year -= 1
    retracted = fate(citation.doi) == "retracted"
    return work(citation.doi, title=citation.title or None, journal=line.journal.value if line.journal else None,
                year=year, volume=line.volume.value if line.volume else None,
                issue=line.issue.value if line.issue else None,
                authors=[(None, names[0].family)] if names else [],
                updated_by=[("retraction", f"{citation.doi}.retraction", "publisher")] if retracted else [])


class World:
    def __init__(self, cited: dict[str, Citation], hosts: set[str], *, crossref_latency: float = 0.0,
                 web_latency: float = 0.0, broken_percent: int = 2):
        self.hosts = sorted(hosts)
        records = [record(c) for doi, c in cited.items() if fate(doi) not in ("missing", "datacite")]
        self.crossref = CrossrefServer(records, recorded=False, latency=crossref_latency)
        self.doiorg = DoiOrgServer({doi: "DataCite" for doi in cited if fate(doi) == "datacite"})
        self._web_args = [sys.executable, str(WEB), "--serve", str(max(len(self.hosts), 1)), "--latency",
                          str(web_latency), "--broken-percent", str(broken_percent)]
        self.web: subprocess.Popen | None = None
        self.ports: list[int] = []
        self.served: dict = {}

    def __enter__(self) -> World:
        self.crossref.start()
        self.doiorg.start()
        self.web = subprocess.Popen(self._web_args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.ports = json.loads(self.web.stdout.readline())
        return self

    def __exit__(self, *exc) -> None:
        self.web.stdin.close()
        self.served = json.loads(self.web.stdout.readline() or "{}")  # {"requests": n, "peak": {port: n}}
        self.web.wait()
        self.doiorg.stop()
        self.crossref.stop()

    def remap(self) -> list[list[str]]:
        return [[f"{scheme}://{host}/", f"http://127.0.0.1:{port}/"]
                for host, port in zip(self.hosts, self.ports) for scheme in ("https", "http")]

    def config_text(self, settings: str = "") -> str:
        """A citecheck.toml: the site's own `settings` (without crossref, doi or remap), pointed at this world."""
        return (f"remap = {json.dumps(self.remap())}\n{settings}\n"
                f"[crossref]\nbase-url = {json.dumps(self.crossref.url)}\nmailto = \"audit@example.org\"\n"
                f"[doi]\nresolver-url = {json.dumps(self.doiorg.url)}\n")

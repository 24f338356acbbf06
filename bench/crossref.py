"""Crossref benchmark: 20,000 distinct DOIs through the polite pool, against the local look-alike.

The look-alike (tests/servers/crossref.py) runs in its own process, serving synthesised records
with Crossref's polite-pool limits enforced (10 requests/s, 3 at once, 429 beyond) and 100 ms
added to every answer. Two clients ask it:

  citecheck  resolve_dois() on all DOIs, cold cache, polite pool config (crossref.mailto set)
  habanero   one `Crossref(base_url=…).works(ids=doi)` per DOI on a sample, 3 threads paced at
             the same 10 requests/s (the best one-per-DOI can do within the limits), then
             extrapolated to all DOIs

citecheck's wall time is compared with the pacing limit, ⌈DOIs / batch⌉ / rate seconds
(target ≤ 1.3×), and with habanero's extrapolated time and request count.

Usage: python bench/crossref.py [--dois 20000] [--sample 300] [--latency 0.1]
Run by hand (not in CI); writes bench/results/crossref-<date>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
RESULTS = REPO / "bench" / "results"
RATE, CONCURRENCY = 10, 3
MAILTO = "bench@example.org"
TARGET = 1.3


def serve(count: int, latency: float) -> None:
    """Child process: serve `count` records until stdin closes, then print what the server saw."""
    from tests.servers.crossref import CrossrefServer
    from tests.servers.records import synthetic

    with CrossrefServer(synthetic(count), recorded=False, latency=latency, rate=RATE,
                        concurrency=CONCURRENCY) as server:
        print(server.url, flush=True)
        sys.stdin.read()
        stats = {"list": server.count("/works"), "single": server.count(prefix="/works/"),
                 "refused": server.count(status=429), "max_in_flight": server.max_in_flight}
    print(json.dumps(stats), flush=True)


class Lookalike:
    def __init__(self, count: int, latency: float):
        self.proc = subprocess.Popen([sys.executable, __file__, "--serve", str(count), "--latency", str(latency)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None and self.proc.stdin is not None
        self.url = self.proc.stdout.readline().strip()

    def stats(self) -> dict:
        self.proc.stdin.close()
        out = json.loads(self.proc.stdout.readline())
        self.proc.wait()
        return out


def run_citecheck(dois: list[str], latency: float) -> dict:
    from citecheck.cache import Cache
    from citecheck.config import load
    from citecheck.remote.crossref import CrossrefClient
    from citecheck.remote.dois import resolve_dois

    server = Lookalike(len(dois), latency)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "citecheck.toml").write_text(
            f'[crossref]\nbase-url = "{server.url}"\nmailto = "{MAILTO}"\n'
            f'[doi]\nresolver-url = "{server.url}"\n[cache]\npath = "{root / "cache.db"}"\n')
        config = load(root)
        batches = CrossrefClient(config).batches(sorted(dois))
        cache = Cache(root / "cache.db")
        start = time.perf_counter()
        answers = resolve_dois(dois, config, cache)
        wall = time.perf_counter() - start
        cache.close()
    stats = server.stats()
    found = sum(a.status == "found" for a in answers.values())
    limit = math.ceil(len(dois) / len(batches[0])) / RATE
    return {"wall_s": wall, "requests": stats["list"] + stats["single"], "batch": len(batches[0]),
            "pacing_limit_s": limit, "ratio": wall / limit, "found": found, "refused": stats["refused"],
            "max_in_flight": stats["max_in_flight"]}


def run_habanero(dois: list[str], total: int, latency: float) -> dict:
    from habanero import Crossref

    from citecheck.remote.pacing import Pacer

    server = Lookalike(total, latency)
    api = Crossref(base_url=server.url, mailto=MAILTO)
    pacer = Pacer(RATE)
    found = 0
    lock = threading.Lock()

    def one(doi: str) -> None:
        nonlocal found
        pacer.wait()
        message = api.works(ids=doi)
        with lock:
            found += message.get("status") == "ok"

    start = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        list(pool.map(one, dois))
    wall = time.perf_counter() - start
    stats = server.stats()
    scale = total / len(dois)
    return {"sample": len(dois), "wall_s": wall, "requests": stats["single"], "found": found,
            "refused": stats["refused"], "max_in_flight": stats["max_in_flight"],
            "extrapolated_wall_s": wall * scale, "extrapolated_requests": stats["single"] * scale}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dois", type=int, default=20000)
    ap.add_argument("--sample", type=int, default=300)
    ap.add_argument("--latency", type=float, default=0.1)
    ap.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.serve, args.latency)
        return

    from tests.servers.records import synthetic

    dois = [w["DOI"] for w in synthetic(args.dois)]
    ours = run_citecheck(dois, args.latency)
    step = max(1, len(dois) // args.sample)
    theirs = run_habanero(dois[::step][: args.sample], len(dois), args.latency)

    print(f"{args.dois} distinct DOIs, polite pool ({RATE} req/s, {CONCURRENCY} at once), "
          f"{args.latency * 1000:.0f} ms per answer\n")
    print("| client | Crossref requests | wall s | vs pacing limit | 429s | max in flight |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| citecheck (batches of {ours['batch']}) | {ours['requests']} | {ours['wall_s']:.1f} | "
          f"{ours['ratio']:.2f}× of {ours['pacing_limit_s']:.1f} s (target ≤ {TARGET}×) | {ours['refused']} | "
          f"{ours['max_in_flight']} |")
    print(f"| habanero one per DOI ({theirs['sample']} measured, extrapolated) | "
          f"{theirs['extrapolated_requests']:.0f} | {theirs['extrapolated_wall_s']:.0f} | – | {theirs['refused']} | "
          f"{theirs['max_in_flight']} |")
    requests_ratio = theirs["extrapolated_requests"] / ours["requests"]
    wall_ratio = theirs["extrapolated_wall_s"] / ours["wall_s"]
    print(f"\nhabanero one-per-DOI / citecheck: {requests_ratio:.0f}× the requests (target ≥ 10×), "
          f"{wall_ratio:.0f}× the wall time; citecheck found {ours['found']} of {args.dois}")

    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"crossref-{dt.date.today().isoformat()}.json"
    out.write_text(json.dumps({"dois": args.dois, "latency_s": args.latency, "rate": RATE,
                               "concurrency": CONCURRENCY, "citecheck": ours, "habanero": theirs,
                               "requests_ratio": requests_ratio, "wall_ratio": wall_ratio}, indent=2) + "\n")


if __name__ == "__main__":
    main()

"""URL benchmark: 10,000 attachments on one CDN plus 5,000 external links over 500 hosts.

A look-alike process (asyncio, one listening port per host) answers every request after a fixed
latency (50 ms), HTTP/1.1 with keep-alive, and records the most requests each host ever had in
flight. Content names public hosts (`https://cdn.bench.example/…`, `https://host-N.bench.example/…`);
`remap` points each at its port, for citecheck and lychee alike. Two clients, cold, one after
the other:

  citecheck  check_urls() on every URL (cache in a temporary folder), per-host cap 8, 128 at once
  lychee     `lychee --host-concurrency 8 --max-concurrency 128 --host-request-interval 0` on a
             file of the same URLs with the same remaps (its default 50 ms interval between two
             requests to one host would make it pacing-bound, not cap-bound)

The limit the per-host cap sets: the busiest host needs ⌈its URLs / 8⌉ rounds of the latency
(the CDN: ⌈10,000 / 8⌉ × 50 ms = 62.5 s); target ≤ 1.3×, and faster than lychee.
Wall time and peak RSS (GNU time) of each client process.

Usage: python bench/urls.py [--attachments 10000] [--external 5000] [--hosts 500] [--latency 0.05]
Run by hand (not in CI); writes bench/results/urls-<date>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import math
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
PER_HOST, CONCURRENCY, TARGET = 8, 128, 1.3
CDN = "https://cdn.bench.example/"


def serve(ports: int, latency: float, broken_percent: int = 0) -> None:
    """Child process: listen on `ports` ports, print them, answer until stdin closes, print stats.
    Content types follow the path's extension; `broken_percent` of paths (by a hash, so the same
    ones every time) answer 404."""
    import mimetypes
    import zlib

    async def main() -> None:
        in_flight: dict[int, int] = {}
        peak: dict[int, int] = {}
        served = [0]

        async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, port: int) -> None:
            try:
                while True:
                    head = await reader.readuntil(b"\r\n\r\n")
                    method, target = head.split(b" ", 2)[:2]
                    path = target.split(b"?", 1)[0].decode("latin-1")
                    in_flight[port] = in_flight.get(port, 0) + 1
                    peak[port] = max(peak.get(port, 0), in_flight[port])
                    served[0] += 1
                    await asyncio.sleep(latency)
                    in_flight[port] -= 1
                    missing = broken_percent and zlib.crc32(target) % 100 < broken_percent
                    kind = mimetypes.guess_type(path)[0] or "text/html"
                    body = b"%PDF-1.7 bench" if kind == "application/pdf" else b"<p>bench</p>\n"
                    status = b"404 Not Found" if missing else b"200 OK"
                    writer.write(b"HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n"
                                 b"Connection: keep-alive\r\n\r\n" % (status, kind.encode(), len(body))
                                 + (b"" if method == b"HEAD" else body))
                    await writer.drain()
            except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
                pass
            finally:
                writer.close()

        servers = []
        for _ in range(ports):
            server = await asyncio.start_server(lambda r, w: answer(r, w, w.get_extra_info("sockname")[1]),
                                                "127.0.0.1", 0, backlog=1024)
            servers.append(server)
        print(json.dumps([s.sockets[0].getsockname()[1] for s in servers]), flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        print(json.dumps({"requests": served[0], "peak": peak}), flush=True)

    asyncio.run(main())


def workload(ports: list[int], attachments: int, external: int, hosts: int):
    """(URLs as content writes them, remap pairs, requests per host)."""
    remap = [[CDN, f"http://127.0.0.1:{ports[0]}/"]]
    urls = [f"{CDN}attachments/pdf/paper-{i:05d}.pdf" for i in range(attachments)]
    per_host = {ports[0]: attachments}
    for h in range(hosts):
        name = f"https://host-{h}.bench.example/"
        remap.append([name, f"http://127.0.0.1:{ports[1 + h]}/"])
        count = external // hosts + (1 if h < external % hosts else 0)
        urls += [f"{name}article/{j}.html" for j in range(count)]
        per_host[ports[1 + h]] = count
    return urls, remap, per_host


def timed(command: list[str], cwd: Path) -> dict:
    """Wall time, peak RSS and exit code of a command (GNU time when there is one)."""
    gnu = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    report = cwd / "time.txt"
    prefix = [gnu, "-f", "%M %U %S", "-o", str(report)] if gnu else []
    start = time.perf_counter()
    done = subprocess.run(prefix + command, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    measured = report.read_text().split()[-3:] if gnu and report.exists() else None
    rss_mb, cpu = (int(measured[0]) / 1024, float(measured[1]) + float(measured[2])) if measured else (None, None)
    return {"wall_s": round(wall, 2), "peak_rss_mb": round(rss_mb, 1) if rss_mb else None, "cpu_s": cpu,
            "exit": done.returncode, "stdout": done.stdout[-2000:], "stderr": done.stderr[-2000:]}


CLIENT = """
import json, sys
from pathlib import Path
sys.path.insert(0, {repo!r})
from citecheck.cache import Cache
from citecheck.config import load
from citecheck.remote.urls import check_urls
root = Path({root!r})
urls = Path({urls!r}).read_text().split()
cache = Cache(root / "cache.db")
out = check_urls(urls, load(root), cache)
cache.close()
counts = {{}}
for outcome in out.values():
    counts[outcome.status] = counts.get(outcome.status, 0) + 1
print(json.dumps(counts))
"""


def run_citecheck(folder: Path, urls_file: Path, remap: list) -> dict:
    root = folder / "citecheck"
    root.mkdir()
    (root / "citecheck.toml").write_text(
        f"remap = {json.dumps(remap)}\n[network]\nper-host = {PER_HOST}\nconcurrency = {CONCURRENCY}\n"
        "timeout = 20\n", encoding="utf-8")
    script = CLIENT.format(repo=str(REPO), root=str(root), urls=str(urls_file))
    result = timed([sys.executable, "-c", script], root)
    result["outcomes"] = json.loads(result["stdout"].strip().splitlines()[-1]) if result["exit"] == 0 else None
    return result


def run_lychee(folder: Path, urls_file: Path, remap: list) -> dict | None:
    venv = Path(sys.executable).parent / "lychee"
    lychee = str(venv) if venv.exists() else shutil.which("lychee")
    if lychee is None:
        return None
    root = folder / "lychee"
    root.mkdir()
    patterns = [f"^{a.replace('.', chr(92) + '.')} {b}" for a, b in remap]
    (root / "lychee.toml").write_text(f"remap = {json.dumps(patterns)}\n", encoding="utf-8")
    command = [lychee, "--config", "lychee.toml", "--no-progress", "--max-concurrency", str(CONCURRENCY),
               "--host-concurrency", str(PER_HOST), "--host-request-interval", "0ms", "--format", "json",
               "--timeout", "20", str(urls_file)]
    result = timed(command, root)
    try:
        summary = json.loads(result["stdout"] or "{}")
        result["outcomes"] = {k: summary.get(k) for k in ("total", "successful", "errors", "timeouts")}
    except json.JSONDecodeError:
        result["outcomes"] = None
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attachments", type=int, default=10_000)
    parser.add_argument("--external", type=int, default=5_000)
    parser.add_argument("--hosts", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--broken-percent", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--skip-lychee", action="store_true")
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.latency, args.broken_percent)
        return

    results = {}
    for client in ("citecheck", "lychee"):
        if client == "lychee" and args.skip_lychee:
            continue
        # A fresh look-alike for each client: its counters say what that client did.
        server = subprocess.Popen([sys.executable, __file__, "--serve", str(args.hosts + 1), "--latency",
                                   str(args.latency)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert server.stdin is not None and server.stdout is not None
        ports = json.loads(server.stdout.readline())
        urls, remap, per_host = workload(ports, args.attachments, args.external, args.hosts)
        with tempfile.TemporaryDirectory(prefix="cc-bench-urls-") as tmp:
            folder = Path(tmp)
            urls_file = folder / "urls.txt"
            urls_file.write_text("\n".join(urls) + "\n", encoding="utf-8")
            run = run_citecheck if client == "citecheck" else run_lychee
            result = run(folder, urls_file, remap)
        server.stdin.close()
        stats = json.loads(server.stdout.readline())
        server.wait()
        if result is None:
            continue
        if result["exit"] in (0, 2):  # lychee exits 2 when it finds broken links
            del result["stdout"], result["stderr"]
        result["requests"] = stats["requests"]
        result["max_in_flight_per_host"] = max(stats["peak"].values(), default=0)
        results[client] = result

    limit = max(max(math.ceil(n / PER_HOST) for n in per_host.values()) * args.latency,
                math.ceil(len(urls) / CONCURRENCY) * args.latency)
    report = {"date": dt.date.today().isoformat(), "urls": len(urls), "attachments": args.attachments,
              "external": args.external, "hosts": args.hosts + 1, "latency_s": args.latency,
              "per_host": PER_HOST, "concurrency": CONCURRENCY, "limit_s": round(limit, 2), "clients": results}
    print(f"{len(urls)} URLs on {args.hosts + 1} hosts, {args.latency * 1000:.0f} ms each, {PER_HOST} per host: "
          f"the per-host cap allows {limit:.1f} s at best")
    for client, r in results.items():
        print(f"  {client:9} {r['wall_s']:7.1f} s  {r['wall_s'] / limit:5.2f}× the limit  "
              f"peak RSS {r['peak_rss_mb']} MB  CPU {r['cpu_s']} s  requests {r['requests']}  max in flight per host "
              f"{r['max_in_flight_per_host']}  exit {r['exit']}  {r['outcomes']}")
    citecheck = results.get("citecheck")
    if citecheck:
        ratio = citecheck["wall_s"] / limit
        report["ratio_to_limit"] = round(ratio, 3)
        print(f"  target ≤ {TARGET}× the limit: {'PASS' if ratio <= TARGET else 'FAIL'} ({ratio:.2f}×)")
        if "lychee" in results:
            versus = citecheck["wall_s"] / results["lychee"]["wall_s"]
            report["ratio_to_lychee"] = round(versus, 3)
            print(f"  faster than lychee: {'PASS' if versus < 1 else 'FAIL'} ({versus:.2f}× lychee's wall time)")
    save("urls", report)


def save(name: str, report: dict) -> None:
    """bench/results/<name>-<date>.json (ignored by git)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{name}-{report['date']}.json"
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()

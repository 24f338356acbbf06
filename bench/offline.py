"""Offline benchmark: citecheck vs lychee on a site made by bench/make_site.py.

Workloads, all run from the site root:
  lychee     lychee --offline --root-dir content --fallback-extensions md content/posts/
  cold       citecheck check --format json --output /dev/null .   (.citecheck/ deleted before each run)
  cold-1cpu  the same on one core (taskset -c 0: one worker), when taskset is there
  nocache    the same with --no-cache (what the cache costs a first run)
  warm       the same again, nothing changed
  one-file   one post gets a line appended, citecheck check --format json content/posts/<post>.md,
             then the post is restored
  one-file-server  the same with `citecheck server start` run before (and stopped after): the check
             is handed to the site's resident process

Usage: python bench/offline.py SITE_DIR [--repeat 3] [--citecheck CMD] [--lychee CMD]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
# The seed post of the corpus: it has internal links, DOIs and a citation block.
ONE_FILE = "restless-leg-syndrome-linked-to-brain-genes-associated-with-vitamin-d-and-iron.md"
TARGETS = {"cold_ratio": 3.0, "cold_moonshot": 2.0, "warm_ratio": 0.5, "one_file_s": 0.1, "peak_ratio": 2.0,
           "cache_ratio": 0.5, "caching_share": 0.10}

# Fallback when GNU time is missing: RUSAGE_CHILDREN of a fresh interpreter covers
# only the measured command, not the benchmark process itself.
RUSAGE_WRAPPER = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.call(sys.argv[2:])\n"
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(rc)\n"
)


def gnu_time() -> bool:
    with tempfile.NamedTemporaryFile("r") as f:
        try:
            subprocess.run(["/usr/bin/time", "-f", "%M", "-o", f.name, "true"], check=True)
            return f.read().strip().isdigit()
        except (OSError, subprocess.CalledProcessError):
            return False


USE_GNU_TIME = gnu_time()


def run_once(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, int, int, str]:
    """Wall seconds, peak RSS in KiB, exit code and stderr tail of one run."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        if USE_GNU_TIME:
            wrapped = ["/usr/bin/time", "-f", "%M", "-o", rss.name, *cmd]
        else:
            wrapped = [sys.executable, "-c", RUSAGE_WRAPPER, rss.name, *cmd]
        t0 = time.perf_counter()
        proc = subprocess.run(wrapped, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, errors="replace")
        wall = time.perf_counter() - t0
        # GNU time puts "Command exited with non-zero status N" before the figure.
        lines = rss.read().split()
        peak_kb = int(lines[-1]) if lines and lines[-1].isdigit() else -1
    return wall, peak_kb, proc.returncode, proc.stderr[-2000:]


def measure(name: str, cmd: list[str], cwd: Path, repeat: int, env: dict | None = None,
            before=None, after=None) -> dict:
    runs = []
    for i in range(repeat):
        if before:
            before(i)
        try:
            runs.append(run_once(cmd, cwd, env))
        finally:
            if after:
                after()
        print(f"  {name} run {i + 1}/{repeat}: {runs[-1][0]:.3f} s, exit {runs[-1][2]}", flush=True)
    walls = [r[0] for r in runs]
    return {
        "cmd": shlex.join(cmd),
        "runs_s": [round(w, 4) for w in walls],
        "median_s": round(statistics.median(walls), 4),
        "peak_rss_mb": round(max(r[1] for r in runs) / 1024, 1),
        "exit_codes": [r[2] for r in runs],
        "stderr_tail": runs[-1][3][-500:],
    }


def venv_bin() -> Path:
    """bin/ of the project's venv: the active one, $VIRTUAL_ENV, or ../venv next to the repo."""
    if sys.prefix != sys.base_prefix:
        return Path(sys.executable).parent
    for root in (os.environ.get("VIRTUAL_ENV"), REPO.parent / "venv"):
        if root and (Path(root) / "bin" / "python").exists():
            return Path(root) / "bin"
    return Path(sys.executable).parent


def find_lychee(override: str | None) -> list[str]:
    if override:
        return shlex.split(override)
    local = venv_bin() / "lychee"
    return [str(local) if local.exists() else shutil.which("lychee") or "lychee"]


def find_citecheck(override: str | None) -> tuple[list[str], dict]:
    """Command and environment; the -m fallback puts the checkout on PYTHONPATH so the
    working tree is benchmarked even when the package is not installed."""
    env = dict(os.environ)
    # Measure an installed tool: bytecode cached, as pip leaves it (some shells disable that).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["CITECHECK_NO_SERVER"] = "1"  # only the one-file-server workload runs through a server
    if override:
        return shlex.split(override), env
    for exe in (venv_bin() / "citecheck", shutil.which("citecheck")):
        if exe and Path(exe).exists():
            return [str(exe)], env
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return [str(venv_bin() / "python"), "-m", "citecheck"], env


def probe(cmd: list[str], env: dict | None = None) -> tuple[str | None, str]:
    """(None, first output line) if cmd runs, else (why not, "")."""
    try:
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"{shlex.join(cmd)}: {e}", ""
    if p.returncode != 0:
        tail = (p.stderr or p.stdout).strip().splitlines()[-1:] or ["no output"]
        return f"{shlex.join(cmd)} exited {p.returncode}: {tail[0]}", ""
    return None, (p.stdout.strip().splitlines() or [""])[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site", type=Path, help="site made by bench/make_site.py")
    ap.add_argument("--repeat", type=int, default=3, help="runs per workload; the median is reported")
    ap.add_argument("--citecheck", help="citecheck command (default: citecheck on PATH, else python -m citecheck)")
    ap.add_argument("--lychee", help="lychee command (default: the venv's lychee, else PATH)")
    ap.add_argument("--only", help="comma-separated workloads to run (e.g. one_file,one_file_server); "
                    "the others are reported as not run. The site's cache must exist for the warm ones")
    args = ap.parse_args()
    wanted = set(args.only.split(",")) if args.only else None

    def want(name: str) -> bool:
        return wanted is None or name in wanted

    site = args.site.resolve()
    posts = sorted((site / "content" / "posts").glob("*.md"))
    if not posts or not (site / "hugo.toml").exists():
        sys.exit(f"{site} is not a generated site; run: python bench/make_site.py {args.site}")
    one = site / "content" / "posts" / ONE_FILE
    one = one if one.exists() else posts[0]
    size = sum(p.stat().st_size for p in posts)
    print(f"site {site}: {len(posts)} pages, {size / 1e6:.1f} MB; peak RSS via "
          f"{'/usr/bin/time -f %M' if USE_GNU_TIME else 'getrusage(RUSAGE_CHILDREN)'}; repeat {args.repeat}")

    lychee = find_lychee(args.lychee)
    citecheck, cc_env = find_citecheck(args.citecheck)
    lychee_err, lychee_version = probe([*lychee, "--version"])
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "citecheck")], check=False)
    cc_err, _ = probe([*citecheck, "check", "--help"], cc_env)
    results: dict = {"lychee": None, "cold": None, "cold_1cpu": None, "nocache": None, "warm": None,
                     "one_file": None, "one_file_server": None}
    server_rss = None
    cache_bytes = None

    if not want("lychee"):
        pass
    elif lychee_err:
        print(f"lychee not runnable: {lychee_err}")
    else:
        results["lychee"] = measure("lychee", [*lychee, "--offline", "--root-dir", "content",
                                               "--fallback-extensions", "md", "content/posts/"],
                                    site, args.repeat)
    if cc_err:
        print(f"citecheck NOT RUNNABLE YET ({cc_err}); only lychee is measured. "
              f"Use --citecheck CMD to point at another command.")
    else:
        full = [*citecheck, "check", "--format", "json", "--output", "/dev/null", "."]
        cache = site / ".citecheck"
        wipe = lambda i: shutil.rmtree(cache, ignore_errors=True)  # noqa: E731
        if want("nocache"):
            results["nocache"] = measure("nocache", [*full[:-1], "--no-cache", "."], site, args.repeat, cc_env,
                                         before=wipe)
        if shutil.which("taskset") and want("cold_1cpu"):
            results["cold_1cpu"] = measure("cold-1cpu", ["taskset", "-c", "0", *full], site, args.repeat,
                                           cc_env, before=wipe)
        # Last of the cold ones: it leaves the cache the warm runs read.
        if want("cold"):
            results["cold"] = measure("cold", full, site, args.repeat, cc_env, before=wipe)
            cache_bytes = sum(f.stat().st_size for f in cache.glob("cache.db*"))
        if want("warm"):
            results["warm"] = measure("warm", full, site, args.repeat, cc_env)

        original, st = one.read_bytes(), one.stat()

        def edit(i: int) -> None:
            # A different line each run, so no run can be answered from a previous run's cache.
            line = f"\nBench edit {i} {time.time_ns()}: see [the same post](/posts/{one.stem}).\n"
            one.write_bytes(original + line.encode())

        def restore() -> None:
            # Same bytes and mtime, so the next workload sees an unchanged site.
            one.write_bytes(original)
            os.utime(one, ns=(st.st_atime_ns, st.st_mtime_ns))

        one_cmd = [*citecheck, "check", "--format", "json", str(one.relative_to(site))]
        if want("one_file"):
            results["one_file"] = measure("one-file", one_cmd, site, args.repeat, cc_env, before=edit, after=restore)
        served_env = {**cc_env, "CITECHECK_NO_SERVER": ""}
        if want("one_file_server"):
            started = subprocess.run([*citecheck, "server", "start", "."], cwd=site,
                                     env={**os.environ, **served_env}, capture_output=True, text=True)
            if started.returncode == 0:
                try:
                    results["one_file_server"] = measure("one-file-server", one_cmd, site, args.repeat, served_env,
                                                         before=edit, after=restore)
                    server_rss = peak_of(int(started.stdout.split("(pid ")[1].split(")")[0]))
                finally:
                    subprocess.run([*citecheck, "server", "stop", "."], cwd=site, env={**os.environ, **served_env},
                                   capture_output=True)
            else:
                print(f"citecheck server did not start: {started.stderr.strip()}")

    report(results, site, len(posts), size, lychee, lychee_version, citecheck, cc_err, args.repeat, cache_bytes,
           server_rss)


def peak_of(pid: int) -> float | None:
    """The peak RSS (MB) of a running process, from /proc (Linux)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return None


def report(results: dict, site: Path, pages: int, size: int, lychee: list[str], lychee_version: str,
           citecheck: list[str], cc_err: str | None, repeat: int, cache_bytes: int | None,
           server_rss: float | None = None) -> None:
    print(f"\n{'workload':<10} {'median s':>9} {'peak MB':>8}  exit  runs (s)")
    for name, r in results.items():
        if r is None:
            print(f"{name:<10} {'-':>9} {'-':>8}  {'-':>4}  not run")
        else:
            print(f"{name:<10} {r['median_s']:>9.3f} {r['peak_rss_mb']:>8.1f}  "
                  f"{','.join(map(str, sorted(set(r['exit_codes'])))):>4}  {r['runs_s']}")

    ly, cold, nocache, warm, one, served = (results[k] for k in ("lychee", "cold", "nocache", "warm", "one_file",
                                                                  "one_file_server"))
    if server_rss is not None:
        print(f"{'':<10} (the server's own peak RSS: {server_rss:.1f} MB; the column shows its client's)")

    def ratio(r: dict | None) -> float | None:
        return r["median_s"] / ly["median_s"] if r and ly else None

    # Exit 2 is citecheck's usage/internal error: a fast crash must not pass a target.
    measured = ("cold", "cold_1cpu", "nocache", "warm", "one_file", "one_file_server")
    crashed = [k for k in measured if results[k] and 2 in results[k]["exit_codes"]]
    peaks = [results[k]["peak_rss_mb"] for k in measured[:-1] if results[k]] + ([server_rss] if server_rss else [])
    le = lambda v, t: v <= t  # noqa: E731
    checks = [
        ("cold <= 3.0x lychee", ratio(cold), TARGETS["cold_ratio"], le, "x"),
        ("cold <= 2.0x lychee (moonshot)", ratio(cold), TARGETS["cold_moonshot"], le, "x"),
        ("warm <= 0.5x lychee", ratio(warm), TARGETS["warm_ratio"], le, "x"),
        ("one changed file <= 0.1 s", one and one["median_s"], TARGETS["one_file_s"], le, " s"),
        ("  the same, server running", served and served["median_s"], TARGETS["one_file_s"], le, " s"),
        ("peak memory <= 2x lychee's", max(peaks) / ly["peak_rss_mb"] if peaks and ly else None,
         TARGETS["peak_ratio"], le, "x"),
        ("cache.db <= 0.5x content", cache_bytes / size if cache_bytes else None, TARGETS["cache_ratio"], le, "x"),
        ("caching <= 10% of cold", cold["median_s"] / nocache["median_s"] - 1 if cold and nocache else None,
         TARGETS["caching_share"], le, ""),
    ]
    targets = []
    print()
    for label, value, limit, ok, unit in checks:
        verdict = "n/a" if value is None else ("FAIL" if crashed or not ok(value, limit) else "PASS")
        shown = "-" if value is None else f"{value:.2f}{unit}"
        print(f"{label:<30} {shown:>10}  {verdict}")
        targets.append({"target": label, "value": value and round(value, 4), "limit": limit, "result": verdict})
    if crashed:
        print(f"citecheck exited 2 (error) in: {', '.join(crashed)}; see stderr_tail in the JSON")
    if cc_err:
        print(f"citecheck not runnable: {cc_err}")

    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"offline-{dt.date.today().isoformat()}.json"
    out.write_text(json.dumps({
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "site": {"dir": str(site), "pages": pages, "bytes": size},
        "repeat": repeat,
        "peak_rss_method": "/usr/bin/time -f %M" if USE_GNU_TIME else "getrusage(RUSAGE_CHILDREN)",
        "lychee_cmd": shlex.join(lychee),
        "lychee_version": lychee_version,
        "citecheck_cmd": shlex.join(citecheck),
        "citecheck_error": cc_err,
        "workloads": results,
        "cache_bytes": cache_bytes,
        "server_peak_rss_mb": server_rss,
        "targets": targets,
    }, indent=2) + "\n")
    print(f"\nresults written to {out}")


if __name__ == "__main__":
    main()

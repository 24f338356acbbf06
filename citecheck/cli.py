"""Command line: `citecheck check`, `rule`, `rules`, `cache`. Heavy imports happen inside commands."""

from __future__ import annotations

import argparse
import functools
import os
import sys
from pathlib import Path

from citecheck import __version__
from citecheck.report import FORMATS

SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}


def _codes(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of worker processes: {value!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"a number of worker processes is 1 or more, not {value}")
    return jobs


JOBS_HELP = "worker processes for parsing and checking (default: one per available core, at most 8; 1: none)"


def _days(value: str) -> float:
    try:
        days = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of days: {value!r}") from None
    if not days >= 0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"a number of days is 0 or more, not {value}")
    return days


def _minutes(value: str) -> float:
    try:
        minutes = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of minutes: {value!r}") from None
    if not minutes > 0:
        raise argparse.ArgumentTypeError(f"a number of minutes is more than 0, not {value}")
    return minutes


def _template(value: str) -> str:
    if "{path}" not in value:
        raise argparse.ArgumentTypeError("the template needs {path} (and usually {line}), e.g. "
                                         "https://github.com/o/r/blob/main/{path}#L{line}")
    return value


@functools.cache  # built once per process (a server builds it before any run): parsing leaves it as it was
def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="citecheck", description="Link and citation linter for Markdown content sites.")
    top.add_argument("--version", action="version", version=f"citecheck {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="lint pages (offline unless --network)")
    check.add_argument("paths", nargs="*", type=Path, help="files or folders (default: the whole site)")
    check.add_argument("--network", action="store_true", help="enable network rules")
    check.add_argument("--changed-since", metavar="REF",
                       help="check the pages changed since git REF and the pages those changes can break")
    check.add_argument("--select", type=_codes, help="rule codes or prefixes to enable, comma separated")
    check.add_argument("--ignore", type=_codes, help="rule codes or prefixes to disable")
    check.add_argument("--extend-select", type=_codes, help="codes or prefixes to enable in addition")
    check.add_argument("--format", default="text", choices=FORMATS, help="output format")
    check.add_argument("--output", "-o", type=Path, help="write the report to FILE")
    check.add_argument("--fix", action="store_true", help="apply safe fixes")
    check.add_argument("--unsafe-fixes", action="store_true", help="with --fix, also apply unsafe fixes")
    check.add_argument("--diff", action="store_true", help="show the fixes as a diff instead of writing them")
    check.add_argument("--baseline", type=Path, help="report only findings not recorded in FILE")
    check.add_argument("--write-baseline", type=Path, metavar="FILE", help="record the current findings in FILE")
    check.add_argument("--strict-network", action="store_true", help="inconclusive network checks fail the run")
    check.add_argument("--config", type=Path, help="configuration file (default: found by walking up)")
    check.add_argument("--hugo-exact", action="store_true",
                       help="take page URLs and dates from `hugo list all` (needs hugo) instead of the built-in model")
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    check.add_argument("-j", "--jobs", type=_jobs, metavar="N", help=JOBS_HELP)
    check.add_argument("--statistics", action="store_true", help="count findings per rule")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
    check.add_argument("--fail-on", choices=tuple(SEVERITY_RANK), help="lowest severity that fails the run")
    check.add_argument("-q", "--quiet", action="store_true", help="print findings only")
    check.add_argument("-v", "--verbose", action="store_true", help="more detail; tracebacks on errors")

    audit = sub.add_parser("audit", help="check every page with every rule, network on, and write reports")
    audit.add_argument("site", nargs="?", type=Path, default=Path("."), help="the site root (default: here)")
    audit.add_argument("--report-dir", type=Path, help="where report.html, report.json and summary.md go "
                       "(default: SITE/citecheck-report)")
    audit.add_argument("--select", type=_codes, help="rule codes or prefixes to enable, comma separated")
    audit.add_argument("--ignore", type=_codes, help="rule codes or prefixes to disable")
    audit.add_argument("--max-age", type=_days, metavar="DAYS",
                       help="ask again remote answers older than DAYS (default: each answer's own TTL)")
    audit.add_argument("--fail-on", choices=tuple(SEVERITY_RANK), help="lowest severity that fails the run")
    audit.add_argument("--strict-network", action="store_true", help="inconclusive network checks fail the run")
    audit.add_argument("--source-url", type=_template, metavar="TEMPLATE",
                       help="link findings to their source, e.g. https://github.com/o/r/blob/main/{path}#L{line}")
    audit.add_argument("--config", type=Path, help="configuration file (default: found by walking up)")
    audit.add_argument("--no-cache", action="store_true", help="neither read nor write the cache (no history)")
    audit.add_argument("--no-progress", action="store_true", help="no progress display")
    audit.add_argument("-j", "--jobs", type=_jobs, metavar="N", help=JOBS_HELP)
    audit.add_argument("-q", "--quiet", action="store_true", help="print only the summary line")
    audit.add_argument("-v", "--verbose", action="store_true", help="tracebacks on errors")

    rule = sub.add_parser("rule", help="explain a rule")
    rule.add_argument("code")
    server = sub.add_parser("server", help="keep a process per site that answers `check` at once")
    server.add_argument("action", choices=("start", "stop", "status"))
    server.add_argument("site", nargs="?", type=Path, default=Path("."), help="the site root (default: here)")
    server.add_argument("--idle", type=_minutes, default=480.0, metavar="MINUTES",
                        help="stop after MINUTES without a request (default: 480)")
    server.add_argument("--config", type=Path, help="configuration file (default: found by walking up)")
    rules = sub.add_parser("rules", help="list all rules")
    rules.add_argument("--format", default="text", choices=("text", "json"))
    rules.add_argument("--config", type=Path)
    cache = sub.add_parser("cache", help="inspect or clear the cache")
    cache.add_argument("action", choices=("info", "clear"))
    cache.add_argument("path", nargs="?", type=Path, default=Path("."))
    cache.add_argument("--config", type=Path)
    return top


def run(argv: list[str]) -> int:
    """`main` with the collector paced for a run: a run builds millions of small objects that live
    until the end and form no cycles; the collector's default pace (a pass every 700 allocations,
    each walking the young objects, and now and then the whole heap) spent about a tenth of a
    first run finding no garbage."""
    import gc

    gc.set_threshold(50_000, 20, 100)
    return main(argv)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command is None:
        parser().print_help()
        return 2
    from citecheck.config import ConfigError

    from citecheck.engine import parallel

    parallel.set_workers(getattr(args, "jobs", None))
    try:
        commands = {"check": cmd_check, "audit": cmd_audit, "rule": cmd_rule, "rules": cmd_rules, "cache": cmd_cache,
                    "server": cmd_server}
        return commands[args.command](args)
    except ConfigError as exc:
        print(f"citecheck: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `citecheck rules | head`: the reader left, nothing is wrong
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("citecheck: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: one line, unless asked for detail
        if getattr(args, "verbose", False):
            raise
        print(f"citecheck: internal error: {type(exc).__name__}: {exc} (run with -v for details)", file=sys.stderr)
        return 2


def _load_config(args) -> object:
    from citecheck import config

    paths = getattr(args, "paths", None) or []
    # Of the files a commit names (a README beside the site's pages), the site is the one a page is in.
    start = next((p for p in paths if config.in_a_site(p)), paths[0]) if paths else Path.cwd()
    for name in ("path", "site"):
        if getattr(args, name, None) is not None:
            start = getattr(args, name)
    return config.load(start, args.config, exact=getattr(args, "hugo_exact", False))


def cmd_check(args) -> int:
    from citecheck import discover

    config = _load_config(args)
    # The content files are listed in the background while the engine is imported and prepared.
    listing = discover.Listing(config.content_dir, config.root, config.get("exclude"), config.get("follow-symlinks"))
    try:
        return _check(args, config, listing)
    finally:
        listing.close()


def _check(args, config, listing) -> int:
    from citecheck.engine.runner import Options, run

    options = Options(paths=args.paths, select=args.select, ignore=args.ignore, extend_select=args.extend_select,
                      network=args.network, use_cache=not args.no_cache, listing=listing)
    if args.changed_since:
        from citecheck.engine.changes import pages_to_check

        options.only = pages_to_check(config, args.changed_since, use_cache=not args.no_cache)
    result = run(config, options)
    fixed = 0
    if args.diff:
        from citecheck.engine.fixing import diff_fixes

        text = diff_fixes(result, unsafe=args.unsafe_fixes)
        sys.stdout.write(text)
        return 1 if text else 0
    if args.fix:
        from citecheck.engine.fixing import fix_until_stable

        result, fixed = fix_until_stable(config, options, result, unsafe=args.unsafe_fixes)
    if args.write_baseline:
        from citecheck.engine import baseline

        baseline.write(args.write_baseline, result.findings, config.root)
    baseline_file = args.baseline or (config.root / config.get("baseline") if config.get("baseline") else None)
    if baseline_file and not args.write_baseline:
        from citecheck.engine import baseline

        # Entries for pages or rules this run did not check are not stale, only unchecked.
        result.findings, stale = baseline.filter(baseline_file, result.findings, config.root, paths=result.targets,
                                                 codes={rule.code for rule in result.rules})
        result.warnings.extend(f"{baseline_file}: stale entry: {entry}" for entry in stale)
    for line in result.errors:
        print(f"citecheck: error: {line}", file=sys.stderr)
    if not args.quiet:
        for line in result.warnings:
            print(f"citecheck: warning: {line}", file=sys.stderr)
    if args.verbose:
        for phase, seconds in result.timings:
            print(f"citecheck: {seconds:7.3f} s  {phase}", file=sys.stderr)
    _emit(args, result, fixed)
    if result.errors:
        return 2
    return 0 if args.exit_zero else _exit_code(result.findings, args, config)


def _exit_code(findings, args, config) -> int:
    fail_on = SEVERITY_RANK[args.fail_on or config.get("fail-on")]
    # Inconclusive network answers never fail a build unless asked (a flaky host is not a defect).
    # --strict-network makes an unverified answer fail whatever its severity.
    failing = [f for f in findings if f.code == "NET001" and args.strict_network
               or f.code != "NET001" and SEVERITY_RANK[f.severity] >= fail_on]
    return 1 if failing else 0


def cmd_audit(args) -> int:
    from citecheck.audit import progress
    from citecheck.audit.run import AuditOptions, audit

    if not args.site.is_dir():
        print(f"citecheck: error: {args.site}: not a folder", file=sys.stderr)
        return 2
    config = _load_config(args)
    report_dir = args.report_dir or config.root / "citecheck-report"
    try:  # before the audit, not after an hour of it
        report_dir.mkdir(parents=True, exist_ok=True)
        probe = report_dir / ".citecheck-write-test"
        probe.touch()
        probe.unlink()
    except OSError as exc:
        why = "it is not a folder" if report_dir.exists() and not report_dir.is_dir() else exc.strerror or exc
        print(f"citecheck: error: cannot write the reports to {report_dir}: {why}", file=sys.stderr)
        return 2
    display = progress.for_stream(sys.stderr, enabled=not (args.quiet or args.no_progress))
    try:
        outcome = audit(config, AuditOptions(report_dir, args.select, args.ignore, args.max_age, args.source_url,
                                             not args.no_cache, display))
    finally:
        if display is not None:
            display.close()
    for line in outcome.errors:
        print(f"citecheck: error: {line}", file=sys.stderr)
    if not args.quiet:
        for line in outcome.warnings:
            print(f"citecheck: warning: {line}", file=sys.stderr)
    totals = outcome.doc["totals"]
    counts = ", ".join(f"{n} {s}" for s, n in totals["by_severity"].items() if n) or "no findings"
    new = sum(1 for f in outcome.doc["findings"] if f.get("new"))
    print(f"citecheck audit: {totals['pages']} pages, {totals['dois']} DOIs, {totals['urls']} URLs: {counts}; "
          f"{new} new, {len(outcome.doc['fixed'])} fixed since the last audit. Report: {outcome.report_dir / 'report.html'}")
    if outcome.errors:
        return 2
    return _exit_code(outcome.findings, args, config)


def cmd_server(args) -> int:
    import socket

    if not (hasattr(os, "fork") and hasattr(socket, "AF_UNIX") and hasattr(socket.socket, "sendmsg")):
        print("citecheck: error: the server needs fork and Unix sockets, which this system lacks", file=sys.stderr)
        return 2
    from citecheck.server import control

    if not args.site.is_dir():
        print(f"citecheck: error: {args.site}: not a folder", file=sys.stderr)
        return 2
    config = _load_config(args)
    root = config.root
    status = control.ask(root, "stop" if args.action == "stop" else "status")
    if args.action == "start":
        if status is not None and not status["outdated"]:
            print(f"citecheck: a server already runs for {root} (pid {status['pid']})")
            return 0
        if status is None:
            control.terminate(root)  # one that holds the site without answering
        else:
            control.wait_stopped(root)  # one that is stopping (citecheck was updated) lets go of the site first
        try:
            pid, why = control.start(root, config, args.idle * 60)
        except OSError as exc:
            pid, why = 0, exc.strerror or str(exc)
        if not pid:
            print(f"citecheck: error: the server did not start: {why}", file=sys.stderr)
            return 2
        print(f"citecheck: server started for {root} (pid {pid}); `citecheck check` in this site runs through it")
        return 0
    if status is None and args.action == "stop" and (pid := control.terminate(root)) is not None:
        print(f"citecheck: server stopped for {root} (pid {pid}, which did not answer)")
        return 0
    if status is None or status["outdated"] and args.action == "status":
        print(f"citecheck: no server runs for {root}")
        return 1 if args.action == "status" else 0
    if args.action == "stop":
        control.wait_stopped(root)
        print(f"citecheck: server stopped for {root} (pid {status['pid']}, {status['requests']} runs)")
        return 0
    watching = ("watching the content folder" if status["watching"]
                else f"listing the site each run ({status['why_unwatched']})")
    print(f"citecheck: a server runs for {root}: pid {status['pid']}, {status['requests']} runs, {watching}")
    return 0


def _emit(args, result, fixed: int) -> None:
    if args.format == "json":
        from citecheck.report import json as fmt

        text = fmt.render(result.findings)
    elif args.format in ("sarif", "github", "junit"):
        import importlib

        text = importlib.import_module(f"citecheck.report.{args.format}").render(result.findings, result)
    else:
        from citecheck.report import text as fmt

        text = fmt.render(result.findings, statistics=args.statistics, fixed=fixed)
        if args.quiet:
            text = "".join(line + "\n" for line in text.splitlines()[: len(result.findings)])
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def cmd_rule(args) -> int:
    from citecheck.engine.catalog import load_catalog

    catalog = load_catalog()
    rule = catalog.get(args.code.upper()) or next((r for r in catalog.values() if r.name == args.code), None)
    if rule is None:
        print(f"citecheck: error: no rule {args.code} (see `citecheck rules`)", file=sys.stderr)
        return 2
    fix = {"none": "No fix.", "safe": "Fix: safe (applied by --fix).", "unsafe": "Fix: unsafe (needs --unsafe-fixes)."}
    print(f"# {rule.name} ({rule.code})\n")
    print(f"Severity: {rule.severity}. {'Needs --network. ' if rule.network else ''}{fix[rule.fix]}\n")
    print(rule.summary.strip() + "\n")
    print(rule.explanation.strip())
    if rule.options:
        print("\n## Options\n")
        for key, value in rule.options.items():
            print(f"- `{key}` = {value!r}")
    return 0


def cmd_rules(args) -> int:
    from citecheck.engine.catalog import load_catalog

    extra = []
    if args.config is not None or Path("citecheck.toml").exists():
        from citecheck import config

        cfg = config.load(Path.cwd(), args.config)
        extra = [cfg.root / d for d in cfg.get("rules-dirs")]
    catalog = load_catalog(extra)
    if args.format == "json":
        import json

        print(json.dumps([{"code": r.code, "name": r.name, "severity": r.severity, "fix": r.fix,
                           "network": r.network, "default": r.default, "summary": r.summary}
                          for r in catalog.values()], indent=2))
        return 0
    # "opt": not in the default set (a house convention): on with --select/extend-select or its options.
    for rule in catalog.values():
        flags = ("   " if rule.default else "opt") + (" net" if rule.network else "    ") + \
            (" fix" if rule.fix != "none" else "    ")
        print(f"{rule.code:<8}{rule.severity:<8}{flags}  {rule.name}: {rule.summary.strip()}")
    print("\nopt: opt-in, not in the default set; net: network rule (--network); fix: --fix can repair it")
    return 0


def cmd_cache(args) -> int:
    from citecheck.engine.runner import cache_for

    config = _load_config(args)
    cache = cache_for(config, True)
    if args.action == "info":
        info = cache.info()
        answers = info.get("answers") or {}
        remote = ", ".join(f"{count} {kind.upper()}s answered" for kind, count in sorted(answers.items()))
        audits = info.get("audits", 0)
        print(f"{info['path']}: {info['pages']} parsed pages, {remote or 'no remote answers'}, "
              f"{audits} audit{'' if audits == 1 else 's'} in the history, {info['bytes']} bytes")
    else:
        cache.clear()
        print(f"cleared {cache.path} (the audit history is kept)")
    cache.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""One 20 MB page: wall time and peak memory of `citecheck check` on pages of four shapes.

  prose      paragraphs of plain text with a few links and DOIs
  one-line   the same text on a single line
  doi-list   one cited DOI per line (a reference list)
  links      one Markdown link per line, to pages of the site and elsewhere

Usage: python bench/big_page.py [--mb 20] [--citecheck CMD]
Targets: each page in <= 3 s and <= 300 MB. Writes nothing into the repository.
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FRONT = "---\ntitle: Big\ndate: 2020-01-01\n---\n\n"
SENTENCE = ("Vitamin D levels were measured in 1,200 adults over two winters; see [the overview](/posts/a/) "
            "and https://doi.org/10.1000/xyz{n} for the trial. ")


def page(shape: str, size: int) -> str:
    parts, total, n = [], 0, 0
    while total < size:
        if shape == "prose":
            piece = SENTENCE.format(n=n) + ("\n\n" if n % 5 == 4 else "")
        elif shape == "one-line":
            piece = SENTENCE.format(n=n)
        elif shape == "doi-list":
            piece = f"- Author A, Author B. A title number {n}. J Nutr 2020;12:{n}. doi:10.1000/j.nut.{n}\n"
        else:
            piece = f"- [page {n}](/posts/p{n % 50}/) and [elsewhere](https://example.org/{n}#part)\n"
        parts.append(piece)
        total += len(piece)
        n += 1
    return FRONT + "".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=20)
    ap.add_argument("--citecheck", help="citecheck command (default: python -m citecheck from this checkout)")
    args = ap.parse_args()
    command = shlex.split(args.citecheck) if args.citecheck else [sys.executable, "-m", "citecheck"]
    size = int(args.mb * 1_000_000)
    print(f"{'shape':<10} {'wall s':>7} {'peak MB':>8}  exit  findings")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
        (root / "citecheck.toml").write_text("max-file-size = 67108864\n", encoding="utf-8")
        (root / "content" / "posts").mkdir(parents=True)
        (root / "content" / "posts" / "a.md").write_text(FRONT + "A page.\n", encoding="utf-8")
        for shape in ("prose", "one-line", "doi-list", "links"):
            target = root / "content" / "posts" / f"{shape}.md"
            target.write_text(page(shape, size), encoding="utf-8")
            start = time.perf_counter()
            done = subprocess.run(["/usr/bin/time", "-f", "%M", *command, "check", "--no-cache", "--format", "json",
                                   str(target.relative_to(root))], cwd=root, capture_output=True, text=True,
                                  env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
            wall = time.perf_counter() - start
            peak = int(done.stderr.strip().splitlines()[-1]) / 1024
            findings = done.stdout.count('"code":')
            print(f"{shape:<10} {wall:>7.2f} {peak:>8.0f}  {done.returncode:>4}  {findings}", flush=True)
            target.unlink()


if __name__ == "__main__":
    main()

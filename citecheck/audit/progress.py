"""How an audit shows it is alive: a rich progress display on a terminal, plain lines in logs."""

from __future__ import annotations

import sys
import time

PHASES = ("index", "parse", "Crossref", "URLs")


class PlainProgress:
    """One line per phase change, and at most one line every `every` seconds within a phase."""

    def __init__(self, stream=sys.stderr, every: float = 10.0):
        self.stream, self.every = stream, every
        self.last: dict[str, float] = {}

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        first = phase not in self.last
        if not (first or done >= total or now - self.last[phase] >= self.every):
            return
        self.last[phase] = now
        share = f" ({100 * done // total}%)" if total else ""
        print(f"citecheck: {phase}: {done}/{total}{share}", file=self.stream, flush=True)

    def close(self) -> None:
        pass


class RichProgress:
    """A bar per phase with counts and ETA, drawn on stderr."""

    def __init__(self):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(TextColumn("{task.description:<9}"), BarColumn(), MofNCompleteColumn(),
                                 TimeRemainingColumn(), console=Console(stderr=True), transient=False)
        self.tasks: dict[str, int] = {}
        self.progress.start()

    def __call__(self, phase: str, done: int, total: int) -> None:
        task = self.tasks.get(phase)
        if task is None:
            task = self.tasks[phase] = self.progress.add_task(phase, total=total)
        self.progress.update(task, completed=done, total=total)

    def close(self) -> None:
        self.progress.stop()


def for_stream(stream=sys.stderr, enabled: bool = True):
    if not enabled:
        return None
    return RichProgress() if stream.isatty() else PlainProgress(stream)

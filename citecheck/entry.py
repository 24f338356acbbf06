"""The `citecheck` command. Lean on purpose: a check goes to the site's server when one runs
(`citecheck server start`), and only otherwise is the engine imported here."""

import os
import sys


def main() -> None:
    from citecheck.server.client import forward

    code = forward(sys.argv[1:])
    if code is None:
        from citecheck.cli import run

        code = run(sys.argv[1:])
    # A quick exit: a large run leaves a site's worth of objects behind, and freeing them one by
    # one costs a noticeable part of a second; every file is closed and every worker joined by
    # then, so only the output buffers need flushing.
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader left: nothing to flush to
        pass
    os._exit(code)

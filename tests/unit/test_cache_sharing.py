"""Several runs opening one cache file at the same moment (a pre-commit hook beside an editor's
check, two CI jobs on one workspace): each gets the cache, nobody rebuilds it under the others."""

from __future__ import annotations

import threading

from citecheck.cache import Cache


def test_runs_opening_a_new_cache_together_all_use_it(tmp_path, capfd):
    for trial in range(40):  # the race is narrow: many fresh files, four openers released at once
        path = tmp_path / f"t{trial}" / "cache.db"
        start = threading.Barrier(4)
        opened: list[bool] = []

        def run(n: int) -> None:
            start.wait()
            cache = Cache(path)
            cache.put_answers("doi", [(f"10.1000/{n}", "found", {"title": "t"}, 3600)])
            opened.append(cache.db is not None)
            cache.close()

        threads = [threading.Thread(target=run, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert opened == [True] * 4
        assert capfd.readouterr().err == ""  # no "unusable, rebuilding it", no "busy"
        keys = [f"10.1000/{n}" for n in range(4)]
        assert set(Cache(path).answers("doi", keys)) == set(keys)

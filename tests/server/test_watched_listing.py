"""The server's listing, kept by change notices, is always the listing a fresh walk makes."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citecheck import discover
from citecheck.server.watch import Unwatchable, WatchedListing

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")

FOLDERS = ["", "posts/", "posts/bundle/", "docs/", ".hidden/"]
# "\udcff": the byte 0xff of a file name that is not UTF-8, as Python names it.
NAMES = ["a.md", "b.markdown", "c.html", "d.png", ".e.md", "f.txt", "index.md", "\udcff.md", "é.md"]
paths = st.tuples(st.sampled_from(FOLDERS), st.sampled_from(NAMES)).map("".join)
folders = st.sampled_from([f for f in FOLDERS if f]).map(lambda f: f.rstrip("/"))
file_operations = st.one_of(
    st.tuples(st.just("write"), paths, st.binary(max_size=40)),
    st.tuples(st.just("append"), paths, st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("delete"), paths),
    st.tuples(st.just("touch"), paths, st.integers(min_value=1, max_value=2_000_000_000)),
    st.tuples(st.just("rename"), paths, paths),
    st.tuples(st.just("take"),),
)
# Folder and link operations make the listing start again; most sequences hold one at most, so
# that the file-by-file patching is what gets tested.
tree_operations = st.one_of(
    st.tuples(st.just("mkdir"), folders),
    st.tuples(st.just("rmtree"), folders),
    st.tuples(st.just("move_folder"), folders, folders),
    st.tuples(st.just("symlink"), paths, paths),
)
operations = st.one_of(*[file_operations] * 6, tree_operations)


def apply(content: Path, op: tuple) -> None:
    kind, *args = op
    try:
        if kind == "write":
            (content / args[0]).write_bytes(args[1])
        elif kind == "append":
            with open(content / args[0], "ab") as out:
                out.write(args[1])
        elif kind == "delete":
            (content / args[0]).unlink()
        elif kind == "touch":
            os.utime(content / args[0], ns=(args[1] * 10**9, args[1] * 10**9))
        elif kind == "rename":
            os.rename(content / args[0], content / args[1])
        elif kind == "mkdir":
            (content / args[0]).mkdir(parents=True)
        elif kind == "rmtree":
            shutil.rmtree(content / args[0])
        elif kind == "move_folder":
            os.rename(content / args[0], content / args[1])
        elif kind == "symlink":
            os.symlink(content / args[1], content / args[0])
    except OSError:
        pass  # the operation does not apply to the tree as it is (no such file, not empty…)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operations, max_size=25), st.sampled_from([[], ["content/docs/*"]]))
def test_the_listing_kept_is_the_listing_a_walk_makes(ops, exclude):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        content = root / "content"
        for folder in FOLDERS:
            (content / folder).mkdir(parents=True, exist_ok=True)
        (content / "posts" / "a.md").write_text("# A\n")
        (root / "static").mkdir()
        try:
            watched = WatchedListing(content, root, exclude)
        except Unwatchable as exc:
            pytest.skip(f"cannot watch here: {exc}")
        try:
            for op in ops:
                if op[0] == "take":
                    assert watched.take() == discover.walk(content, root, exclude)
                else:
                    apply(content, op)
            assert watched.take() == discover.walk(content, root, exclude)
        finally:
            watched.close()


def test_an_edited_page_is_stat_ed_again_without_a_new_listing(tmp_path):
    content = tmp_path / "content"
    (content / "posts").mkdir(parents=True)
    page = content / "posts" / "a.md"
    page.write_text("# A\n")
    watched = WatchedListing(content, tmp_path, [])
    try:
        page.write_text("# A\n\nmore\n")
        (content / "posts" / "b.md").write_text("# B\n")
        found, _, _ = watched.take()
        assert found == discover.walk(content, tmp_path, [])[0]
        assert [rel for rel, *_ in found] == ["content/posts/a.md", "content/posts/b.md"]
        assert watched.relists == 1  # files only: patched, not listed again
        (content / "new").mkdir()
        watched.take()
        assert watched.relists == 2  # a new folder needs a watch of its own: listed again
    finally:
        watched.close()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(1, 3)), max_size=8))
def test_entries_read_ahead_and_patched_are_the_entries_a_read_makes(edits):
    """The server reads the listing ahead and, when files change, reads only those again: the
    entries a run then takes are those `read` makes of the listing as it is."""
    from citecheck.engine import pages

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        content = root / "content"
        content.mkdir()
        files = [content / f"p{i}.md" for i in range(6)]
        for file in files:
            file.write_text("# x\n")
        known = {f"content/p{i}.md": (files[i].stat().st_mtime_ns, 4, f"k{i}", f"r{i}") for i in range(6)}
        listing = discover.walk(content, root, [])[0]
        ahead = pages.read_ahead(listing, known, 1000)
        for index, size in edits:
            files[index].write_text("#" * size)
            listing = [item if item[0] != f"content/p{index}.md" else discover.walk(content, root, [])[0][index]
                       for item in listing]
            ahead = pages.read_ahead(listing, known, 1000, ahead)
        fresh, _ = pages.read(listing, known, 1000)
        assert [vars_of(e) for e in ahead.entries] == [vars_of(e) for e in fresh]


def vars_of(entry) -> tuple:
    return tuple(getattr(entry, name) for name in entry.__slots__)

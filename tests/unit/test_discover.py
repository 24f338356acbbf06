"""Listing content files in a forked child gives what listing them in place gives."""

from __future__ import annotations

import os

import pytest

from citecheck import discover


def _site(tmp_path):
    for rel in ("content/posts/a.md", "content/posts/b.markdown", "content/notes/c.md", "content/posts/skip.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x" * len(rel))
    return tmp_path


def test_a_listing_made_in_the_background_equals_one_made_in_place(tmp_path):
    root = _site(tmp_path)
    listing = discover.Listing(root / "content", root, ["content/notes/*"])
    taken = listing.take()
    assert taken == discover.content_stats(root / "content", root, ["content/notes/*"])
    assert [rel for rel, _, _, _ in taken] == ["content/posts/a.md", "content/posts/b.markdown"]
    assert all(size == len(rel) for rel, _, _, size in taken)


def test_a_second_take_lists_again(tmp_path):
    root = _site(tmp_path)
    listing = discover.Listing(root / "content", root, [])
    assert len(listing.take()) == 3
    (root / "content/posts/d.md").write_text("new")
    assert "content/posts/d.md" in [rel for rel, _, _, _ in listing.take()]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_a_listing_never_taken_leaves_no_child_behind(tmp_path):
    root = _site(tmp_path)
    listing = discover.Listing(root / "content", root, [])
    pid = listing.child[0] if listing.child else None
    listing.close()
    if pid is not None:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)

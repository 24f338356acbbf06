"""Parsing: bytes of a content file -> a `Page` (front matter, Markdown, inline HTML)."""

from citecheck.parse.page import parse_page

__all__ = ["parse_page"]

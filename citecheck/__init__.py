"""citecheck: a link and citation linter for large Markdown content sites."""

__version__ = "0.1.0"

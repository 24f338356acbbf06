"""The nightly full-site audit: running it (`run`), showing progress, and its three reports.

Nothing here is imported by `citecheck check`: the pre-commit path pays for none of it.
"""

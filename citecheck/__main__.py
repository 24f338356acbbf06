from citecheck.cli import entry

entry()

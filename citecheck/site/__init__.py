"""The site model: every page's URL, aliases, ids and anchors, and the static files."""

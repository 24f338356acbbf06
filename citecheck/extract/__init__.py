"""Extraction: turn parsed pages into the facts rules look at (links, DOIs, anchors, authors)."""

"""The engine: rule catalog, selection, the lint run, suppression and fixing."""

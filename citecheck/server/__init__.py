"""A resident process that answers `citecheck check` without starting Python and listing the site each time."""

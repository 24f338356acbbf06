"""Discover: which content files make up the site, and which of them this run lints."""

from __future__ import annotations

import os
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

from citecheck import discover
from citecheck.config import Config, ConfigError
from citecheck.site.hugo_pages import content_path


@dataclass
class Scope:
    listed: list  # (rel, path, mtime, size) of every file to read: the site's pages and the targets
    other: list  # the content folder's other files (bundle resources)
    in_site: dict[str, Path]  # rel -> path of the site's content files
    targets: dict[str, Path]  # rel -> path of the pages to lint
    warnings: list[str]


def scope(options, config: Config) -> Scope:
    """What the run covers: `options.listing` when the listing was started earlier, else a walk
    of the content folder; the targets from `options.only`, `options.paths`, or the whole site."""
    if options.listing is not None:
        listed, notes, other = options.listing.take(), options.listing.notes, options.listing.other
    else:
        listed, notes, other = discover.walk(config.content_dir, config.root, config.get("exclude"),
                                             config.get("follow-symlinks"))
    listed = site_listed(config, listed + outside_listed(config, other))
    in_site = dict(zip(map(itemgetter(0), listed), map(itemgetter(1), listed)))  # in C: 15,000 files
    targets, warnings = _targets(options, config, in_site)
    if options.only is None:  # a run over changed pages says nothing of links elsewhere
        warnings.extend(note for note in notes if _asked_about(note, options.paths, config.root))
    warnings[:0] = config.notes
    if not in_site and not targets:
        warnings.append(f"no Markdown files under {config.content_dir} (is this the site root?)"
                        if config.content_dir.is_dir() else
                        f"the content folder {config.content_dir} does not exist (is it made by a build step?)")
    listed.extend((rel, str(path), None, None) for rel, path in targets.items() if rel not in in_site)
    return Scope(listed, other, in_site, targets, warnings)


def outside_listed(config: Config, other: list[str]) -> list:
    """The files of content mounts that the listing of the content folder does not reach, as
    (rel, path, mtime, size): mounts from outside the site's folder (rels such as `../README.md`)
    or of a theme, and mounts that name a path inside a hidden folder (`hidden_mounts`); their other files are
    added to `other`. Each file once, however many mounts name it."""
    found = []
    for source in config.outside_mounts:
        found.extend(_mounted(config, source, other))
    exclude = config.get("exclude")
    for source in hidden_mounts(config):
        found.extend(item for item in _mounted(config, source, other) if not discover.excluded(item[0], exclude))
    seen: set[str] = set()
    return [item for item in found if not (item[0] in seen or seen.add(item[0]))]


def _mounted(config: Config, source: str, other: list[str]) -> list:
    """The files one content mount reads: the file it names, or its folder's files but hidden
    ones (a file whose own name starts with "." is skipped by Hugo even when named)."""
    path = config.root / source
    if path.is_file():
        if path.name.startswith("."):
            return []
        try:
            stat = path.stat()
        except OSError:
            return []
        if source.endswith(discover.PAGE_SUFFIXES):
            return [(source, str(path), stat.st_mtime_ns, stat.st_size)]
        other.append(source)
    elif path.is_dir():
        pages, _, rest = discover.walk(path, path, [], config.get("follow-symlinks"))  # `exclude` is the site's
        other.extend(f"{source}/{rel}" for rel in rest)
        return [(f"{source}/{rel}", file, mtime, size) for rel, file, mtime, size in pages]
    return []


def hidden_mounts(config: Config) -> list[str]:
    """Content mounts whose source lies in a hidden folder (a name starting with ".") below the
    listed content folder, or is one: Hugo skips hidden files and folders below a mount's source,
    as the listing does, but reads what a mount names, even inside a hidden folder
    (`content/docs/.common/intro.md` mounted as `content/docs/a/intro.md`)."""
    if config.values["content"] or not config.hugo.found:
        return []
    listed = discover.relative(config.content_dir, config.root)
    head = "" if listed in (".", "") else listed + "/"
    found = []
    for mount in config.hugo.content_mounts:
        source = mount.source
        if source == ".." or source.startswith("../") or not source.startswith(head):
            continue
        if any(part.startswith(".") for part in source[len(head):].split("/")):
            found.append(source)
    return found


def site_listed(config: Config, listed: list) -> list:
    """The listed files that are pages of the site: HTML in the content folder is a page only
    where Hugo builds the site, and a file only where a content mount takes it (mounts of folders
    apart, or with `files` filters, make the listing cover more than they take)."""
    if not config.hugo.found:
        return [item for item in listed if item[0].endswith(discover.CONTENT_SUFFIXES)]
    if config.hugo.ignore_files:
        listed = [item for item in listed if not _ignored(config, item[1])]
    roots = config.content_roots
    if len(roots) == 1 and roots[0][3] is None:
        return listed  # one plain folder: the listing is that folder
    return [item for item in listed if content_path(item[0], roots) is not None]


def _ignored(config: Config, path) -> bool:
    """Whether hugo never reads this file: an `ignoreFiles` pattern is found in its absolute path."""
    return any(pattern.search(os.path.abspath(path)) for pattern in config.hugo.ignore_files)


def _asked_about(note: str, paths: list[Path], root: Path) -> bool:
    """Whether a note about a file (it starts with the file's rel) concerns the paths given."""
    if not paths:
        return True
    for path in paths:
        prefix = discover.relative(_unresolved(path), root)
        if _holds_site(path, root) or note.startswith(prefix + "/") or note.startswith(prefix + ":"):
            return True
    return False


def _holds_site(path: Path, root: Path) -> bool:
    """Whether `path` is the site's folder or a folder above it (a repository whose site lives in
    `docs/`): the whole site is asked for."""
    return root.resolve().is_relative_to(path.resolve())


def _unresolved(path: Path) -> Path:
    """The absolute path of `path` itself, not of where it leads if it is a link."""
    return path.absolute().parent.resolve() / path.name


def _targets(options, config: Config, rels: dict[str, Path]) -> tuple[dict[str, Path], list[str]]:
    """The pages to lint: everything under the given folders, the given files, or the whole site."""
    warnings: list[str] = []
    # Pages mounted from outside the site's folder (`../README.md`) or from a theme are linked to,
    # never linted here.
    outside = tuple(config.outside_mounts)
    if outside:  # the only source of such rels (`outside_listed`)
        below = tuple(source + "/" for source in outside)
        rels = {rel: path for rel, path in rels.items() if not (rel in outside or rel.startswith(below))}
    if options.only is not None:
        return {rel: rels[rel] for rel in options.only if rel in rels}, warnings
    # Pages written in HTML are pages of the site, linted only when named: they are not Markdown,
    # and their markup is the site's own (a form, a table of data), not prose to check.
    if not options.paths:
        return {rel: path for rel, path in rels.items() if rel.endswith(discover.CONTENT_SUFFIXES)}, warnings
    chosen: dict[str, Path] = {}
    root = config.root
    for path in options.paths:
        resolved = path.resolve()
        if resolved.is_dir():
            prefix = "" if _holds_site(resolved, root) else discover.relative(resolved, root) + "/"
            inside = {rel: p for rel, p in rels.items()
                      if rel.startswith(prefix) and rel.endswith(discover.CONTENT_SUFFIXES)}
            if not inside and prefix and not config.hugo.found:  # a site's pages are its content's only
                for file in discover.content_files(resolved, root, config.get("exclude"), config.get("follow-symlinks")):
                    if file.name.endswith(discover.CONTENT_SUFFIXES):
                        inside[discover.relative(file, root)] = file
            if not inside:
                warnings.append(f"{path}: no content files")
            chosen.update(inside)
        elif path.is_symlink() and resolved.is_file():
            # A link named on the command line is what discovery makes of it: a page when
            # links are followed and it leads inside the site, else left out with a note.
            rel = discover.relative(_unresolved(path), root)
            if rel in rels:
                chosen[rel] = rels[rel]
        elif resolved.is_file():
            rel = discover.relative(resolved, root)
            if discover.excluded(rel, config.get("exclude")):
                continue
            if config.hugo.found and rel not in rels:
                # A README, an archetype, a file of another site: Hugo publishes no page of it, and
                # its links are read on GitHub or elsewhere, not on this site.
                why = "the site's ignoreFiles leave it out" if _ignored(config, resolved) else \
                    f"not a content page of the site at {root}"
                warnings.append(f"{path}: {why}: not checked")
                continue
            chosen[rel] = resolved
        else:
            raise ConfigError(f"{path}: no such file or folder")
    return chosen, warnings

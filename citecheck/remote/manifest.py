"""Which attachments exist, known without the network: a listing of the CDN's keys
(`attachments.manifest`) or a folder mirroring the CDN's paths (`attachments.local-dir`).

A manifest is a text file (one key a line), a CSV (the `key`/`Key` column, else the first), or
JSON: a list of keys, a list of objects with "Key", or an `aws s3api list-objects(-v2)` dump
(`{"Contents": [{"Key": …}, …]}`). An attachment URL is present when its path below the
attachment base URL, percent-decoded, is listed.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import unquote

from citecheck.config import ConfigError
from citecheck.site.urls import split_url

_loaded: dict[tuple[str, int, int], frozenset[str]] = {}  # a listing is read once per process


def key_of(url: str, base: str) -> str:
    """The storage key of `url` under `base` (both absolute; `url` starts with `base`)."""
    rest = url[len(base.rstrip("/")):].split("#", 1)[0].split("?", 1)[0]
    return unquote(rest).lstrip("/")


class Listing:
    """Keys the CDN holds, from a manifest file."""

    def __init__(self, keys: frozenset[str], name: str):
        self.keys = keys
        self.missing = f"not in the manifest {name}"

    def __contains__(self, key: str) -> bool:
        return key in self.keys


class Mirror:
    """Keys the CDN holds, as files under a local folder."""

    def __init__(self, folder: Path):
        self.folder = folder.resolve()
        self.missing = f"not in {folder}"

    def __contains__(self, key: str) -> bool:
        path = (self.folder / key).resolve()
        return path.is_relative_to(self.folder) and path.is_file()


def configured(config) -> bool:
    return bool(config.get("attachments.manifest") or config.get("attachments.local-dir"))


def version(config) -> list | None:
    """What changes when the listing does (cached ATT001 findings depend on it): the manifest's
    mtime and size, or the mirror's file count and newest mtime. None when neither is configured."""
    manifest, local = config.get("attachments.manifest"), config.get("attachments.local-dir")
    try:
        if manifest:
            stat = (config.root / manifest).stat()
            return [stat.st_mtime_ns, stat.st_size]
        if local:
            count, newest = 0, 0
            for path in (config.root / local).rglob("*"):
                stat = path.stat()
                count, newest = count + 1, max(newest, stat.st_mtime_ns)
            return [count, newest]
    except OSError:
        return ["unreadable"]  # from_config reports it
    return None


def from_config(config) -> Listing | Mirror | None:
    manifest, local = config.get("attachments.manifest"), config.get("attachments.local-dir")
    if manifest:
        return Listing(_keys(config.root / manifest, config.where()), manifest)
    if local:
        folder = config.root / local
        if not folder.is_dir():
            raise ConfigError(f"{config.where()}: 'attachments.local-dir': {folder} is not a folder")
        return Mirror(folder)
    return None


def _keys(path: Path, where: str) -> frozenset[str]:
    try:
        stat = path.stat()
    except OSError:
        raise ConfigError(f"{where}: 'attachments.manifest': cannot read {path}") from None
    token = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if token not in _loaded:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        try:
            raw = parse(text, path.suffix.lower())
        except ValueError as exc:
            raise ConfigError(f"{where}: 'attachments.manifest': {path} is not a listing: {exc}") from None
        _loaded[token] = frozenset(filter(None, map(_normal, raw)))
    return _loaded[token]


def parse(text: str, suffix: str = "") -> list[str]:
    """The keys a manifest lists, as written."""
    if suffix == ".json" or text.lstrip()[:1] in ("[", "{"):
        return _from_json(json.loads(text))
    if suffix == ".csv":
        rows = [row for row in csv.reader(io.StringIO(text)) if row]
        header = [cell.strip().lower() for cell in rows[0]] if rows else []
        if "key" in header:
            column = header.index("key")
            return [row[column] for row in rows[1:] if len(row) > column]
        return [row[0] for row in rows]
    return [line for line in text.splitlines() if not line.lstrip().startswith("#")]


def _from_json(data) -> list[str]:
    if isinstance(data, dict):
        data = data.get("Contents", data.get("Keys", data.get("keys")))
    if not isinstance(data, list):
        raise ValueError("expected a list of keys, or an object with 'Contents'")
    keys = []
    for item in data:
        if isinstance(item, dict):
            item = item.get("Key", item.get("key"))
        if isinstance(item, str):
            keys.append(item)
    return keys


def _normal(key: str) -> str:
    key = key.strip()
    if key.lower().startswith(("http://", "https://")):  # a listing of full URLs
        parts = split_url(key)
        key = unquote(parts.path) if parts else key
    return key.lstrip("/")

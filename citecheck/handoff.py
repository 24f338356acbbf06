"""A value made ahead of the step that needs it (the server's listing, file table, entries read
ahead), handed to that step once."""

from __future__ import annotations

from typing import Any


class Handoff:
    """Holds one value for the next `take` with the same key; any `take` empties it, so a value
    never serves two runs (each run changes what it was given)."""

    def __init__(self) -> None:
        self._held: tuple[Any, Any] | None = None

    def put(self, key: Any, value: Any) -> None:
        self._held = (key, value)

    def take(self, key: Any) -> Any | None:
        held, self._held = self._held, None
        return held[1] if held is not None and held[0] == key else None

"""A cache of black's output in the user cache folder, keyed by (black version, mode, unformatted
text).

Safe to delete at any time. Every entry stores the digest of its own text, so a truncated or edited
entry is detected and ignored (then rewritten); the cache can only save time, never change the
output bytes.

Location: `$CLIENTGEN_CACHE_DIR`, else `$XDG_CACHE_HOME/clientgen`, else `~/.cache/clientgen`.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def cache_dir() -> Path:
    explicit = os.environ.get("CLIENTGEN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "clientgen"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class FormatCache:
    """Formatted text by unformatted text, for one black version and mode (`salt`)."""

    def __init__(self, salt: str, root: Path | None = None) -> None:
        self.salt = salt
        self.root = (root or cache_dir()) / "black"

    def key(self, source: str) -> str:
        return _digest(self.salt + "\0" + source)

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / key

    def get(self, key: str) -> str | None:
        try:
            stored = self._path(key).read_bytes().decode("utf-8", "surrogatepass")
        except (OSError, UnicodeDecodeError):
            return None
        digest, _, text = stored.partition("\n")
        return text if digest == _digest(text) else None  # a corrupted entry counts as a miss

    def put(self, key: str, text: str) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                handle.write((_digest(text) + "\n" + text).encode("utf-8", "surrogatepass"))
            os.replace(tmp, path)  # atomic: a concurrent reader sees the old entry or the new one
        except OSError:
            pass  # a read-only or full disk only costs speed

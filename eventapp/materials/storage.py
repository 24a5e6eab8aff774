"""Where uploaded files live: a small interface, and the default that keeps them on disk.

Files are content-addressed: the name on disk is the SHA-256 of the bytes, so the same slides uploaded
twice are stored once and a stored file is never overwritten. A file arrives in a temporary file in the
same folder and is renamed into place only when it is complete, checked and within the size limit, so a
dropped connection or a refused file leaves nothing behind. Names given by users never reach the file
system: the database keeps the original name, the disk only the hash.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol

if TYPE_CHECKING:
    from flask import Flask

CHUNK = 64 * 1024


class TooLarge(Exception):
    """The upload went past the size limit (the bytes read so far are discarded)."""


class Empty(Exception):
    """The upload had no bytes at all."""


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int


class Storage(Protocol):
    def save(self, stream: BinaryIO, *, max_bytes: int, check: Callable[[Path], None] | None = None) -> StoredFile: ...

    def open(self, sha256: str) -> BinaryIO: ...

    def size(self, sha256: str) -> int: ...

    def exists(self, sha256: str) -> bool: ...

    def delete(self, sha256: str) -> None: ...


def _valid_hash(sha256: str) -> str:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a SHA-256 hex digest")
    return sha256


class LocalStorage:
    """Files under ``root``: ``root/ab/cd/abcd…`` (two levels keep folders small), temporary files in
    ``root/tmp``, on the same file system, so the final rename is atomic."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.tmp = self.root / "tmp"

    def path(self, sha256: str) -> Path:
        digest = _valid_hash(sha256)
        return self.root / digest[:2] / digest[2:4] / digest

    def save(self, stream: BinaryIO, *, max_bytes: int, check: Callable[[Path], None] | None = None) -> StoredFile:
        """Copy ``stream`` in; raise TooLarge past ``max_bytes`` and Empty for no bytes. ``check`` sees
        the complete temporary file before it is kept and may raise to refuse it. Whatever goes wrong
        (including the stream breaking off), the temporary file is removed."""
        self.tmp.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        fd, tmp_name = tempfile.mkstemp(dir=self.tmp, prefix="upload-")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLarge()
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if size == 0:
                raise Empty()
            if check is not None:
                check(tmp)
            sha256 = digest.hexdigest()
            final = self.path(sha256)
            if final.exists():
                tmp.unlink()  # the same bytes are already kept: never overwrite
            else:
                final.parent.mkdir(parents=True, exist_ok=True)
                os.chmod(tmp, 0o644)
                os.replace(tmp, final)
            return StoredFile(sha256=sha256, size=size)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")

    def size(self, sha256: str) -> int:
        return self.path(sha256).stat().st_size

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def delete(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)

    def all_hashes(self) -> Iterator[str]:
        """Every kept file's hash (for a clean-up of files no row points to)."""
        for path in self.root.glob("??/??/*"):
            if path.is_file() and len(path.name) == 64:
                yield path.name


def storage_for(app: Flask) -> LocalStorage:
    """The app's storage (one per app, made on first use)."""
    store = app.extensions.get("eventapp_storage")
    if store is None:
        store = app.extensions["eventapp_storage"] = LocalStorage(app.config["UPLOAD_FOLDER"])
    return store

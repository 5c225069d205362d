"""Writing a file in one step: a temporary file beside the target, flushed to disk, given the
right permissions and then renamed over the target.

Every export (spreadsheets, reports, maps, pictures) goes through here, so a failed write
never leaves half a file where the analyst expects a good one, and a locked-down file of
victim data (an existing 0600 file, or umask 077) never becomes readable by everyone.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def mode_for(path: str | os.PathLike[str]) -> int:
    """Keep an existing file's permissions; a new file gets what the umask allows."""
    try:
        return Path(path).stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def fsync_file(path: str | os.PathLike[str]) -> None:
    """Push a written file to disk, so a crash after the rename cannot leave an empty file."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[str]:
    """A temporary path beside ``path`` for a writer that wants a file name (savefig, lxml,
    openpyxl). When the block ends without an error the temporary file is synced, given the
    target's permissions and renamed over ``path``; on error it is removed and ``path`` is
    left as it was."""
    path = Path(path)
    directory = path.resolve().parent
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield tmp
        fsync_file(tmp)
        os.chmod(tmp, mode_for(path))
        os.replace(tmp, path)
        tmp = ""
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)

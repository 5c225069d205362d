"""The temporary file a chart save writes beside the chart, and clearing away the ones that a
save killed half-way left behind.

A save writes ``.NAME.wbchart.wbsave-RANDOM.tmp`` in the chart's folder and renames it over
the chart. If the process is killed (kill -9, power cut) the hidden file stays, and it may be a
full copy of the investigation. The writer holds an exclusive lock on its temporary file from
creation to rename, and the lock dies with the process; so the next save or open of the chart
(and the app at start, through :func:`remove_stale_saves_in`) removes every such file whose
lock it can take, and never one that a live save is writing. Only names of that pattern are
touched. Files left by Workbench versions before the lock (``.NAME.wbchart.XXXXXXXX.tmp``)
carry no lock, so they are removed only when an hour old: no save runs that long.

On Windows there is no advisory lock, but a file open in another process cannot be deleted
there, which protects a live save the same way.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

TAG = ".wbsave-"
LEGACY_AGE_SECONDS = 3600.0
_LEGACY = re.compile(r"\.[a-z0-9_]{8}\.tmp")  # tempfile's random part after ".NAME"


def temp_prefix(name: str) -> str:
    return f".{name}{TAG}"


@contextlib.contextmanager
def save_temp(path: Path) -> Iterator[tuple[BinaryIO, str]]:
    """A new, locked temporary file beside ``path`` as (open file, its name). The lock lasts
    until the block ends, so keep the file open through the rename (POSIX allows it)."""
    directory = path.resolve().parent
    for _attempt in range(10):
        fd, name = tempfile.mkstemp(dir=directory, prefix=temp_prefix(path.name), suffix=".tmp")
        handle = os.fdopen(fd, "w+b")
        if fcntl is not None:
            # A file system without locks (some network shares) refuses flock: the save goes
            # on unlocked, and cleaners, whose own flock fails there too, leave the file be.
            with contextlib.suppress(OSError):
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            if os.fstat(handle.fileno()).st_nlink == 0:  # a cleaner took it before the lock
                handle.close()
                continue
        break
    else:  # ten cleaners raced us in one folder
        raise OSError(f"could not create a temporary file in {directory}")
    with handle:
        yield handle, name


def _free(path: Path) -> bool:
    """Remove ``path`` if no live writer holds its lock; True if it was removed."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 (the lock must be held across the unlink)
    except OSError:
        return False
    with handle:
        if fcntl is not None:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return False  # a save is writing it right now
        try:
            os.unlink(path)
        except OSError:  # Windows: open in a live save; or already renamed into place
            return False
    return True


def remove_stale_saves(chart_path: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporary files that killed saves of this chart left beside it; returns
    what was removed. Never raises: a read-only folder simply keeps them."""
    chart_path = Path(chart_path)
    try:
        folder = chart_path.resolve().parent
    except OSError:
        return []
    removed = []
    name = chart_path.name
    pattern = glob.escape(f".{name}.") + "*.tmp"
    for candidate in folder.glob(pattern):
        rest = candidate.name[len(name) + 1:]
        if (rest.startswith(TAG) and _free(candidate)) or (
                _LEGACY.fullmatch(rest) and _old(candidate) and _free(candidate)):
            removed.append(candidate)
    return removed


def remove_stale_saves_in(folder: str | os.PathLike[str]) -> list[Path]:
    """Clear away killed saves of every chart in ``folder`` (for the app to call at start on
    the recovery folder and the folders of recent charts)."""
    removed = []
    with contextlib.suppress(OSError):
        for candidate in Path(folder).glob(f".*{TAG}*.tmp"):
            if _free(candidate):
                removed.append(candidate)
    return removed


def _old(path: Path) -> bool:
    try:
        return time.time() - path.stat().st_mtime > LEGACY_AGE_SECONDS
    except OSError:
        return False

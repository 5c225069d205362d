"""Saving a streamed (write-only) openpyxl workbook so that a failed write is one OSError.

On a full disk openpyxl fails in its own ways: lxml reports the failed write as
``SerialisationError: IO_EFBIG`` (or ``IO_ENOSPC``), the archive and the sheets' XML streams
are left half open, and their clean-up at garbage collection fails again and prints four
"Exception ignored" tracebacks; each sheet's temporary copy of the data (openpyxl streams rows
to a file in the temp folder) stays there until the program ends, which in the window may be
days. Here everything is closed and removed at once and the caller sees the disk error.
"""

from __future__ import annotations

import contextlib
import errno
import os
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any


def save_workbook(fill: Callable[[Any], None], path: str | os.PathLike[str]) -> None:
    """A new write-only workbook, filled by ``fill(workbook)`` and saved to ``path``; any
    failure to write comes out as an OSError, with nothing left half open."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    workbook = Workbook(write_only=True)
    archive: zipfile.ZipFile | None = None
    try:
        fill(workbook)
        workbook.properties.modified = datetime.now(UTC).replace(tzinfo=None)
        archive = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        ExcelWriter(workbook, archive).save()  # closes the archive
    except Exception as exc:
        _abandon(workbook, archive)
        raise disk_error(exc) from None


def _abandon(workbook: Any, archive: zipfile.ZipFile | None) -> None:
    if archive is not None:
        with contextlib.suppress(Exception):
            archive.close()  # fails again on a full disk, but lets go of the file
    for sheet in workbook.worksheets:
        writer = getattr(sheet, "_writer", None)  # openpyxl's own, no public way to close
        for stream in (getattr(sheet, "_rows", None), getattr(writer, "xf", None)):
            if stream is not None:
                with contextlib.suppress(Exception):
                    stream.close()
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.cleanup()  # the sheet's temporary file


def disk_error(exc: BaseException) -> BaseException:
    """The OSError behind a failure: the exception itself, one in its chain, or the one an
    lxml ``IO_<ERRNO>`` error names; otherwise the failure as it was (a bug, not a disk)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError):
            return seen
        name = str(seen)
        code = getattr(errno, name[3:], None) if name.startswith("IO_") else None
        if isinstance(code, int):
            return OSError(code, os.strerror(code))
        seen = seen.__cause__ or seen.__context__
    return exc

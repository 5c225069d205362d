"""Writing a file in one step: a part file beside the target, checked, flushed to disk, given
the right permissions and then renamed over the target.

Every export (spreadsheets, reports, maps, pictures, other tools' charts) goes through here,
so that:

- a failed write (a full disk, a file-size limit, a writer that reports failure) never
  replaces a good file: what was written is checked first (not empty, and for the formats
  that have one, the right signature at the start and a complete end), and a failure is one
  ``WriteError`` line naming the file, with the part file removed;
- a locked-down file of victim data keeps its permissions when it is replaced, and a new file
  gets what the umask allows, never more; a part file is private to the user while written;
- a part file left behind by a writer that was killed (power cut, kill -9) is removed the
  next time the same file is written, so investigation data does not linger in hidden files.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import re
import secrets
import socket
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

# What a complete file of each kind starts and ends with (the end after trailing space).
SIGNATURES = {
    "png": (b"\x89PNG\r\n\x1a\n", b"IEND\xaeB`\x82"),
    "jpg": (b"\xff\xd8\xff", b"\xff\xd9"),
    "pdf": (b"%PDF-", b"%%EOF"),
}
KIND_OF_SUFFIX = {
    ".png": "png", ".jpg": "jpg", ".jpeg": "jpg", ".pdf": "pdf",
    ".svg": "xml", ".graphml": "xml", ".gexf": "xml", ".anx": "xml", ".xml": "xml",
    ".xlsx": "zip", ".docx": "zip", ".wbchart": "zip",
}
_ROOT_TAG = re.compile(rb"<([A-Za-z_][^\s/>]*)")
_NAME_KEEP = 100  # characters of the target's name kept in a part file's name
# A part file of ours: .NAME.<host tag><pid>-<random>.part<suffix>
_PART = re.compile(r"\.(?P<name>.+)\.(?P<host>[0-9a-f]{4})(?P<pid>\d+)-[0-9a-f]{8}\.part")
WINDOWS_STALE_SECONDS = 24 * 3600  # no portable "is that process alive" on Windows


class WriteError(OSError):
    """A file that could not be written, as one line for the analyst: which file, why, and
    that the file there before (if any) is unchanged. An OSError, so every caller that
    already reports disk errors reports this one too; ``strerror`` is the reason alone."""

    def __init__(self, path: str | os.PathLike[str], reason: str,
                 code: int | None = None) -> None:
        super().__init__(code, reason)
        self.filename = str(path)

    def __str__(self) -> str:
        return (f"could not write {self.filename}: {self.strerror}; the file there before "
                "(if any) is unchanged")


def new_file_mode() -> int:
    """The permissions a new file gets under the current umask. Read, not asked: os.umask
    can only be asked by setting it, which races with other threads creating files (a
    worker's export made world-readable for that moment)."""
    with (contextlib.suppress(OSError, ValueError),
          open("/proc/self/status", encoding="ascii") as status):  # Linux
        for line in status:
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    probe = Path(tempfile.gettempdir()) / f".workbench-umask-{os.getpid()}-{secrets.token_hex(4)}"
    try:  # elsewhere: the mode a real (empty, at once removed) new file gets
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError:
        return 0o600  # cannot find out: private is the safe answer
    try:
        return os.fstat(fd).st_mode & 0o777
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(probe)


def mode_for(path: str | os.PathLike[str]) -> int:
    """Keep an existing file's permissions; a new file gets what the umask allows."""
    try:
        return Path(path).stat().st_mode & 0o7777
    except OSError:
        return new_file_mode()


def fsync_file(path: str | os.PathLike[str]) -> None:
    """Push a written file to disk, so a crash after the rename cannot leave an empty file."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _host_tag() -> str:
    return f"{zlib.crc32(socket.gethostname().encode()) & 0xFFFF:04x}"


def part_path(target: str | os.PathLike[str]) -> Path:
    """A hidden name beside ``target`` for its part file. It keeps the target's suffix
    (writers choose the format by it) and names this machine and process, so a part file
    whose writer died can be told from one still being written."""
    target = Path(target)
    return target.with_name(f".{target.name[:_NAME_KEEP]}.{_host_tag()}{os.getpid()}-"
                            f"{secrets.token_hex(4)}.part{target.suffix}")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def remove_leftovers(target: str | os.PathLike[str]) -> list[Path]:
    """Remove part files of ``target`` whose writer on this machine is no longer running
    (killed during a write); returns them. Part files of other machines (a shared folder)
    and of running writers are left alone."""
    target = Path(target)
    removed = []
    host, name = _host_tag(), target.name[:_NAME_KEEP]
    try:
        candidates = list(target.parent.glob(f".{glob.escape(name)}.*.part*"))
    except OSError:
        return removed
    for part in candidates:
        match = _PART.match(part.name)
        if match is None or match["name"] != name or match["host"] != host:
            continue
        if sys.platform == "win32":
            with contextlib.suppress(OSError):
                if time.time() - part.stat().st_mtime < WINDOWS_STALE_SECONDS:
                    continue
        elif _alive(int(match["pid"])):
            continue
        with contextlib.suppress(OSError):
            part.unlink()
            removed.append(part)
    return removed


def reserve(part: str | os.PathLike[str]) -> None:
    """Create the empty file ``part``, readable by the user only: what is written into it
    stays private until it is committed with the target's permissions."""
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                 0o600)
    os.close(fd)


def create_part(target: str | os.PathLike[str]) -> Path:
    """Create an empty, private part file for ``target`` (see part_path and reserve)."""
    for _ in range(100):
        part = part_path(target)
        try:
            reserve(part)
        except FileExistsError:
            continue
        return part
    raise FileExistsError(errno.EEXIST, "no free part file name", str(target))


def check_written(path: str | os.PathLike[str], kind: str | None) -> str:
    """Why the file at ``path`` is not a complete file of ``kind`` ('' when it is). Cheap:
    reads only the first and last few kilobytes, or a zip's table of contents."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        return "nothing was written"
    if kind == "zip":
        try:
            with zipfile.ZipFile(path) as archive:
                if not archive.namelist():
                    return "the written file is an empty archive"
        except (zipfile.BadZipFile, OSError, ValueError):
            return "the written file is incomplete (not a whole zip archive)"
        return ""
    if kind not in SIGNATURES and kind != "xml":
        return ""
    with open(path, "rb") as handle:
        head = handle.read(8192)
        handle.seek(max(0, size - 1024))
        tail = handle.read().rstrip()
    if kind in SIGNATURES:
        start, end = SIGNATURES[kind]
        if not head.startswith(start):
            return f"the written file is not a {kind.upper()} file"
        if not tail.endswith(end):
            return f"the written {kind.upper()} file is incomplete"
        return ""
    root = _ROOT_TAG.search(head)
    if root is None or not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return "the written file is not XML"
    if not tail.endswith(b"</" + root[1] + b">"):
        return "the written XML file is incomplete"
    return ""


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def commit(part: str | os.PathLike[str], target: str | os.PathLike[str], *,
           kind: str | None = None, mode: int | None = None) -> None:
    """Check the written ``part`` (see check_written; ``kind`` defaults to the target's
    suffix), sync it, give it the target's permissions (or ``mode``) and rename it over
    ``target``. On any failure the part is removed, the target left as it was, and
    WriteError raised."""
    part, target = Path(part), Path(target)
    kind = kind if kind is not None else KIND_OF_SUFFIX.get(target.suffix.lower())
    try:
        problem = check_written(part, kind)
        if problem:
            raise WriteError(target, problem)
        fsync_file(part)
        try:
            old = target.stat()
        except FileNotFoundError:
            old = None
        os.chmod(part, mode if mode is not None else
                 old.st_mode & 0o7777 if old is not None else new_file_mode())
        if old is not None and hasattr(os, "chown"):  # a shared file stays in its group
            with contextlib.suppress(OSError):
                os.chown(part, -1, old.st_gid)
        os.replace(part, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(part)
        if isinstance(exc, OSError) and not isinstance(exc, WriteError):
            raise WriteError(target, _reason(exc), exc.errno) from None
        raise


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str], *, kind: str | None = None,
                mode: int | None = None) -> Iterator[str]:
    """A part file's path beside ``path`` for a writer that wants a file name (savefig, lxml,
    openpyxl). When the block ends without an error the part is committed (see commit);
    on any error it is removed and ``path`` is left as it was. A disk error in the block
    (full disk, file too large, no permission) comes out as WriteError."""
    path = Path(path)
    remove_leftovers(path)
    try:
        part = create_part(path)
    except OSError as exc:
        raise WriteError(path, _reason(exc), exc.errno) from None
    try:
        yield str(part)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(part)
        if isinstance(exc, WriteError):
            raise
        raise WriteError(path, _reason(exc), exc.errno) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(part)
        raise
    commit(part, path, kind=kind, mode=mode)


def write_bytes(path: str | os.PathLike[str], data: bytes | bytearray | memoryview, *,
                kind: str | None = None, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` atomically (see atomic_path)."""
    with atomic_path(path, kind=kind, mode=mode) as part, open(part, "wb") as handle:
        handle.write(data)

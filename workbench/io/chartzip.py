"""Reading a chart file's zip within limits, so a hostile file is refused in a moment.

A zip can promise little and unpack to gigabytes (a "zip bomb"), or lie about its sizes.
Before anything is inflated the zip directory is checked: how many members, each member's and
the total uncompressed size, and how much each member claims to expand. Then every member is
inflated in 1 MB chunks: zipfile stops at the declared size and its CRC check refuses a member
that holds more, so memory never exceeds what an honest file of that size would need (reading
a member whole, zipfile would inflate all of it first).

The limits are generous for real charts: a 300,000-entity chart with attributes and sources
on every item has a 97 MB chart.json that compresses 8.5 to 1
(benchmarks/bench_chartfile_limits.py; limits in docs/chart-format.md).
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from workbench.io.chartjson import ChartFileError

MB = 1024**2
MAX_CHART_JSON_BYTES = 1024 * MB  # five times the 300,000-entity chart
MAX_MANIFEST_BYTES = 1 * MB
MAX_IMAGE_BYTES = 64 * MB  # one embedded picture
MAX_IMAGES_BYTES = 512 * MB  # all of them together
MAX_TOTAL_BYTES = MAX_CHART_JSON_BYTES + MAX_IMAGES_BYTES + MAX_MANIFEST_BYTES
MAX_MEMBERS = 10_000
MAX_RATIO = 100  # uncompressed / compressed; real chart.json is 10-20, deflate's own cap 1032
RATIO_FROM_BYTES = 1 * MB  # tiny members may compress better (an empty list of links)
CHUNK = 1 * MB
LIMITS = {"manifest.json": MAX_MANIFEST_BYTES, "chart.json": MAX_CHART_JSON_BYTES}
ZIP_MAGIC = b"PK\x03\x04"


def _size(n: int) -> str:
    return f"{n / MB:,.0f} MB" if n >= MB else f"{n:,} bytes"


def limit_for(member: str) -> int:
    return LIMITS.get(member, MAX_IMAGE_BYTES)


def open_archive(path: Path) -> zipfile.ZipFile:
    """The zip, or ChartFileError: a missing file, a folder, not a zip at all, or a zip that
    was cut short (its directory at the end is missing), told apart for the analyst."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ChartFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ChartFileError(f"{path}: is a folder, not a chart file") from None
    except PermissionError:
        raise ChartFileError(f"{path}: permission denied") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        if _starts_like_a_zip(path) or _empty(path):
            raise ChartFileError(f"{path.name}: the chart file is damaged or incomplete (it "
                                 "ends before the zip directory; it may have been cut short "
                                 "while copying or saving)") from None
        raise ChartFileError(f"{path.name}: not a Workbench chart file (not a zip archive)") \
            from None
    try:
        check_directory(archive, path.name)
    except ChartFileError:
        archive.close()
        raise
    return archive


def _empty(path: Path) -> bool:
    """An empty file is a save or copy that never got its data, not some other kind of file."""
    try:
        return path.stat().st_size == 0
    except OSError:
        return False


def _starts_like_a_zip(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(4) == ZIP_MAGIC
    except OSError:
        return False


def check_directory(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse from the zip directory alone, before inflating anything: too many members,
    a member or the whole over its limit, or a member claiming to expand like a bomb."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ChartFileError(f"{name}: holds {len(infos):,} members, more than a chart file "
                             f"may ({MAX_MEMBERS:,}); refused as a possible zip bomb")
    total = images = 0
    for info in infos:
        limit = limit_for(info.filename)
        if info.file_size > limit:
            raise ChartFileError(f"{name}: {info.filename} would unpack to "
                                 f"{_size(info.file_size)}, more than the {_size(limit)} "
                                 "a chart file may hold; refused")
        if info.file_size > RATIO_FROM_BYTES and \
                info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise ChartFileError(f"{name}: {info.filename} would expand "
                                 f"{info.file_size // max(1, info.compress_size):,} times "
                                 f"(to {_size(info.file_size)}); refused as a zip bomb")
        total += info.file_size
        if info.filename not in LIMITS:
            images += info.file_size
    if images > MAX_IMAGES_BYTES:
        raise ChartFileError(f"{name}: its images would unpack to {_size(images)}, more than "
                             f"the {_size(MAX_IMAGES_BYTES)} a chart file may hold; refused")
    if total > MAX_TOTAL_BYTES:
        raise ChartFileError(f"{name}: would unpack to {_size(total)}, more than the "
                             f"{_size(MAX_TOTAL_BYTES)} a chart file may hold; refused")


def read_member(archive: zipfile.ZipFile, member: str, name: str) -> bytes:
    """One member, inflated in chunks. zipfile stops at the size the directory declares (which
    check_directory bounded) and then checks the CRC, so a directory that understates a
    member's size cannot make it use more memory: the member is refused as damaged."""
    return b"".join(_chunks(archive, member, name))


def _chunks(archive: zipfile.ZipFile, member: str, name: str) -> Iterator[bytes]:
    try:
        info = archive.getinfo(member)
    except KeyError:
        raise ChartFileError(f"{name}: {member} is missing; the file is damaged") from None
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                yield chunk
    # CRC errors and truncation (BadZipFile, EOFError), corrupt compressed data (zlib.error),
    # an unknown compression method (NotImplementedError), an encrypted member (RuntimeError)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError,
            RuntimeError, ValueError) as exc:
        raise ChartFileError(f"{name}: {member} is damaged or incomplete ({exc})") from None


def verify_written(path: str | os.PathLike[str], archive: bytes, members: dict[str, bytes],
                   name: str) -> None:
    """Check a just-written chart file before it may replace the old one: the file holds
    exactly the bytes of ``archive`` (read back and compared chunk by chunk: nothing cut
    short or changed on the way to the disk), and ``archive`` is a zip within the limits
    whose directory lists every member with its size and the CRC of what was meant to be
    written (so the reader's CRC check will pass). ``name`` is the file the analyst saves
    to, for the message.

    The deflated data itself is not inflated again: zlib made it in this process from
    ``members``, and the bytes on disk are compared with it; inflating the 50 MB chart.json
    of a 300,000-entity chart only to compare it was a third of a second of every save."""
    try:
        with open(path, "rb") as written:
            at = 0
            while chunk := written.read(CHUNK):
                if archive[at:at + len(chunk)] != chunk:
                    raise ChartFileError(f"{name}: the file just written reads back "
                                         "differently from what was saved")
                at += len(chunk)
    except OSError as exc:
        raise ChartFileError(f"{name}: the file just written cannot be read back ({exc})") \
            from None
    if at != len(archive):
        raise ChartFileError(f"{name}: the file just written is shorter than what was saved")
    try:
        zipped = zipfile.ZipFile(io.BytesIO(archive))
    except (zipfile.BadZipFile, EOFError) as exc:
        raise ChartFileError(f"{name}: the file just written is not a zip ({exc})") from None
    with zipped:
        listed = {info.filename: (info.file_size, info.CRC) for info in zipped.infolist()}
        check_directory(zipped, name)
    if listed != {member: (len(data), zlib.crc32(data)) for member, data in members.items()}:
        raise ChartFileError(f"{name}: the file just written does not hold what was saved")

"""The .wbchart file: a zip holding manifest.json, chart.json and images/.

Saving is atomic (write a temporary file beside the target, fsync, replace), so a failed save
never damages the file already on disk. Loading checks the container, the manifest and the
format version, migrates older versions forward one step at a time, then validates the chart.
Any problem is one ChartFileError with a message for the analyst; nothing is half-loaded.
"""

from __future__ import annotations

import contextlib
import gc
import os
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from workbench import __version__
from workbench.io.atomic import mode_for
from workbench.io.chartjson import IMAGE_NAME, ChartFileError, chart_from_json, chart_to_json
from workbench.model import Chart

FORMAT_NAME = "workbench-chart"
FORMAT_VERSION = 1
EXTENSION = ".wbchart"
MAX_MEMBER_BYTES = 2 * 1024**3  # refuse zip members that would unpack beyond this

# MIGRATIONS[n] turns a version-n chart.json document into a version-(n+1) one.
Migration = Callable[[dict[str, Any]], dict[str, Any]]
MIGRATIONS: dict[int, Migration] = {}


def migrate(document: dict[str, Any], version: int) -> dict[str, Any]:
    """Bring a document of ``version`` up to FORMAT_VERSION through each step in order."""
    while version < FORMAT_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise ChartFileError(f"no migration from chart format version {version}")
        document = step(document)
        version += 1
    return document


def read_manifest(archive: zipfile.ZipFile, name: str) -> dict[str, Any]:
    try:
        manifest = orjson.loads(_read_member(archive, "manifest.json", name))
    except orjson.JSONDecodeError as exc:
        raise ChartFileError(f"{name}: manifest.json is not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise ChartFileError(f"{name}: not a Workbench chart (the manifest names another format)")
    version = manifest.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ChartFileError(f"{name}: the manifest has no valid format_version")
    if version > FORMAT_VERSION:
        raise ChartFileError(
            f"{name} was saved by a newer Workbench ({manifest.get('app_version', '?')}, chart "
            f"format {version}); this is Workbench {__version__}, which reads formats up to "
            f"{FORMAT_VERSION}. Update Workbench to open it."
        )
    return manifest


def _read_member(archive: zipfile.ZipFile, member: str, name: str) -> bytes:
    try:
        info = archive.getinfo(member)
    except KeyError:
        raise ChartFileError(f"{name}: {member} is missing; the file is damaged") from None
    if info.file_size > MAX_MEMBER_BYTES:
        raise ChartFileError(f"{name}: {member} is implausibly large ({info.file_size} bytes)")
    try:
        return archive.read(member)
    # CRC errors and truncation (BadZipFile, EOFError), corrupt compressed data (zlib.error),
    # an unknown compression method (NotImplementedError), an encrypted member (RuntimeError)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError,
            RuntimeError, ValueError) as exc:
        raise ChartFileError(f"{name}: {member} is damaged ({exc})") from None


def load_chart(path: str | os.PathLike[str]) -> Chart:
    """Read a .wbchart file; raises ChartFileError (never another exception) on bad input."""
    return load_chart_and_manifest(path)[0]


def load_chart_and_manifest(path: str | os.PathLike[str]) -> tuple[Chart, dict[str, Any]]:
    """The chart and the file's manifest (its format version as saved, the app that saved it)."""
    path = Path(path)
    name = path.name
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ChartFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ChartFileError(f"{path}: is a folder, not a chart file") from None
    except PermissionError:
        raise ChartFileError(f"{path}: permission denied") from None
    except (zipfile.BadZipFile, OSError, EOFError):
        raise ChartFileError(f"{name}: not a Workbench chart file (not a zip archive)") from None
    with archive:
        manifest = read_manifest(archive, name)
        raw = _read_member(archive, "chart.json", name)
        with paused_gc():
            try:
                document = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                raise ChartFileError(f"{name}: chart.json is not valid JSON ({exc})") from None
            del raw
            document = migrate(document, manifest["format_version"])
            try:
                chart = chart_from_json(document)
            except ChartFileError as exc:
                raise ChartFileError(f"{name}: {exc}") from None
        for info in archive.infolist():
            if info.filename.startswith("images/") and not info.is_dir():
                image_name = info.filename.removeprefix("images/")
                if not IMAGE_NAME.match(image_name):
                    raise ChartFileError(f"{name}: bad image name {info.filename!r}")
                chart.images[image_name] = _read_member(archive, info.filename, name)
    return chart, manifest


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Building or dumping 300,000 small objects triggers the cycle collector over and over,
    for nothing: a chart has no reference cycles. Pausing it halves save and load times."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def peek_chart(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Title, description, marking and counts of a chart file, without building the chart
    (for the start page and file lists). Raises ChartFileError like load_chart."""
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError):
        raise ChartFileError(f"{path.name}: not a Workbench chart file") from None
    with archive:
        read_manifest(archive, path.name)
        try:
            with paused_gc():
                document = orjson.loads(_read_member(archive, "chart.json", path.name))
        except orjson.JSONDecodeError as exc:
            raise ChartFileError(f"{path.name}: chart.json is not valid JSON ({exc})") from None
    if not isinstance(document, dict):
        raise ChartFileError(f"{path.name}: chart.json is not a chart")
    return {
        "title": str(document.get("title", "")),
        "description": str(document.get("description", "")),
        "marking": str(document.get("marking", "")),
        "entities": _count(document.get("entities")),
        "links": _count(document.get("links")),
    }


def _count(items: Any) -> int:
    return len(items) if isinstance(items, list) else 0


def chart_bytes(chart: Chart) -> tuple[bytes, bytes]:
    """manifest.json and chart.json as bytes (also used by the clipboard and autosave)."""
    manifest = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "app": "Workbench",
        "app_version": __version__,
        "saved_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }
    with paused_gc():
        body = orjson.dumps(chart_to_json(chart))
    return orjson.dumps(manifest, option=orjson.OPT_INDENT_2), body


def save_chart(chart: Chart, path: str | os.PathLike[str], *, touch: bool = True) -> None:
    """Write atomically. With ``touch`` the chart's modified time becomes now."""
    path = Path(path)
    for image_name in chart.images:
        if not IMAGE_NAME.match(image_name):
            raise ChartFileError(f"cannot save image named {image_name!r}")
    previous_modified = chart.modified
    if touch:
        chart.modified = datetime.now(UTC).replace(microsecond=0)
    tmp_name = None
    try:
        manifest, body = chart_bytes(chart)
        directory = path.resolve().parent
        with tempfile.NamedTemporaryFile(dir=directory, prefix=f".{path.name}.", suffix=".tmp",
                                         delete=False) as tmp:
            tmp_name = tmp.name
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED,
                                 compresslevel=1) as archive:
                archive.writestr("manifest.json", manifest)
                archive.writestr("chart.json", body)
                for image_name, data in sorted(chart.images.items()):
                    archive.writestr(f"images/{image_name}", data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, mode_for(path))
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        chart.modified = previous_modified
        reason = exc.strerror or str(exc)
        raise ChartFileError(
            f"Could not save {path}: {reason}. The file on disk (if any) is unchanged."
        ) from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)

"""The .wbchart file: a zip holding manifest.json, chart.json and images/.

Saving is atomic (write a temporary file beside the target, fsync, read it back, replace), so
a failed save never damages the file already on disk, and a chart that breaks the format's
rules (chartrules) is never written. Loading checks the container within its limits
(chartzip), the manifest and the format version, migrates older versions forward one step at
a time, then validates the chart with the same rules. Any problem is one ChartFileError with a
message for the analyst; nothing is half-loaded. Both clear away what killed saves left
beside the chart (savetemp).
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from workbench import __version__
from workbench.io.atomic import mode_for
from workbench.io.chartjson import (
    IMAGE_NAME,
    ChartFileError,
    chart_from_json,
    chart_to_json,
    share_sources,
)
from workbench.io.chartrules import first_problem
from workbench.io.chartzip import open_archive, read_member, verify_written
from workbench.io.savetemp import remove_stale_saves, save_temp
from workbench.model import Chart

FORMAT_NAME = "workbench-chart"
FORMAT_VERSION = 5
EXTENSION = ".wbchart"

# MIGRATIONS[n] turns a version-n chart.json document into a version-(n+1) one.
Migration = Callable[[dict[str, Any]], dict[str, Any]]


def v1_to_v2(document: dict[str, Any]) -> dict[str, Any]:
    """Version 2 added ``resolution`` (merge records, rejected pairs): a version-1 chart has
    merged nothing and rejected nothing. (The version changed so that a Workbench that reads
    only version 1 says "saved by a newer Workbench" instead of refusing an unknown key.)"""
    if not isinstance(document, dict):
        return document  # refused by the reader, with its message
    return {**document, "resolution": {"merges": [], "rejected": []}}


def v2_to_v3(document: dict[str, Any]) -> dict[str, Any]:
    """Version 3 added ``date_precision`` (year, month, day, minute) to dated items. An older
    date said nothing of its precision, so it stays an exact time: the document is unchanged,
    and the step exists so that an older reader refuses a version-3 file by its version
    instead of by an unknown key."""
    return document


def v4_to_v5(document: dict[str, Any]) -> dict[str, Any]:
    """Version 5 writes sources, entities and links as column sections (chartcolumns). The
    reader still reads version 4's lists of item objects as they are, so the document is
    unchanged; the step exists so that a Workbench that reads only version 4 refuses a
    version-5 file by its version."""
    return document


# 4: records shared, 5: columns
MIGRATIONS: dict[int, Migration] = {1: v1_to_v2, 2: v2_to_v3, 3: share_sources, 4: v4_to_v5}


def migrate(document: dict[str, Any], version: int) -> dict[str, Any]:
    """Bring a document of ``version`` up to FORMAT_VERSION through each step in order."""
    while version < FORMAT_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise ChartFileError(f"no migration from chart format version {version}")
        document = step(document)
        version += 1
    return document


def parse_json(raw: bytes, name: str, member: str) -> Any:
    """orjson refuses NaN, Infinity and nesting past 1,024 levels itself; the message says
    which, in the analyst's words."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        if "depth" in str(exc) or "recursion" in str(exc):
            raise ChartFileError(f"{name}: {member} is nested more than 1,024 levels deep; "
                                 "refused") from None
        raise ChartFileError(f"{name}: {member} is not valid JSON ({exc})") from None


def read_manifest(archive: zipfile.ZipFile, name: str) -> dict[str, Any]:
    manifest = parse_json(read_member(archive, "manifest.json", name), name, "manifest.json")
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


def load_chart(path: str | os.PathLike[str]) -> Chart:
    """Read a .wbchart file; raises ChartFileError (never another exception) on bad input."""
    return load_chart_and_manifest(path)[0]


def load_chart_and_manifest(path: str | os.PathLike[str]) -> tuple[Chart, dict[str, Any]]:
    """The chart and the file's manifest (its format version as saved, the app that saved it)."""
    path = Path(path)
    name = path.name
    remove_stale_saves(path)
    archive = open_archive(path)
    with archive:
        manifest = read_manifest(archive, name)
        raw = read_member(archive, "chart.json", name)
        with paused_gc():
            document = parse_json(raw, name, "chart.json")
            del raw
            document = migrate(document, manifest["format_version"])
            try:
                chart = chart_from_json(document)
            except ChartFileError as exc:
                raise ChartFileError(f"{name}: {exc}") from None
            problem = first_problem(chart)  # the rules shared with import and save
            if problem:
                raise ChartFileError(f"{name}: chart.json: {problem}")
            del document
            promote_to_old()
        for info in archive.infolist():
            if info.filename.startswith("images/") and not info.is_dir():
                image_name = info.filename.removeprefix("images/")
                if not IMAGE_NAME.match(image_name):
                    raise ChartFileError(f"{name}: bad image name {info.filename!r}")
                chart.images[image_name] = read_member(archive, info.filename, name)
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


def promote_to_old() -> None:
    """Move every object the collector tracks into its oldest generation, unexamined.

    A chart of 300,000 entities and 600,000 links is millions of objects that live as long
    as it is open. Made while the collector was paused, they sit in the youngest generation,
    and the first collections after the load walk all of them twice on their way to the
    oldest (1.5 s of CPU for the 551,000-link chart, half inside the load, half just after).
    ``freeze`` and ``unfreeze`` move them there in one step each, without walking them. They
    stay collectable: the collector's full passes still examine them, as they would have."""
    gc.freeze()
    gc.unfreeze()


def peek_chart(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Title, description, marking and counts of a chart file, without building the chart
    (for the start page and file lists). Raises ChartFileError like load_chart."""
    path = Path(path)
    with open_archive(path) as archive:
        read_manifest(archive, path.name)
        with paused_gc():
            document = parse_json(read_member(archive, "chart.json", path.name), path.name,
                                  "chart.json")
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
    """Items in a section (version 5) or a list of items (before)."""
    if isinstance(items, dict):
        count = items.get("count")
        return count if isinstance(count, int) and not isinstance(count, bool) else 0
    return len(items) if isinstance(items, list) else 0


def chart_bytes(chart: Chart) -> tuple[bytes, bytes]:
    """manifest.json and chart.json as bytes (also used by the clipboard and autosave)."""
    with paused_gc():
        body = orjson.dumps(chart_to_json(chart))
    return _manifest(), body


def _manifest() -> bytes:
    return orjson.dumps({
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "app": "Workbench",
        "app_version": __version__,
        "saved_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }, option=orjson.OPT_INDENT_2)


def _write_members(target: Any, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED,
                         compresslevel=1) as archive:
        for member, data in members.items():
            archive.writestr(member, data)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """The chart file's bytes, made in memory (a quarter of chart.json's size) so that what
    reaches the disk can be compared with them."""
    buffer = io.BytesIO()
    _write_members(buffer, members)
    return buffer.getvalue()


def write_chart_json(data: dict[str, Any], images: dict[str, bytes],
                     path: str | os.PathLike[str]) -> None:
    """A chart already in its JSON form (``chart_to_json``'s) written as a chart file, plainly:
    for a private copy that another process of ours reads at once (a chart picture's child,
    which opens it with ``load_chart`` and its checks), not for the analyst's files, which
    ``save_chart`` writes atomically and verifies."""
    members = {"manifest.json": _manifest(), "chart.json": orjson.dumps(data)}
    members.update((f"images/{n}", image) for n, image in sorted(images.items()))
    _write_members(path, members)


def save_chart(chart: Chart, path: str | os.PathLike[str], *, touch: bool = True) -> None:
    """Write atomically. With ``touch`` the chart's modified time becomes now.

    Nothing replaces the old file unless the new one holds a chart that will open again: the
    chart is checked with the format's rules first (orjson would write NaN as null), and the
    written file is read back and compared with the bytes meant for it before the rename
    (chartzip.verify_written). Temporary files that a killed save left beside the chart are
    removed first (see savetemp)."""
    path = Path(path)
    for image_name in chart.images:
        if not IMAGE_NAME.match(image_name):
            raise ChartFileError(f"cannot save image named {image_name!r}")
    problem = first_problem(chart)
    if problem:
        raise ChartFileError(f"Could not save {path}: {problem}. The file on disk (if any) is "
                             "unchanged.")
    previous_modified = chart.modified
    if touch:
        chart.modified = datetime.now(UTC).replace(microsecond=0)
    tmp_name = None
    try:
        remove_stale_saves(path)
        manifest, body = chart_bytes(chart)
        members = {"manifest.json": manifest, "chart.json": body}
        members.update((f"images/{n}", data) for n, data in sorted(chart.images.items()))
        archive = zip_bytes(members)
        with save_temp(path) as (tmp, tmp_name):
            tmp.write(archive)
            tmp.flush()
            os.fsync(tmp.fileno())
            verify_written(tmp_name, archive, members, path.name)
            os.chmod(tmp_name, mode_for(path))
            if os.name == "nt":  # Windows cannot rename a file that is still open
                tmp.close()
            os.replace(tmp_name, path)
            tmp_name = None
    except (OSError, ChartFileError, orjson.JSONEncodeError) as exc:
        chart.modified = previous_modified
        reason = (exc.strerror or str(exc)) if isinstance(exc, OSError) else str(exc)
        raise ChartFileError(
            f"Could not save {path}: {reason}. The file on disk (if any) is unchanged."
        ) from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)

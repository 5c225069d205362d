"""A write that fails half way leaves the analyst's previous file as it was.

The failure is real: a file-size limit (RLIMIT_FSIZE, which binds root too) makes the write
stop with EFBIG after a few bytes, as a full disk would."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.full_disk import disk_full_after
from workbench.analysis import Field, Target, histogram
from workbench.export.histogram_image import render_histogram
from workbench.geo.interactive import save_html
from workbench.geo.routes import build_routes
from workbench.model import Chart, Direction

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX resource limits")
OLD = "the good file from yesterday\n"


def routes_chart() -> Chart:
    chart = Chart()
    lagos = chart.make_entity("Location", "Lagos", coordinates=(6.45, 3.39))
    for i, (lat, lon) in enumerate([(41.9, 12.5), (48.85, 2.35), (40.4, -3.7)]):
        city = chart.make_entity("Location", f"City {i}", coordinates=(lat, lon))
        chart.make_link(lagos.id, city.id, "Trafficked to", direction=Direction.FORWARD)
    return chart


def old_file(path: Path) -> Path:
    path.write_text(OLD, encoding="utf-8")
    return path


def only_file_left(directory: Path, name: str) -> None:
    assert [p.name for p in directory.iterdir()] == [name]  # no temporary file left behind


def test_failed_map_export_keeps_the_old_file(tmp_path: Path) -> None:
    target = old_file(tmp_path / "routes.html")
    routes = build_routes(routes_chart())
    with pytest.raises(OSError), disk_full_after(200):
        save_html(routes, target)
    assert target.read_text(encoding="utf-8") == OLD
    only_file_left(tmp_path, "routes.html")
    save_html(routes, target)  # and a write that can finish replaces it
    assert "Lagos" in target.read_text(encoding="utf-8")


def test_failed_histogram_csv_keeps_the_old_file(tmp_path: Path) -> None:
    target = old_file(tmp_path / "hist.csv")
    hist = histogram(routes_chart(), Field("label", Target.ENTITIES))
    with pytest.raises(OSError), disk_full_after(40):
        render_histogram(hist, target)
    assert target.read_text(encoding="utf-8") == OLD
    only_file_left(tmp_path, "hist.csv")


def test_histogram_picture_onto_a_folder_fails_cleanly(tmp_path: Path) -> None:
    folder = tmp_path / "hist.png"
    folder.mkdir()
    (folder / "keep.txt").write_text(OLD)
    hist = histogram(routes_chart(), Field("label", Target.ENTITIES))
    with pytest.raises(OSError):
        render_histogram(hist, folder)
    assert (folder / "keep.txt").read_text() == OLD
    only_file_left(tmp_path, "hist.png")

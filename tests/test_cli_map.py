"""``workbench map``: the route map of a real chart file, headless, as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from matplotlib.image import imread

from tests.geo.route_data import route_chart
from workbench.cli import main
from workbench.io import save_chart


@pytest.fixture(scope="module")
def chart_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("map") / "routes.wbchart"
    save_chart(route_chart(rows=3000), path)
    return path


def test_html_map_with_options(chart_file: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "routes.html"
    code = main(["map", str(chart_file), "-o", str(out), "--colour-by", "type of trafficking",
                 "--min-count", "2", "--link-types", "Trafficked to", "Transits through"])
    assert code == 0
    html = out.read_text(encoding="utf-8")
    assert "wbDrawRoutes" in html and '"colourBy":"type of trafficking"' in html
    printed = capsys.readouterr()
    assert "legs" in printed.out and "places" in printed.out
    assert "not on the map" in printed.err  # e.g. "Neighboring countries", with reasons


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_static_maps(chart_file: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"routes{suffix}"
    assert main(["map", str(chart_file), "-o", str(out), "--dpi", "60", "--min-count", "3"]) == 0
    assert out.stat().st_size > 5000
    if suffix == ".png":
        height, width = imread(out).shape[:2]
        assert (width, height) == (660, 420)  # 11 x 7 inches at 60 dpi


def test_bad_requests_are_refused_with_a_reason(chart_file: Path, tmp_path: Path,
                                                capsys) -> None:
    assert main(["map", str(chart_file), "-o", str(tmp_path / "x.gif")]) == 2
    assert ".html, .png, .svg or .pdf" in capsys.readouterr().err
    assert main(["map", str(chart_file), "-o", str(tmp_path / "x.html"),
                 "--link-types", "Trafficked too"]) == 2
    assert "unknown link type(s): Trafficked too" in capsys.readouterr().err
    broken = tmp_path / "broken.wbchart"
    broken.write_bytes(b"not a zip")
    assert main(["map", str(broken), "-o", str(tmp_path / "x.html")]) == 2
    assert "broken.wbchart" in capsys.readouterr().err
    assert main(["map", str(chart_file), "-o", str(tmp_path / "x.html"),
                 "--online-tiles", "Bogus"]) == 2
    assert capsys.readouterr().err.strip() == (
        "workbench map: no online tile provider is called 'Bogus' (try OpenStreetMap or "
        "CartoDB.Positron)")
    assert not (tmp_path / "x.html").exists()


def test_runs_as_a_command(chart_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli.svg"
    done = subprocess.run([sys.executable, "-m", "workbench", "map", str(chart_file), "-o",
                           str(out), "--min-count", "5"], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").startswith("<?xml")

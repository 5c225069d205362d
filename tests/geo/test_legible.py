"""Maps legible by default (issue 12): the strongest legs that stay readable, and a note that
says what is left out, in ``workbench map``, the static map and the Python API."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.geo import chromium
from tests.geo.test_interactive import page_data
from workbench.cli import main
from workbench.geo.legible import MAX_LEGS, default_min_count, legible, shown_note
from workbench.geo.routes import RouteOptions, build_routes
from workbench.geo.static import route_figure
from workbench.model import Chart, Direction, Kind, Value

from ..conftest import REPO

SAMPLE = REPO / "sample_charts" / "trafficking-routes.wbchart"


def _chart(counts: list[float]) -> Chart:
    """One leg per count, each between its own two places."""
    chart = Chart()
    for i, count in enumerate(counts):
        a = chart.make_entity("Location", f"from {i}", coordinates=(-40 + i % 80, i % 170))
        b = chart.make_entity("Location", f"to {i}", coordinates=(-39 + i % 80, 1 + i % 170))
        chart.make_link(a.id, b.id, "Travels to", direction=Direction.FORWARD,
                        attributes={"count": Value(Kind.NUMBER, count)})
    return chart


def test_a_map_that_fits_is_drawn_whole() -> None:
    routes = build_routes(_chart([1.0] * MAX_LEGS))
    assert default_min_count(routes) == 1
    assert shown_note(legible(routes)) is None


def test_the_busiest_legs_are_kept_up_to_the_limit() -> None:
    counts = [1.0] * 500 + [2.0] * 150 + [3.0] * 40 + [7.5] * 5
    routes = build_routes(_chart(counts))
    assert default_min_count(routes) == 2  # 195 legs of 2 cases or more
    shown = legible(routes)
    assert len(shown.segments) == 195 and shown.min_count == 2
    assert shown_note(shown) == ("showing 195 of 695 legs (2+ cases, 457.5 of 957.5 cases); "
                                 "lower the minimum to see more")
    assert shown.skipped["on legs with fewer than 2 cases"] == 500
    # All the legs are still there: a lower minimum needs no second pass over the chart.
    again = shown.at_least(1)
    assert len(again.segments) == 695 and shown_note(again) is None
    assert "on legs with fewer than 2 cases" not in again.skipped
    assert len(again.hotspots) == 2 * 695


def test_ties_at_the_top_give_the_top_tier_not_an_empty_map() -> None:
    routes = build_routes(_chart([1.0] * (MAX_LEGS + 50)))
    assert default_min_count(routes) == 1
    ties = build_routes(_chart([4.0] * (MAX_LEGS + 50) + [1.0] * 10))
    assert default_min_count(ties) == 4
    assert len(legible(ties).segments) == MAX_LEGS + 50


def test_the_default_ignores_the_minimum_a_map_was_built_with() -> None:
    chart = _chart([1.0] * 300 + [5.0] * 100)
    assert default_min_count(build_routes(chart, RouteOptions(min_count=9))) == 2


@pytest.fixture(scope="module")
def sample_maps(tmp_path_factory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("legible")
    default, every, png = folder / "default.html", folder / "every.html", folder / "map.png"
    assert main(["map", str(SAMPLE), "-o", str(default)]) == 0
    assert main(["map", str(SAMPLE), "-o", str(every), "--min-count", "1"]) == 0
    assert main(["map", str(SAMPLE), "-o", str(png), "--dpi", "60"]) == 0
    return default, every, png


def test_workbench_map_of_the_sample_is_legible_by_default(sample_maps, tmp_path: Path,
                                                           capsys) -> None:
    default, every, _ = sample_maps
    drawn = page_data(default.read_text(encoding="utf-8"))
    whole = page_data(every.read_text(encoding="utf-8"))
    assert len(whole["routes"]) > 3000 and whole["legend"]["note"] is None
    assert 100 <= len(drawn["routes"]) <= MAX_LEGS
    note = drawn["legend"]["note"]
    assert re.fullmatch(rf"showing {len(drawn['routes'])} of {len(whole['routes']):,} legs "
                        r"\(\d+\+ cases, [\d,]+ of [\d,]+ cases\); lower the minimum to see more",
                        note)
    # In a browser at 1600x1000: the note is shown, and only the strongest legs are drawn.
    probe = tmp_path / "probe.html"
    probe.write_text(default.read_text(encoding="utf-8").replace(
        "</body>", "<script>window.addEventListener('load',function(){var n=document."
                   "querySelector('.wb-note').getBoundingClientRect();document.body."
                   "setAttribute('data-note',[n.left,n.top,n.right,n.bottom].join(','));});"
                   "</script></body>"), encoding="utf-8")
    dom = chromium.run(probe, tmp_path / "profile", "--dump-dom", "--window-size=1600,1000")
    assert re.search(r'<div class="[^"]*wb-note[^"]*">' + re.escape(note), dom)
    left, top, right, bottom = map(float, re.search(r'data-note="([^"]+)"', dom).group(1)
                                   .split(","))
    assert 0 <= left < right <= 1600 and 0 <= top < bottom <= 1000 and right - left > 200
    paths = len(re.findall(r'<path\b[^>]*class="[^"]*\bwb-route\b', dom))
    assert len(drawn["routes"]) <= paths <= 2 * len(drawn["routes"])


def test_the_static_map_says_what_it_leaves_out(sample_maps) -> None:
    *_, png = sample_maps
    assert png.stat().st_size > 20_000
    routes = legible(build_routes(_chart([1.0] * 300 + [2.0] * 100)))
    texts = [t.get_text() for t in route_figure(routes).axes[0].texts]
    assert shown_note(routes) in texts
    every = route_figure(routes.at_least(1)).axes[0].texts
    assert not any(t.get_text().startswith("showing") for t in every)

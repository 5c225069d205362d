"""The static map for documents: PNG at a DPI, SVG and PDF, zoomed to the routes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from matplotlib.image import imread
from pypdf import PdfReader

from workbench.geo.routes import RouteOptions, build_routes
from workbench.geo.static import route_figure, save_static
from workbench.model import Chart


@pytest.fixture(scope="module")
def routes(routes_chart_full: Chart):
    return build_routes(routes_chart_full, RouteOptions(min_count=15,
                                                        colour_by="type of trafficking"))


def test_png_at_the_chosen_dpi(routes, tmp_path: Path) -> None:
    small = save_static(routes, tmp_path / "map100.png", dpi=100, size=(10, 6))
    large = save_static(routes, tmp_path / "map200.png", dpi=200, size=(10, 6))
    h100, w100 = imread(small).shape[:2]
    h200, w200 = imread(large).shape[:2]
    assert (w100, h100) == (1000, 600)
    assert (w200, h200) == (2000, 1200)


def test_svg_and_pdf_hold_the_drawing(routes, tmp_path: Path) -> None:
    svg = save_static(routes, tmp_path / "map.svg").read_text(encoding="utf-8")
    assert svg.count("<path") > len(routes.segments) + 200  # routes, arrows, outlines
    assert "Routes by type of trafficking" in svg or "Routes by type of" in svg
    pdf = save_static(routes, tmp_path / "map.pdf")
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    assert "Natural Earth" in reader.pages[0].extract_text()
    png = tmp_path / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-singlefile", str(pdf), str(png)],
                   check=True, timeout=60)
    assert imread(str(png) + ".png").shape[0] > 100


def test_extent_zooms_to_the_routes(routes_chart_full: Chart) -> None:
    africa_europe = Chart()
    keep = {e.id for e in routes_chart_full.entities.values()
            if e.label in ("Nigeria", "Libya", "Italy")}
    africa_europe.add_entities(e for e in routes_chart_full.entities.values() if e.id in keep)
    africa_europe.add_links(lk for lk in routes_chart_full.links.values()
                            if lk.end1 in keep and lk.end2 in keep)
    figure = route_figure(build_routes(africa_europe))
    x0, x1 = figure.axes[0].get_xlim()
    assert x0 < 8 and x1 > 15 and x1 - x0 < 80  # zoomed in, not the whole world
    labels = {t.get_text() for t in figure.axes[0].texts}
    assert {"Nigeria", "Libya", "Italy"} <= labels


def test_busiest_labels_do_not_overlap(routes) -> None:
    figure = route_figure(routes, labels=25)
    renderer = figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in figure.axes[0].texts if t.get_text()]
    assert len(boxes) >= 8
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)


def test_unknown_format_is_refused(routes, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.png, \.svg or \.pdf"):
        save_static(routes, tmp_path / "map.gif")


def test_labels_with_dollars_and_markup_are_drawn_as_text(tmp_path: Path) -> None:
    from workbench.model import Direction, Kind, Value

    chart = Chart()
    odd = chart.make_entity("Location", "Cash $5 $ {x}_1 <b>", coordinates=(9.0, 7.5))
    italy = chart.make_entity("Country", "Italy", identity="Italy")
    chart.make_link(odd.id, italy.id, "Trafficked to", direction=Direction.FORWARD,
                    attributes={"paid": Value(Kind.TEXT, "$$ 50")})
    routes = build_routes(chart, RouteOptions(colour_by="paid"))
    figure = route_figure(routes, title="$ title")
    texts = {t.get_text() for t in figure.axes[0].texts}
    assert "Cash $5 $ {x}_1 <b>" in texts
    assert save_static(routes, tmp_path / "odd.png", dpi=40).stat().st_size > 1000

"""The interactive route map as a browser draws it: real Chromium, no network."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.geo import chromium
from workbench.geo.interactive import route_map_html, route_payload, save_html
from workbench.geo.routes import RouteOptions, build_routes
from workbench.model import Chart, Direction

HOSTILE = '<img src=x onerror="document.title=`owned`">${alert(1)}</script>'


def _count_class(dom: str, tag: str, name: str) -> int:
    return len(re.findall(rf'<{tag}\b[^>]*class="[^"]*\b{name}\b', dom))


def test_exported_map_draws_routes_and_hot_spots_offline(routes_chart_full: Chart,
                                                         tmp_path: Path) -> None:
    routes = build_routes(routes_chart_full,
                          RouteOptions(min_count=5, colour_by="type of trafficking"))
    page = save_html(routes, tmp_path / "routes.html", title="Routes 2008-2016")
    payload = route_payload(routes)
    dom = chromium.dump_dom(page, tmp_path / "profile")
    parts = sum(len(r["parts"]) for r in payload["routes"])
    assert parts >= len(routes.segments) > 100
    assert _count_class(dom, "path", "wb-route") == parts
    assert _count_class(dom, "path", "wb-hotspot") == len(routes.hotspots)
    assert _count_class(dom, "div", "wb-arrow") == len(routes.segments)
    assert _count_class(dom, "path", "leaflet-interactive") >= parts + len(routes.hotspots)
    # The outlines base layer is drawn (many country paths), and the legend.
    assert len(re.findall(r"<path\b", dom)) > parts + len(routes.hotspots) + 150
    assert "Routes by type of trafficking" in dom
    assert "Natural Earth" in dom and "GeoNames" in dom


def test_the_page_loads_nothing_from_the_network(routes_chart_small: Chart) -> None:
    html = route_map_html(build_routes(routes_chart_small))
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=", html)
    assert "cdn." not in html and "unpkg" not in html
    assert "openstreetmap" not in html.lower()  # no online tiles unless asked for
    assert page_data(html)["tiles"] is None
    online = route_map_html(build_routes(routes_chart_small), online_tiles="OpenStreetMap")
    assert "tile.openstreetmap.org" in page_data(online)["tiles"]["url"]


def page_data(html: str) -> dict:
    """What the page draws: the JSON in its data element, as the page script reads it."""
    found = re.search(r'<script type="application/json" id="wb-data">(.*?)</script>', html,
                      re.S)
    assert found, "the page has no data element"
    return json.loads(found.group(1))


def test_labels_are_text_never_html(tmp_path: Path) -> None:
    chart = Chart()
    bad = chart.make_entity("Location", HOSTILE, coordinates=(9.0, 7.5))
    italy = chart.make_entity("Country", "Italy", identity="Italy")
    chart.make_link(bad.id, italy.id, "Trafficked to", direction=Direction.FORWARD)
    page = save_html(build_routes(chart), tmp_path / "hostile.html", title=HOSTILE)
    dom = chromium.dump_dom(page, tmp_path / "profile")
    assert "<title>owned</title>" not in dom  # no script from a label ran
    assert "<title>&lt;img src=x" in dom
    assert "<img src=" not in dom and '<img src="x"' not in dom
    assert "&lt;img src=x" in dom  # the label is shown as text (permanent label)
    assert _count_class(dom, "path", "wb-route") == 1


def test_a_leg_across_the_pacific_is_cut_at_the_edge_not_drawn_round_the_world() -> None:
    chart = Chart()
    manila = chart.make_entity("Location", "Manila", coordinates=(14.6, 121.0))
    la = chart.make_entity("Location", "Los Angeles", coordinates=(34.05, -118.24))
    chart.make_link(manila.id, la.id, "Travels to", direction=Direction.FORWARD)
    route = route_payload(build_routes(chart))["routes"][0]
    assert len(route["parts"]) == 2
    west, east = route["parts"]
    assert all(lon >= 121.0 for _, lon in west) and west[-1][1] == 180.0
    assert all(lon <= -118.0 for _, lon in east) and east[0][1] == -180.0
    assert route["arrow"][1] < -118.0  # the arrowhead is on the American side, near LA


def test_place_labels_never_overlap(routes_chart_full: Chart, tmp_path: Path) -> None:
    """Busy places close together (Western Europe): overlapping labels are hidden."""
    routes = build_routes(routes_chart_full, RouteOptions(min_count=3))
    page = save_html(routes, tmp_path / "labels.html")
    probe = tmp_path / "probe.html"
    boxes_js = (
        "var shown=[].slice.call(document.querySelectorAll('.wb-label'))"
        ".filter(function(e){return e.style.visibility!=='hidden';})"
        ".map(function(e){return e.getBoundingClientRect();});"
        "var bad=0;for(var i=0;i<shown.length;i++)for(var j=i+1;j<shown.length;j++){"
        "var a=shown[i],b=shown[j];if(a.left<b.right&&a.right>b.left&&a.top<b.bottom"
        "&&a.bottom>b.top)bad++;}"
        "document.body.setAttribute('data-labels',shown.length+':'+bad);"
    )
    probe.write_text(page.read_text(encoding="utf-8").replace(
        "</body>", f"<script>window.addEventListener('load',function(){{{boxes_js}}});"
                   "</script></body>"), encoding="utf-8")
    dom = chromium.dump_dom(probe, tmp_path / "profile")
    shown, overlapping = re.search(r'data-labels="(\d+):(\d+)"', dom).groups()
    assert int(shown) >= 3
    assert int(overlapping) == 0

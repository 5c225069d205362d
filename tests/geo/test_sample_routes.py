"""The route sample a new analyst opens shows the Nigeria -> Libya -> Italy route."""

from workbench.geo.routes import RouteOptions, build_routes
from workbench.io import load_chart

from ..conftest import REPO


def test_sample_route_chart_joins_nigeria_libya_italy():
    chart = load_chart(REPO / "sample_charts" / "trafficking-routes.wbchart")
    routes = build_routes(chart, RouteOptions())
    label = {e.id: e.label for e in chart.entities.values()}
    legs = {(label[s.source], label[s.target]): s.count for s in routes.segments}
    assert legs[("Nigeria", "Libya")] >= 1 and legs[("Libya", "Italy")] >= 1
    assert legs[("Nigeria", "Italy")] > legs[("Libya", "Italy")]

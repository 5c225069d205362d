"""Routes built from charts: located ends, aggregated legs, hot spots, filters, fixes."""

from __future__ import annotations

from datetime import date, datetime

from workbench.geo.places import locate, place_fixes, restore_place_fix, set_place_fix
from workbench.geo.routes import COLOUR_YEAR, RouteOptions, build_routes, colour_attributes
from workbench.io import load_chart, save_chart
from workbench.model import Chart, Direction, Kind, Value


def _chart() -> Chart:
    chart = Chart("small")
    ng = chart.make_entity("Country", "Nigeria", identity="Nigeria")
    ly = chart.make_entity("Country", "Libya", identity="Libya")
    it = chart.make_entity("Country", "Italy", identity="Italy")
    for year in (2014, 2015, 2015):
        chart.make_link(ng.id, ly.id, "Transits through", direction=Direction.FORWARD,
                        attributes={"year": Value(Kind.NUMBER, year),
                                    "exploitation": Value(Kind.TEXT, "sexual")})
        chart.make_link(ly.id, it.id, "Trafficked to", direction=Direction.FORWARD,
                        attributes={"year": Value(Kind.NUMBER, year),
                                    "exploitation": Value(Kind.TEXT, "sexual")})
    chart.make_link(it.id, ly.id, "Trafficked to", direction=Direction.REVERSE,
                    date=datetime(2016, 3, 1), attributes={"exploitation": Value(Kind.TEXT,
                                                                                 "labour")})
    return chart


def test_the_nigeria_libya_italy_route_in_the_real_data(routes_chart_full: Chart) -> None:
    routes = build_routes(routes_chart_full)
    nigeria_libya = routes.segment_between("Nigeria", "Libya")
    libya_italy = routes.segment_between("Libya", "Italy")
    assert nigeria_libya and nigeria_libya[0].count >= 2
    assert libya_italy and libya_italy[0].count >= 2
    # Segments are aggregated: one line per leg, counted.
    assert sum(s.count for s in routes.segments) == sum(
        len(s.link_ids) for s in routes.segments)
    spots = {h.label: h for h in routes.hotspots.values()}
    assert spots["Italy"].incoming > 100
    assert spots["Gulf States"].place.is_region


def test_every_unplaced_end_is_reported(routes_chart_full: Chart) -> None:
    routes = build_routes(routes_chart_full)
    texts = {u.text for u in routes.unresolved}
    assert "Neighboring countries" in texts
    assert all(u.reason for u in routes.unresolved)
    assert routes.skipped["an end could not be placed"] > 0


def test_legs_are_aggregated_with_counts_and_direction() -> None:
    routes = build_routes(_chart())
    counts = {(routes.hotspots[s.source].label, routes.hotspots[s.target].label): s.count
              for s in routes.segments}
    # The REVERSE link Italy-Libya runs Libya -> Italy, adding a fourth case.
    assert counts == {("Nigeria", "Libya"): 3, ("Libya", "Italy"): 4}
    libya = next(h for h in routes.hotspots.values() if h.label == "Libya")
    assert (libya.incoming, libya.outgoing) == (3, 4)


def test_colour_by_splits_legs_by_value() -> None:
    routes = build_routes(_chart(), RouteOptions(colour_by="exploitation"))
    assert routes.categories == ["sexual", "labour"]
    libya_italy = routes.segment_between("Libya", "Italy")
    assert sorted((s.category, s.count) for s in libya_italy) == [("labour", 1), ("sexual", 3)]
    by_year = build_routes(_chart(), RouteOptions(colour_by=COLOUR_YEAR))
    assert by_year.categories == ["2015", "2014", "2016"]
    assert "exploitation" in colour_attributes(_chart())


def test_min_count_and_date_range_and_link_types() -> None:
    chart = _chart()
    assert len(build_routes(chart, RouteOptions(min_count=4)).segments) == 1
    routes = build_routes(chart, RouteOptions(date_from=date(2015, 1, 1),
                                              date_to=date(2015, 12, 31)))
    assert {s.count for s in routes.segments} == {2}
    assert routes.skipped["outside the date range"] == 3
    only = build_routes(chart, RouteOptions(link_types=("Transits through",)))
    assert [(routes_label(only, s)) for s in only.segments] == [("Nigeria", "Libya")]


def routes_label(routes, segment) -> tuple[str, str]:
    return routes.hotspots[segment.source].label, routes.hotspots[segment.target].label


def test_coordinates_on_an_entity_win_over_the_gazetteer() -> None:
    chart = Chart()
    town = chart.make_entity("Location", "Agadez", coordinates=(16.97, 7.99))
    lat_lon = chart.make_entity("Location", "Somewhere", attributes={
        "Latitude": Value(Kind.NUMBER, 12.5), "Longitude": Value(Kind.NUMBER, -3.25)})
    person = chart.make_entity("Person", "A. Person")
    found = locate(chart, [town.id, lat_lon.id, person.id])
    assert found.places[town.id].kind == "coordinates"
    assert (found.places[lat_lon.id].lat, found.places[lat_lon.id].lon) == (12.5, -3.25)
    assert [u.entity_id for u in found.unresolved] == [person.id]
    assert "not a place" in found.unresolved[0].reason


def test_a_fix_by_hand_is_saved_in_the_chart_and_undoable(tmp_path) -> None:
    chart = Chart()
    a = chart.make_entity("Country", "Neighboring countries", identity="Neighboring countries")
    b = chart.make_entity("Country", "Italy", identity="Italy")
    chart.make_link(a.id, b.id, "Trafficked to", direction=Direction.FORWARD)
    assert build_routes(chart).segments == []
    old = set_place_fix(chart, "Neighboring countries", 44.0, 20.0)
    assert old is None
    routes = build_routes(chart)
    assert len(routes.segments) == 1 and routes.hotspots[a.id].place.kind == "manual"
    path = tmp_path / "fixed.wbchart"
    save_chart(chart, path)
    reloaded = load_chart(path)
    assert place_fixes(reloaded) == place_fixes(chart)
    assert len(build_routes(reloaded).segments) == 1
    restore_place_fix(chart, "Neighboring countries", old)
    assert "places" not in chart.settings


def test_a_country_is_placed_by_name_not_by_wrong_imported_coordinates() -> None:
    """The route CSV geocoded "Gulf States" to Florida (29.97, -85.22)."""
    chart = Chart()
    gulf = chart.make_entity("Country", "Gulf States", identity="Gulf States",
                             coordinates=(29.966525, -85.217589))
    italy = chart.make_entity("Country", "Italy", identity="Italy",
                              coordinates=(42.638426, 12.674297))
    unknown = chart.make_entity("Country", "Atlantis", identity="Atlantis",
                                coordinates=(31.0, -24.0))
    found = locate(chart, [gulf.id, italy.id, unknown.id])
    placed = found.places[gulf.id]
    assert placed.is_region and 45 < placed.lon < 57
    assert "km away and were not used" in placed.note
    assert "not used" not in found.places[italy.id].note  # close enough: no conflict
    assert found.places[unknown.id].kind == "coordinates"  # unknown name: its coordinates

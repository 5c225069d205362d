"""Histogram counts on the real route and call data, checked against independent pandas counts."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from workbench.analysis.fields import Field, Target, resolve_field
from workbench.analysis.graph import AnalysisError
from workbench.analysis.histogram import BarKind, SortBy, histogram
from workbench.model import Chart, Direction, Kind, Value


def folded(series: pd.Series) -> pd.Series:
    return series.str.split().str.join(" ").str.casefold()


def test_top_origin_countries_match_an_independent_pandas_count(route_chart, routes):
    result = histogram(route_chart, resolve_field(route_chart, "from"), top=10)
    counts = folded(routes["origin"]).value_counts()
    # Bars of equal height stand in name order; pandas leaves ties in an order of its own.
    order = sorted(range(len(counts)), key=lambda i: (-counts.iloc[i], counts.index[i]))
    expected = counts.iloc[order]
    got = [(bar.label.casefold(), bar.value) for bar in result.bars[:10]]
    assert got == [(name, float(n)) for name, n in expected.head(10).items()]
    assert result.bars[0].label == "China"
    other = result.bars[10]
    assert other.kind is BarKind.OTHER
    assert other.value == expected.iloc[10:].sum()
    assert other.label == f"Other ({len(expected) - 10} values)"
    assert sum(bar.value for bar in result.bars) == len(routes)
    assert result.title == "Links by origin (from end), top 10"


def test_each_bar_holds_exactly_the_links_it_counts(route_chart):
    result = histogram(route_chart, resolve_field(route_chart, "from"))
    china = next(bar for bar in result.bars if bar.label == "China")
    origins = {route_chart.entities[route_chart.links[i].end1].label for i in china.ids}
    assert origins == {"China"} and len(china.ids) == china.value
    assert len({i for bar in result.bars for i in bar.ids}) == len(route_chart.links)


def test_years_sorted_by_value_match_pandas(route_chart, routes):
    result = histogram(route_chart, resolve_field(route_chart, "Year"), sort=SortBy.VALUE)
    expected = routes["Years"].astype(int).value_counts().sort_index()
    assert result.rows() == [(str(y), float(n)) for y, n in expected.items()]


def test_missing_values_are_counted_as_none(route_chart, routes):
    result = histogram(route_chart, Field("Sector", Target.LINKS))
    none = result.bars[-1]
    assert none.kind is BarKind.NONE and none.label == "(none)"
    sector = routes["Sector"].where(routes["Sector"].str.strip() != "")
    assert none.value == sector.isna().sum()
    assert sum(bar.value for bar in result.bars) == len(routes)


def test_date_bins_by_month_fill_gaps_and_by_hour_match_pandas(call_chart, shared_data):
    calls = pd.read_csv(shared_data / "vast2008_call_records.csv")
    when = pd.to_datetime(calls["Datetime"].astype(str), format="%Y%m%d %H%M")
    by_day = histogram(call_chart, Field("date", Target.LINKS, "day"), sort=SortBy.VALUE)
    expected = when.dt.strftime("%Y-%m-%d").value_counts().sort_index()
    assert {label: v for label, v in by_day.rows() if v} == {
        d: float(n) for d, n in expected.items()}
    labels = [bar.label for bar in by_day.bars]
    assert labels == sorted(labels) and len(labels) == (when.max() - when.min()).days + 1
    by_hour = histogram(call_chart, Field("date", Target.LINKS, "hour"), sort=SortBy.VALUE)
    assert [bar.label for bar in by_hour.bars] == [f"{h:02d}:00" for h in range(24)]
    hours = when.dt.hour.value_counts()
    assert [bar.value for bar in by_hour.bars] == [float(hours.get(h, 0)) for h in range(24)]
    assert by_hour.title == "Links by hour of day"


def test_number_bins_are_round_and_cover_every_value(call_chart, shared_data):
    calls = pd.read_csv(shared_data / "vast2008_call_records.csv")
    result = histogram(call_chart, Field("Duration", Target.LINKS, "10"), sort=SortBy.VALUE)
    assert sum(bar.value for bar in result.bars) == len(call_chart.links)
    # the data has a few negative durations: they get their own bar, not dropped
    assert result.bars[0].label == "-250 to <0"
    assert result.bars[0].value == (calls["Duration(seconds)"] < 0).sum()
    assert result.bars[1].label == "0 to <250"
    assert all(" to <" in bar.label for bar in result.bars)


def test_text_differing_only_in_case_and_spacing_is_one_bar(route_chart):
    chart = route_chart.__class__("case test")
    for name in ["Thailand", "thailand ", "THAILAND", "Viet Nam", "Viet  Nam"]:
        chart.make_entity("Person", "x", attributes={"Country": Value(Kind.TEXT, name)})
    chart.make_entity("Person", "no country")
    result = histogram(chart, resolve_field(chart, "Country"))
    assert result.rows() == [("Thailand", 3.0), ("Viet Nam", 2.0), ("(none)", 1.0)]


def test_weighted_bars_sum_an_attribute_and_selection_parts(route_chart):
    field = resolve_field(route_chart, "from")
    result = histogram(route_chart, field, weight="Year", top=3)
    assert result.measure_label == "Sum of Year"
    expected = Counter()
    for link in route_chart.links.values():
        expected[route_chart.entities[link.end1].label] += link.attributes["Year"].value
    top_label, top_value = expected.most_common(1)[0]
    assert (result.bars[0].label, result.bars[0].value) == (top_label, top_value)
    chosen = result.bars[0].ids[:5]
    selected = result.selected_values(chosen)
    assert selected[0] == sum(route_chart.links[i].attributes["Year"].value for i in chosen)
    assert selected[1:] == [0.0] * (len(result.bars) - 1)


def test_counting_only_the_selection(nov13):
    people = [e.id for e in nov13.entities.values() if e.type == "Person"][:10]
    result = histogram(nov13, Field("type"), among=people, scope="selection")
    assert result.rows() == [("Person", 10.0)]
    assert result.title == "Entities by type (selection)"


def test_unknown_attribute_and_bin_are_refused_with_the_names_that_exist(route_chart):
    with pytest.raises(AnalysisError, match=r"no entity or link has an attribute 'Colour'.*Year"):
        resolve_field(route_chart, "Colour")
    with pytest.raises(AnalysisError, match="unknown bin 'fortnight'"):
        resolve_field(route_chart, "date", "fortnight")


def test_an_attribute_that_no_link_carries_is_refused_when_links_are_asked_for(route_chart):
    link_names = sorted({n for lk in route_chart.links.values() for n in lk.attributes})
    with pytest.raises(AnalysisError) as info:
        resolve_field(route_chart, "nosuch", target="links")
    assert str(info.value).startswith("no link has an attribute 'nosuch'; link attributes in "
                                      f"this chart: {', '.join(link_names)}; or use type")
    assert resolve_field(route_chart, "Year", target="links").name == "Year"


def test_link_ends_are_counted_by_entity_not_by_label_text():
    chart = Chart()
    ana1 = chart.make_entity("Person", "Ana Lima", identity="ana lima 1984")
    ana2 = chart.make_entity("Person", "Ana Lima", identity="ana lima 1990")
    ben = chart.make_entity("Person", "Ben Okoro")
    for end in (ana1, ana1, ana2):
        chart.make_link(end.id, ben.id, "Associate", direction=Direction.FORWARD)
    result = histogram(chart, resolve_field(chart, "from"))
    assert result.rows() == [("Ana Lima (Person ana lima 1984)", 2.0),
                             ("Ana Lima (Person ana lima 1990)", 1.0)]
    assert [set(b.ids) for b in result.bars][1] == {
        lk.id for lk in chart.links.values() if lk.end1 == ana2.id}
    assert histogram(chart, resolve_field(chart, "to")).rows() == [("Ben Okoro", 3.0)]

"""The legend says what the formatting rules and link styles of a chart mean."""

from __future__ import annotations

from pathlib import Path

from tests.hostile.payloads import MARKUP_PAYLOADS, TEMPLATE_PAYLOADS
from workbench.io import load_chart
from workbench.model import Chart, Kind, Strength, Value
from workbench.model.display import chart_display, display_from_json
from workbench.model.legend import legend_entries

SAMPLES = Path(__file__).resolve().parents[2] / "sample_charts"


def test_the_samples_explain_their_red_entities():
    nov13 = legend_entries(load_chart(SAMPLES / "nov13-network.wbchart"))
    assert [(e.text, e.colour) for e in nov13] == [("Attackers (31 entities)", "#c0392b")]
    routes = legend_entries(load_chart(SAMPLES / "trafficking-routes.wbchart"))
    assert [e.text for e in routes] == ["Countries in 100+ routes (154 entities)",
                                        "Countries in 500+ routes (12 entities)"]
    country = load_chart(SAMPLES / "trafficking-routes.wbchart").entity_type("Country")
    assert [e.colour for e in routes] == [country.colour, "#c0392b"]  # size-only: the type's


def test_a_size_only_rule_over_types_of_different_colours_has_no_colour_of_its_own():
    chart = rules_chart({"field": "role", "op": "exists", "size": 2.0})
    chart.make_entity("Location", "Paris").attributes["role"] = Value(Kind.TEXT, "venue")
    assert [(e.text, e.colour) for e in legend_entries(chart) if e.strength is None] == [
        ("entities: role is given (2 entities)", None)]


def test_a_picture_of_some_items_counts_only_those():
    chart = load_chart(SAMPLES / "nov13-network.wbchart")
    attackers = [e.id for e in chart.entities.values()
                 if (v := e.attributes.get("attacker")) is not None and v.value is True]
    only = legend_entries(chart, set(attackers[:2]), set())
    assert [e.text for e in only] == ["Attackers (2 entities)"]
    assert legend_entries(chart, {next(i for i in chart.entities if i not in attackers)},
                          set()) == []


def rules_chart(*rules: dict) -> Chart:
    chart = Chart()
    a = chart.make_entity("Person", "A")
    b = chart.make_entity("Person", "B")
    a.attributes["role"] = Value(Kind.TEXT, "recruiter")
    chart.make_link(a.id, b.id, "Calls", strength=Strength.CONFIRMED)
    chart.make_link(b.id, a.id, "Calls", strength=Strength.TENTATIVE)
    chart.settings["formatting"] = list(rules)
    return chart


def test_unnamed_rules_are_described_and_link_styles_explained():
    chart = rules_chart({"field": "role", "op": "equals", "value": "recruiter",
                         "colour": "#c0392b", "types": ["Person"]},
                        {"field": "role", "op": "equals", "value": "nobody",
                         "colour": "#000000"},
                        {"field": "role", "op": "exists", "visible": False})
    assert [e.text for e in legend_entries(chart)] == [
        "Person: role is recruiter (1 entity)", "confirmed link", "tentative link"]
    assert [e.strength for e in legend_entries(chart)][1:] == ["confirmed", "tentative"]


def test_hostile_rule_names_stay_text():
    names = TEMPLATE_PAYLOADS + MARKUP_PAYLOADS
    chart = rules_chart(*({"name": name, "field": "role", "op": "exists",
                           "colour": "#c0392b"} for name in names))
    texts = [e.text for e in legend_entries(chart) if e.strength is None]
    assert texts == [f"{name} (1 entity)" for name in names][:len(texts)]
    assert len(texts) == 12  # at most twelve rules: a longer key hides the chart


def test_the_legend_can_be_turned_off_and_stays_off_in_the_file():
    chart = rules_chart()
    assert chart_display(chart).legend is True
    off = display_from_json({"legend": False})
    assert off.to_json()["legend"] is False
    assert "legend" not in display_from_json(None).to_json()  # old files stay the same

"""Conditional formatting rules: checked on load, evaluated per item, later rules win."""

from __future__ import annotations

from datetime import datetime

import pytest

from workbench.model import Chart, Kind, Strength, Value
from workbench.model.formatting import (
    Format,
    FormattingError,
    evaluate,
    evaluate_all,
    load_rules,
    rule_from_json,
    rules_to_settings,
)


@pytest.fixture
def chart() -> Chart:
    chart = Chart()
    chart.make_entity("Person", "Ana", attributes={"age": Value(Kind.NUMBER, 17),
                                                    "victim": Value(Kind.FLAG, True)})
    chart.make_entity("Person", "Ben", attributes={"age": Value(Kind.NUMBER, 45)},
                      date=datetime(2023, 5, 1))
    chart.make_entity("Phone", "+447700900123")
    chart.make_link("e1", "e2", "Associate", strength=Strength.TENTATIVE)
    return chart


def test_rules_round_trip_through_settings(chart):
    rules = [rule_from_json({"field": "age", "op": "between", "value": 0, "high": 17,
                             "colour": "#C0392B", "name": "minors"}, 0)]
    chart.settings["formatting"] = rules_to_settings(rules)
    assert load_rules(chart) == rules
    assert load_rules(chart)[0].colour == "#c0392b"


@pytest.mark.parametrize(("rule", "message"), [
    ({"op": "equals"}, "needs a 'field'"),
    ({"field": "age", "op": "bigger"}, "op 'bigger' is not one of"),
    ({"field": "age", "colour": "red"}, "colour must be"),
    ({"field": "age", "size": 50}, "size must be"),
    ({"field": "age", "op": "between", "value": 1}, "'between' needs"),
    ({"field": "age", "frobnicate": 1}, "unknown keys"),
    ({"field": "age", "visible": "no"}, "visible must be true or false"),
])
def test_bad_rules_are_refused_with_their_number(chart, rule, message):
    chart.settings["formatting"] = [{"field": "age"}, {**rule, "name": "mine"}]
    with pytest.raises(FormattingError, match=message) as info:
        load_rules(chart)
    assert "formatting rule 2 ('mine')" in str(info.value)


def test_evaluation_by_attribute_type_and_special_fields(chart):
    rules = [rule_from_json(r, i) for i, r in enumerate([
        {"field": "age", "op": "at_most", "value": 17, "colour": "#ff0000"},
        {"field": "victim", "op": "equals", "value": True, "icon": "mdi6.account-alert"},
        {"field": "@type", "value": "phone", "size": 0.5},
        {"field": "@date", "op": "at_least", "value": "2023-01-01", "visible": False},
        {"field": "@strength", "value": "tentative", "applies_to": "links",
         "colour": "#999999"},
        {"field": "age", "op": "exists", "types": ["Phone"], "colour": "#00ff00"},
    ])]
    ana, ben, phone = (chart.entity(i) for i in ("e1", "e2", "e3"))
    assert evaluate(chart, rules, ana) == Format(colour="#ff0000", icon="mdi6.account-alert")
    assert evaluate(chart, rules, ben) == Format(visible=False)
    assert evaluate(chart, rules, phone) == Format(size=0.5)
    assert evaluate(chart, rules, chart.link("l4")).colour == "#999999"


def test_later_rules_win_and_disabled_rules_are_skipped(chart):
    chart.settings["formatting"] = [
        {"field": "@type", "value": "Person", "colour": "#111111"},
        {"field": "@label", "op": "contains", "value": "an", "colour": "#222222"},
        {"field": "@links", "op": "at_least", "value": 1, "colour": "#333333",
         "enabled": False},
    ]
    formats = evaluate_all(chart)
    assert formats["e1"].colour == "#222222"  # "Ana" contains "an"
    assert formats["e2"].colour == "#111111"
    assert "e3" not in formats


def test_values_that_do_not_compare_do_not_match(chart):
    rules = [rule_from_json({"field": "age", "op": "at_least", "value": "old",
                             "colour": "#ff0000"}, 0)]
    assert evaluate(chart, rules, chart.entity("e1")) == Format()

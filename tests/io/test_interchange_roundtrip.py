"""Any text an analyst's sources can hold survives every interchange format unchanged."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.io.interchange import read_chart, write_chart
from workbench.model import Chart, Kind, SourceRecord, Value

# Any character XML can hold: no surrogates, no control characters except tab, LF and CR
# (written as character references, so a CR survives too), no U+FFFE/U+FFFF.
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"),
                             blacklist_characters="\ufffe\uffff") | st.sampled_from("\t\n\r"),
               min_size=1, max_size=30)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(labels=st.lists(TEXT, min_size=1, max_size=4), name=TEXT, value=TEXT,
       number=st.floats(allow_nan=False, allow_infinity=False, width=64) | st.integers(
           min_value=-2**63, max_value=2**64 - 1))  # what a .wbchart holds (chartrules)
def test_any_text_round_trips(labels, name, value, number):
    chart = Chart("property test")
    ids = []
    for label in labels:
        entity = chart.make_entity("Person", label,
                                   attributes={name: Value(Kind.TEXT, value),
                                               f"{name}#": Value(Kind.NUMBER, number)},
                                   provenance=[SourceRecord(value, file=label, row=3)])
        ids.append(entity.id)
    chart.make_link(ids[0], ids[-1], "Associate", label=value)
    with tempfile.TemporaryDirectory() as folder:
        for ext in ("graphml", "gexf", "anx"):
            path = Path(folder) / f"c.{ext}"
            write_chart(chart, path)
            assert read_chart(path) == chart, ext


def test_a_date_s_precision_survives_every_format_workbench_writes(tmp_path):
    """A year-only date (the routes sample's years) comes back a year, not 1 January."""
    from datetime import datetime

    from workbench.model import DatePrecision

    chart = Chart("dates")
    a = chart.make_entity("Country", "Nigeria", identity="NG")
    b = chart.make_entity("Country", "Libya", identity="LY")
    link = chart.make_link(a.id, b.id, "Trafficked to", date=datetime(2016, 1, 1),
                           date_precision=DatePrecision.YEAR)
    b.date, b.date_precision = datetime(2015, 3, 1), DatePrecision.MONTH
    for suffix in (".graphml", ".gexf", ".anx", ".gml", ".json"):
        path = tmp_path / f"dates{suffix}"
        write_chart(chart, path)
        back = read_chart(path)
        [got] = back.links.values()
        assert (got.date, got.date_precision) == (link.date, DatePrecision.YEAR), suffix
        libya = next(e for e in back.entities.values() if e.label == "Libya")
        assert libya.date_precision is DatePrecision.MONTH, suffix


def test_a_chart_s_own_types_survive_the_plain_formats(tmp_path):
    """A custom type's colour, icon and direction come back as the type's (not as a colour
    pinned on every item), with the chart's title and marking, from GML, DOT and JSON."""
    import pytest

    from workbench.model import EntityType, LinkType, Style

    chart = Chart("Harbour case")
    chart.marking = "OFFICIAL-SENSITIVE"
    chart.add_types([EntityType("Smuggler", icon="mdi6.ferry", colour="#ff8800")],
                    [LinkType("Smuggles", colour="#00aa11", directed=True)])
    kofi = chart.make_entity("Smuggler", "Kofi")
    ana = chart.make_entity("Person", "Ana", style=Style(icon="mdi6.star", colour="#123456"))
    chart.make_link(kofi.id, ana.id, "Smuggles")
    for suffix in (".gml", ".dot", ".json", ".cyjs"):
        path = tmp_path / f"types{suffix}"
        write_chart(chart, path)
        back = read_chart(path)
        assert (back.title, back.marking) == (chart.title, chart.marking), suffix
        assert back.catalogue.entity_types["Smuggler"] == chart.entity_type("Smuggler"), suffix
        assert back.catalogue.link_types["Smuggles"] == chart.link_type("Smuggles"), suffix
        styles = {e.label: e.style for e in back.entities.values()}
        assert styles == {"Kofi": Style(), "Ana": Style(icon="mdi6.star", colour="#123456")}, \
            suffix
        [link] = back.links.values()
        assert link.style == Style(), suffix
    with pytest.raises(KeyError):  # a file another tool wrote cannot bring types with it
        read_chart(_foreign_gml(tmp_path)).catalogue.entity_types["Smuggler"]


def _foreign_gml(tmp_path):
    path = tmp_path / "foreign.gml"
    path.write_text('graph [\n  workbench_chart "{&#34;entity_types&#34;:[{&#34;name&#34;:'
                    '&#34;Smuggler&#34;}]}"\n  node [ id 0 label "a" ]\n]\n', encoding="utf-8")
    return path

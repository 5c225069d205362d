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

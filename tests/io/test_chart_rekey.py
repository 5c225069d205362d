"""A chart saved before Country identities were ISO codes still merges with rows imported now."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from workbench.io.chartfile import load_chart, save_chart
from workbench.io.importer import import_files
from workbench.io.importspec import parse_spec

OLD = Path(__file__).parents[1] / "data" / "country-names-v0.1.wbchart"
SPEC = """
entities:
  origin: {type: Country, identity: "{from}"}
  destination: {type: Country, identity: "{to}"}
links:
  - {from: origin, to: destination, type: Trafficked to, direction: forward}
"""


def test_old_country_keys_become_iso_codes_one_entity_each(tmp_path):
    chart = load_chart(OLD)
    by_label = {e.label: e.identity for e in chart.entities.values()}
    assert by_label["United Kingdom"] == "GB" and by_label["Nigeria"] == "NG"
    assert by_label["Italy"] == "IT" and by_label["Libya"] == "LY"
    # spellings the old chart kept apart stay apart: never merged silently
    assert by_label["UK"] == "uk" and by_label["England"] == "england"
    codes = Counter(e.identity for e in chart.entities.values())
    assert all(n == 1 for n in codes.values())
    assert len(chart.entities) == 14 and len(chart.links) == 60
    # saved and opened again, nothing changes further
    save_chart(chart, tmp_path / "again.wbchart")
    again = load_chart(tmp_path / "again.wbchart")
    assert {e.id: e.identity for e in again.entities.values()} == \
        {e.id: e.identity for e in chart.entities.values()}


def test_rows_imported_into_an_old_chart_merge_with_its_countries(tmp_path):
    chart = load_chart(OLD)
    before = len(chart.entities)
    data = tmp_path / "new-routes.csv"
    data.write_text("from,to\nNigeria,Libya\nLibya,Italy\nU.K.,France\nNGA,ITA\n",
                    encoding="utf-8")
    report = import_files(parse_spec(SPEC), [data], into=chart)
    assert report.rows_rejected == 0
    assert len(chart.entities) == before  # every country was already in the chart
    nigeria = chart.find("Country", "NG")
    assert nigeria is not None and nigeria.label == "Nigeria"
    assert any(s.file.endswith("new-routes.csv") for s in nigeria.provenance)


def test_every_country_code_is_its_own_key_so_reopening_never_re_keys():
    """Kosovo (XK) and the regions.yaml extras (MD-T, CY-N) once lost their case on reopening."""
    from workbench.model.countries import country_names
    from workbench.model.kinds import Kind, identity_key

    codes = country_names().names
    assert {"XK", "MD-T", "CY-N", "GB"} <= codes.keys()
    assert [c for c in codes if identity_key(Kind.COUNTRY, c) != c] == []

"""The shipped specs on the real data, against counts worked out independently with pandas."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pandas as pd
import pytest

from workbench.io import load_chart
from workbench.io.importer import import_files
from workbench.io.importspec import load_spec
from workbench.model import Chart, Kind, Value, identity_key

from .conftest import REPO, SPECS


def fold(series: pd.Series) -> pd.Series:
    """Names as the model folds them: trimmed, single spaces, case-folded."""
    return series.str.strip().str.replace(r"\s+", " ", regex=True).str.casefold()


def test_trafficking_routes(real_data):
    path = real_data / "trafficking_routes_2008_2016.csv"
    chart = Chart()
    report = import_files(load_spec(SPECS / "trafficking-routes.yaml"), [path], into=chart)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    origin = fold(df["Origin_Country"] + df["Origin Country/Region"])
    dest, transit = fold(df["Destination_Country"]), fold(df["Transit_Country"])
    spellings = (set(origin) | set(dest) | set(transit)) - {""}
    # one entity per country however it is spelt (UK, U.K., United Kingdom: its ISO code)
    countries = {identity_key(Kind.COUNTRY, name) for name in spellings}
    assert len(chart) == len(countries) == 351 and len(spellings) == 399
    uk = chart.find("Country", "GB")
    assert uk.label == "United Kingdom"
    assert set(uk.attributes["aliases"].value.split("; ")) == {"UK", "U.K.", "England"}
    kinds = Counter(lk.type for lk in chart.links.values())
    # a chain per case: origin -> transit -> destination, or origin -> destination
    direct = (origin != "") & (dest != "") & (transit == "")
    last_leg = (transit != "") & (dest != "")
    assert kinds["Trafficked to"] == direct.sum() + last_leg.sum()
    assert kinds["Transits through"] == ((origin != "") & (transit != "")).sum()
    nigeria, libya, italy = (chart.find("Country", n) for n in ("NG", "LY", "IT"))
    assert chart.links_between(nigeria.id, libya.id) and chart.links_between(libya.id, italy.id)
    nothing = (origin == "") & (dest == "") & (transit == "")
    assert (report.rows_read, report.rows_skipped, report.rows_rejected) == \
        (len(df), nothing.sum(), 0)
    # near misses are offered, never merged
    typo = next(w for w in report.warnings if w.value == "United Kingdon")
    assert "did you mean 'United Kingdom'?" in typo.reason
    assert chart.find("Country", "united kingdon").label == "United Kingdon"
    years = Counter(lk.date.year for lk in chart.links.values() if lk.type == "Trafficked to")
    assert set(years) == set(range(2008, 2017))
    china = chart.find("Country", "CN")
    assert china.coordinates == (35.000074, 104.999927)
    flagged = sum(1 for lk in chart.links.values()
                  if lk.attributes.get("flagged") == Value(Kind.FLAG, True))
    legs = direct.astype(int) + last_leg.astype(int) + ((origin != "") & (transit != ""))
    assert flagged == (legs * df["Flagged"].str.lower().eq("x")).sum()


def test_call_records(real_data):
    path = real_data / "vast2008_call_records.csv"
    chart = Chart()
    report = import_files(load_spec(SPECS / "call-records.yaml"), [path], into=chart)
    df = pd.read_csv(path, dtype=str)
    assert len(chart) == len(set(df["From"]) | set(df["To"]))
    assert len(chart.links) == len(df) == report.rows_imported
    assert chart.entity_type("Handset").icon == "mdi6.cellphone"
    first = min(chart.links.values(), key=lambda lk: lk.provenance[0].row)
    assert first.date.isoformat() == "2006-06-01T00:08:00"
    assert first.attributes["duration_s"] == Value(Kind.NUMBER, int(df["Duration(seconds)"][0]))
    busiest = df["From"].value_counts().index[0]
    handset = chart.find("Handset", busiest)
    calls_made = (df["From"] == busiest).sum() + ((df["To"] == busiest)
                                                  & (df["From"] != busiest)).sum()
    assert len(handset.provenance) == calls_made


def test_nov13_network_with_attackers(real_data):
    chart = Chart()
    import_files(load_spec(SPECS / "nov13-relationships.yaml"),
                 [real_data / "nov13_relationships.csv"], into=chart)
    report = import_files(load_spec(SPECS / "nov13-attackers.yaml"),
                          [real_data / "nov13_node_details.csv"], into=chart)
    rel = pd.read_csv(real_data / "nov13_relationships.csv", encoding="cp1252")
    kind_of = {"LINKED_TO": "Person", "INVOLVED_IN": "Event", "PRESENT_IN": "Location"}
    ends = {("Person", n) for n in fold(rel["n1.name"])}
    ends |= {(kind_of[t], n) for t, n in zip(rel["type(r)"], fold(rel["n2.name"]), strict=True)}
    assert len(chart) == len(ends) == 132
    assert len(chart.links) == len(rel)
    assert any("Mostefaï" in e.label for e in chart)  # Windows-1252 accents read right
    nodes = pd.read_csv(real_data / "nov13_node_details.csv", encoding="cp1252")
    attackers = set(fold(nodes["node"][nodes["attackerNodes"]]))
    flagged = {e.identity for e in chart if "attacker" in e.attributes}
    assert flagged == attackers & {n for t, n in ends if t == "Person"}
    assert report.entities_new == 0


def test_the_committed_samples_hold_what_the_specs_make():
    for name, entities, links in [("nov13-network", 132, 262),
                                  ("trafficking-routes", 351, 23_046),
                                  ("call-records", 400, 9_834)]:
        chart = load_chart(REPO / "sample_charts" / f"{name}.wbchart")
        assert (len(chart), len(chart.links)) == (entities, links)
        assert all(e.provenance for e in chart) and all(lk.provenance for lk in
                                                        chart.links.values())


@pytest.mark.parametrize("extra", [[], ["--report"]])
def test_workbench_import_command(real_data, tmp_path, extra):
    out, report = tmp_path / "calls.wbchart", tmp_path / "rejected.csv"
    args = [sys.executable, "-m", "workbench", "import",
            str(real_data / "vast2008_call_records.csv"), "--spec",
            str(SPECS / "call-records.yaml"), "-o", str(out)]
    if extra:
        args += ["--report", str(report)]
    result = subprocess.run(args, capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Rows read 9,834, imported 9,834, skipped 0, rejected 0." in result.stdout
    assert len(load_chart(out)) == 400
    assert report.exists() == bool(extra)

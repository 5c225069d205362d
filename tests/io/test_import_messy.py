"""Messy spreadsheets as they come (issue 13): the routes CSV and files derived from it.

A bad value costs only itself, dates are read as the column writes them, every row is
accounted for, and a choice of columns takes whichever is filled, even when a file lacks one.
"""

from __future__ import annotations

import csv
from collections import Counter

import pandas as pd
import pytest

from tests.conftest import TEST_DATA as REPO_DATA
from workbench.io.importer import build_import, import_files
from workbench.io.importspec import SpecError, load_spec, parse_spec
from workbench.model import Chart, Kind, Value

from .conftest import SPECS

ROUTES = "trafficking_routes_2008_2016.csv"
# what a new user writes from the docs: one link, the wizard's first date format
NEW_USER_SPEC = """
entities:
  origin: {type: Country, identity: "{Origin_Country}{Origin Country/Region}"}
  destination: {type: Country, identity: "{Destination_Country}"}
links:
  - {from: origin, to: destination, type: Trafficked to, direction: forward,
     date: "{Years}"DATE_FORMAT}
"""


def routes_frame(real_data) -> pd.DataFrame:
    return pd.read_csv(real_data / ROUTES, dtype=str, keep_default_na=False)


def test_a_date_that_cannot_be_read_leaves_the_link_undated_not_the_row_lost(real_data,
                                                                             tmp_path):
    spec = parse_spec(NEW_USER_SPEC.replace("DATE_FORMAT", ', date_format: "%Y-%m-%d"'))
    chart = Chart()
    report = import_files(spec, [real_data / ROUTES], into=chart)
    df = routes_frame(real_data)
    origin = df["Origin_Country"] + df["Origin Country/Region"]
    both = ((origin != "") & (df["Destination_Country"] != "")).sum()
    assert len(chart.links) == both and report.rows_rejected == 0
    assert all(lk.date is None for lk in chart.links.values())
    # one warning per unreadable cell, grouped on screen
    assert len([w for w in report.warnings if w.column == "Years"]) == both
    assert f"warning: {both:,} dates in 'Years' could not be read, such as '2008.0'" in \
        report.summary()
    out = tmp_path / "report.csv"
    report.write_csv(out)
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    dated = [r for r in rows if r["column"] == "Years"]
    assert len(dated) == both and dated[0]["row"] == "2" and dated[0]["value"] == "2008.0"


def test_bounds_are_grouped_one_warning_per_cell(real_data, tmp_path):
    """Victim counts per route and year from the routes data, small counts suppressed as
    "<5" the way UN tables publish them; two links read the same cell."""
    df = routes_frame(real_data)
    df = df[(df["Origin_Country"] != "") & (df["Destination_Country"] != "")]
    counts = df.groupby(["Origin_Country", "Destination_Country", "Years"]).size()
    table = counts.reset_index(name="n")
    table["Victims"] = [str(n) if n >= 5 else "<5" for n in table["n"]]
    path = tmp_path / "counts.csv"
    table.drop(columns="n").to_csv(path, index=False)
    spec = parse_spec("""
entities:
  origin: {type: Country, identity: "{Origin_Country}"}
  destination: {type: Country, identity: "{Destination_Country}"}
links:
  - {from: origin, to: destination, type: Trafficked to,
     attributes: {victims: {column: Victims, kind: number}}}
  - {from: destination, to: origin, type: Associate,
     attributes: {victims: {column: Victims, kind: number}}}
""")
    chart = Chart()
    report = import_files(spec, [path], into=chart)
    bounds = int((table["n"] < 5).sum())
    assert len([w for w in report.warnings if w.column == "Victims"]) == bounds  # not per link
    assert f"warning: {bounds:,} cells in 'Victims' hold a bound such as '<5'; kept as " \
           "text" in report.summary()
    kept = Counter(lk.attributes["victims"] for lk in chart.links.values())
    assert kept[Value(Kind.TEXT, "<5")] == 2 * bounds


def test_dates_are_detected_from_the_column(real_data):
    spec = parse_spec(NEW_USER_SPEC.replace("DATE_FORMAT", ""))
    chart = Chart()
    report = import_files(spec, [real_data / ROUTES], into=chart)
    years = Counter(lk.date.year for lk in chart.links.values())
    df = routes_frame(real_data)
    origin = df["Origin_Country"] + df["Origin Country/Region"]
    linked = df[(origin != "") & (df["Destination_Country"] != "")]
    assert years == Counter(int(float(y)) for y in linked["Years"])
    assert "dates in 'Years' read as year written as a decimal number, e.g. 2016.0" in \
        report.summary()
    assert not [w for w in report.warnings if w.column == "Years"]


def test_call_records_dates_detected_without_a_format(real_data):
    spec = parse_spec("""
types: [{name: Handset, icon: mdi6.cellphone, colour: "#d35400", identity: text}]
entities:
  caller: {type: Handset, identity: "{From}"}
  callee: {type: Handset, identity: "{To}"}
links:
  - {from: caller, to: callee, type: Calls, date: "{Datetime}", date_format: auto}
""")
    chart = Chart()
    report = import_files(spec, [real_data / "vast2008_call_records.csv"], into=chart)
    first = min(chart.links.values(), key=lambda lk: lk.provenance[0].row)
    assert first.date.isoformat() == "2006-06-01T00:08:00"
    assert all(lk.date is not None for lk in chart.links.values())
    assert "read as year month day hour minute (digits run together), e.g. 20161231 2359" \
        in report.summary()


def test_day_or_month_first_is_reported_when_the_values_cannot_tell(tmp_path):
    path = tmp_path / "hotline.csv"
    path.write_text("Caller,Reported\nAna,01/02/2016\nBen,03/04/2016\nCy,05/06/2016\n",
                    encoding="utf-8")
    spec = parse_spec("entities:\n  p: {type: Person, identity: '{Caller}', "
                      "date: '{Reported}'}\n")
    chart = Chart()
    report = import_files(spec, [path], into=chart)
    assert chart.find("Person", "ana").date.isoformat() == "2016-02-01T00:00:00"
    assert "read as day/month/year, e.g. 31/12/2016; they could also be month/day/year, " \
           "e.g. 12/31/2016" in report.summary()
    us = import_files(parse_spec("region: US\n" + "entities:\n  p: {type: Person, identity: "
                                 "'{Caller}', date: '{Reported}'}\n"), [path], into=Chart())
    assert "read as month/day/year" in us.summary()


@pytest.mark.parametrize(("written", "expected"), [
    (["3 janvier 2016", "14 février 2016"], ["2016-01-03", "2016-02-14"]),
    (["3 de enero de 2016", "14 de febrero de 2016"], ["2016-01-03", "2016-02-14"]),
    (["3 de janeiro de 2016", "14 de fevereiro de 2016"], ["2016-01-03", "2016-02-14"]),
    (["3 января 2016 г.", "14 февраля 2016 г."], ["2016-01-03", "2016-02-14"]),
    (["3 يناير 2016", "14 فبراير 2016"], ["2016-01-03", "2016-02-14"]),
    (["January 3, 2016", "February 14, 2016"], ["2016-01-03", "2016-02-14"]),
    (["42372", "42414"], ["2016-01-03", "2016-02-14"]),  # Excel day numbers
    (["20160103 0930", "20160214 1800"], ["2016-01-03T09:30", "2016-02-14T18:00"]),
])
def test_month_names_in_six_languages_and_excel_days(tmp_path, written, expected):
    path = tmp_path / "court.csv"
    path.write_text("Defendant,Hearing\n" + "".join(f'P{i},"{w}"\n' for i, w in
                                                      enumerate(written)), encoding="utf-8")
    spec = parse_spec("entities:\n  p: {type: Person, identity: '{Defendant}', "
                      "date: '{Hearing}'}\n")
    chart = Chart()
    report = import_files(spec, [path], into=chart)
    got = [chart.find("Person", f"p{i}").date.isoformat() for i in range(len(written))]
    assert [g[:len(e)] for g, e in zip(got, expected, strict=True)] == expected
    assert not report.warnings


def test_every_row_is_accounted_for_and_empty_identities_are_in_the_report(real_data,
                                                                          tmp_path):
    chart = Chart()
    report = import_files(load_spec(SPECS / "trafficking-routes.yaml"), [real_data / ROUTES],
                          into=chart)
    df = routes_frame(real_data)
    origin = df["Origin_Country"] + df["Origin Country/Region"]
    dest, transit = df["Destination_Country"], df["Transit_Country"]
    nothing = (origin == "") & (dest == "") & (transit == "")
    assert report.rows_imported == len(df) - nothing.sum()
    text = report.summary()
    assert f"{(origin != '').sum():,} row(s) made entities.origin (Country)" in text
    assert f"{nothing.sum():,} row(s) made nothing: {nothing.sum():,} every identity empty" \
        in text
    out = tmp_path / "report.csv"
    report.write_csv(out)
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    no_origin = {int(r["row"]) for r in rows if r["reason"].startswith("entities.origin: "
                                                                        "empty")}
    assert no_origin == {i + 2 for i in df.index[origin == ""]}
    made_nothing = {int(r["row"]) for r in rows if r["reason"].startswith("made nothing")}
    assert made_nothing == {i + 2 for i in df.index[nothing]}


def test_empty_date_cells_are_counted(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text("A,B,When\nx,y,2016-01-02\nx,z,\ny,z,\n", encoding="utf-8")
    spec = parse_spec("entities:\n  a: {type: Person, identity: '{A}'}\n  b: {type: Person, "
                      "identity: '{B}'}\nlinks:\n  - {from: a, to: b, type: Associate, "
                      "date: '{When}'}\n")
    report = import_files(spec, [path], into=Chart())
    assert "note: 2 row(s) with an empty date in 'When': undated (links[0])" in \
        report.summary()


def test_a_date_without_a_column_is_refused():
    with pytest.raises(SpecError, match=r"links\[0\].date \(line 5\): '2016' names no column"):
        parse_spec("entities:\n  a: {type: Person, identity: '{A}'}\n"
                   "  b: {type: Person, identity: '{B}'}\nlinks:\n"
                   "  - {from: a, to: b, type: Associate, date: '2016'}\n")


def test_either_column_works_when_a_file_lacks_one(real_data, tmp_path):
    df = routes_frame(real_data)
    late = df[df["Years"].isin(["2012.0", "2013.0"])].drop(columns=["Origin Country/Region"])
    path = tmp_path / "routes-2012-2013.csv"
    late.to_csv(path, index=False)
    for identity in ('"{Origin_Country}{Origin Country/Region}"',
                     "{first_of: [Origin Country/Region, Origin_Country]}"):
        spec = parse_spec(NEW_USER_SPEC.replace("DATE_FORMAT", "").replace(
            '"{Origin_Country}{Origin Country/Region}"', identity))
        plan = build_import(spec, [path], Chart())
        made = (late["Origin_Country"] != "") & (late["Destination_Country"] != "")
        assert len(plan.links) == made.sum()


def test_a_choice_with_every_column_missing_is_refused(real_data):
    spec = parse_spec("entities:\n  o: {type: Country, identity: '{Origin}{Source}'}\n",
                      name="s.yaml")
    with pytest.raises(SpecError, match=r"missing: 'Origin or Source' \(entities\.o\.identity"):
        build_import(spec, [real_data / ROUTES], Chart())


def test_an_explicit_label_beats_a_default_one_whichever_comes_first(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("Caller,Name\nanna k,\nANNA K,Anna Kowalska\nanna k,Anna K.\n",
                    encoding="utf-8")
    spec = parse_spec("entities:\n  plain: {type: Person, identity: '{Caller}'}\n"
                      "  named: {type: Person, identity: '{Caller}', label: '{Name}'}\n")
    chart = Chart()
    import_files(spec, [path], into=chart)
    assert chart.find("Person", "anna k").label == "Anna Kowalska"


def test_formats_in_words_for_the_wizard():
    from workbench.io.date_formats import DateFormat, describe, detect

    assert describe("%d/%m/%Y") == "day/month/year, e.g. 31/12/2016"
    assert describe("%Y%m%d %H%M") == \
        "year month day hour minute (digits run together), e.g. 20161231 2359"
    found = detect(["3 janvier 2016", "14 février 2016"])
    assert found.formats == (DateFormat("%d m%m %Y", "fr"),)
    assert describe(found.formats[0]) == \
        "day month name year (French month names), e.g. 31 décembre 2016"


def test_sheets_with_their_own_column_names_and_the_year_in_the_sheet_name(real_data,
                                                                          tmp_path):
    """A workbook with one sheet per year, the year only in the sheet name, and a column
    renamed one year: one spec, one file, no pass per sheet."""
    df = routes_frame(real_data)
    df["Origin_Country"] = df["Origin_Country"] + df["Origin Country/Region"]  # never both
    path = tmp_path / "routes-by-year.xlsx"
    years = {"Routes 2015": "2015.0", "Routes 2016": "2016.0"}
    with pd.ExcelWriter(path) as writer:
        for sheet, year in years.items():
            part = df[df["Years"] == year][["Origin_Country", "Destination_Country"]]
            if sheet.endswith("2016"):
                part = part.rename(columns={"Origin_Country": "Country of origin"})
            part.to_excel(writer, sheet_name=sheet, index=False)
    spec = parse_spec(r"""
sources:
  - {sheet: Routes 2015, constants: {Year: {pattern: '\d{4}'}}}
  - {sheet: Routes 2016, columns: {Country of origin: Origin_Country},
     constants: {Year: {value: "{sheet}", pattern: '\d{4}'}, Source: Hotline}}
entities:
  origin: {type: Country, identity: "{Origin_Country}"}
  destination: {type: Country, identity: "{Destination_Country}"}
links:
  - {from: origin, to: destination, type: Trafficked to, date: "{Year}",
     attributes: {source: {first_of: [Source, Year]}}}
""")
    chart = Chart()
    report = import_files(spec, [path], into=chart)
    made = df[(df["Origin_Country"] != "") & (df["Destination_Country"] != "")]
    expected = Counter(int(float(y)) for y in made["Years"] if y in years.values())
    assert expected[2015] > 1000 and expected[2016] > 1000
    assert Counter(lk.date.year for lk in chart.links.values()) == expected
    sources = Counter(lk.attributes["source"].value for lk in chart.links.values())
    assert sources == {"2015": expected[2015], "Hotline": expected[2016]}
    assert report.rows_rejected == 0


def test_country_spellings_make_one_entity_each_and_a_typo_a_suggestion(tmp_path):
    path = tmp_path / "destinations.csv"
    names = ["UK", "U.K.", "United Kingdom", "Royaume-Uni", "Reino Unido", "GBR",
             "UAE", "U.A.E", "U.A.E.", "United Arab Emirates", "Emiratos Árabes Unidos",
             "United Kingdon", "Gulf States"]
    path.write_text("Case,Destination\n" + "".join(f"C{i},{n}\n" for i, n in enumerate(names)),
                    encoding="utf-8")
    spec = parse_spec("entities:\n  case: {type: Event, identity: '{Case}'}\n"
                      "  to: {type: Country, identity: '{Destination}'}\n"
                      "links:\n  - {from: case, to: to, type: Trafficked to}\n")
    chart = Chart()
    report = import_files(spec, [path], into=chart)
    countries = {e.identity: e for e in chart if e.type == "Country"}
    assert set(countries) == {"GB", "AE", "united kingdon", "gulf states"}
    assert countries["GB"].label == "United Kingdom"
    assert countries["GB"].attributes["aliases"] == Value(
        Kind.TEXT, "UK; U.K.; Royaume-Uni; Reino Unido; GBR")
    assert countries["AE"].attributes["aliases"].value == \
        "UAE; U.A.E; U.A.E.; Emiratos Árabes Unidos"
    assert len(chart.links_between(chart.find("Event", "c0").id, countries["GB"].id)) == 1
    [typo] = report.warnings
    assert (typo.row, typo.value) == (13, "United Kingdon")
    assert "did you mean 'United Kingdom'?" in typo.reason
    assert "1 names in 'Destination' are not known countries but close to one" in \
        report.summary()


def test_a_named_format_with_month_names_reads_them_in_the_column_s_language(tmp_path):
    from workbench.io.date_formats import DateFormat, spec_code

    path = tmp_path / "court.csv"
    path.write_text("Defendant,Hearing\nP0,3 janvier 2016\nP1,14 février 2016\n",
                    encoding="utf-8")
    spec = parse_spec("entities:\n  p: {type: Person, identity: '{Defendant}', "
                      "date: '{Hearing}', date_format: '%d %B %Y'}\n")
    chart = Chart()
    import_files(spec, [path], into=chart)
    assert chart.find("Person", "p1").date.isoformat() == "2016-02-14T00:00:00"
    assert spec_code(DateFormat("%d m%m %Y", "fr")) == "%d %B %Y"


def test_importing_into_a_chart_from_before_iso_codes_merges_its_countries(real_data):
    """format-v1.wbchart keys its Country entities by folded name, as charts did before:
    opening it brings them to ISO codes (tests/io/test_chart_rekey.py)."""
    from workbench.io import load_chart

    old = load_chart(REPO_DATA / "format-v1.wbchart")
    nigeria = old.find("Country", "NG")
    assert nigeria is not None and old.find("Country", "nigeria") is None
    plan = build_import(parse_spec(NEW_USER_SPEC.replace("DATE_FORMAT", "")),
                        [real_data / ROUTES], old)
    assert nigeria.id in plan.absorbed
    assert not any(e.identity == "NG" for e in plan.entities)

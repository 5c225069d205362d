"""The wizard with messy files, as a new user meets them: the routes CSV with its year column
as it is (``2008.0``) and its origin in one of two columns, dates offered in words, day and
month that cannot be told apart, near-miss countries, and a spec written for another file."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QWizard

from workbench.io.importspec import load_spec
from workbench.model import Chart
from workbench.ui.importing.import_wizard import ImportCommand, ImportWizard

SAMPLES = Path(__file__).resolve().parents[3] / "sample_charts"
ROUTES = SAMPLES / "data" / "trafficking_routes_2008_2016.csv"
ROUTES_SPEC = SAMPLES / "specs" / "trafficking-routes.yaml"


def wizard_on(qtbot, path: Path, chart: Chart | None = None) -> ImportWizard:
    wizard = ImportWizard(chart if chart is not None else Chart(), files=[path])
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    return wizard


def format_items(wizard: ImportWizard, row: int = 0) -> list[str]:
    combo = wizard.link_table.cellWidget(row, 5)
    return [combo.itemText(i) for i in range(combo.count())]


def test_the_routes_csv_end_to_end_with_its_year_as_it_is_and_origin_from_either_column(
        qtbot, tmp_path):
    chart = Chart()
    wizard = wizard_on(qtbot, ROUTES, chart)
    wizard.add_entity("origin", "Country", "Origin_Country", either="Origin Country/Region")
    wizard.add_entity("destination", "Country", "Destination_Country")
    wizard.add_link("origin", "destination", "Trafficked to", "forward", "Years")
    # the format is offered from the column, in words: no strftime code to know
    items = format_items(wizard)
    assert items[0] == "Detect from the column (year written as a decimal number, e.g. 2016.0)"
    assert "year written as a decimal number, e.g. 2016.0" in items[1:]
    qtbot.waitUntil(lambda: "links" in wizard.count_label.text(), timeout=10000)
    frame = pd.read_csv(ROUTES, dtype=str, keep_default_na=False)
    origin = frame["Origin_Country"].where(frame["Origin_Country"] != "",
                                           frame["Origin Country/Region"]).str.strip()
    destination = frame["Destination_Country"].str.strip()
    linked = (origin != "") & (destination != "")
    neither = (origin == "") & (destination == "")
    live = wizard.count_label.text()
    assert f"<b>{linked[:20_000].sum():,} links</b>" in live  # the first 20,000 rows, live
    saved = tmp_path / "routes.yaml"
    wizard.save_spec(saved)
    assert load_spec(saved).entities["origin"].identity.text == \
        "{Origin_Country}{Origin Country/Region}"
    wizard.next()
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=60000)
    report = wizard.plan.report
    summary = wizard.report_view.toPlainText()
    assert f"Links: {linked.sum():,} new." in summary
    assert f"{(~linked & ~neither).sum():,} row(s) made entities but no link" in summary
    assert f"{neither.sum():,} row(s) made nothing" in summary
    assert report.rows_read == len(frame)
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    wizard.accept()
    QUndoStack().push(ImportCommand(chart, wizard.plan))
    assert len(chart.links) == linked.sum()
    years = Counter(lk.date.year for lk in chart.links.values())
    expected = Counter(int(float(y)) for y in frame.loc[linked, "Years"])
    assert years == expected  # every link dated with its row's year, none lost
    # countries are one entity however spelt: as many as distinct ISO codes, no more
    assert len(chart) == len({e.identity for e in chart.entities.values()})


def test_day_and_month_that_cannot_be_told_apart_are_shown_with_a_choice(qtbot, tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text("A,B,When\n1,2,01/03/2016\n3,4,02/04/2016\n5,6,12/11/2016\n")
    wizard = wizard_on(qtbot, path)
    wizard.add_entity("a", "Person", "A")
    wizard.add_entity("b", "Person", "B")
    wizard.add_link("a", "b", "Associate", "none", "When")
    items = format_items(wizard)
    both = [i for i in items if "fit both orders" in i]
    assert both == ["day/month/year, e.g. 31/12/2016 (the column's values fit both orders)",
                    "month/day/year, e.g. 12/31/2016 (the column's values fit both orders)"]
    wizard.update_counts()
    assert "day and month cannot be told apart" in wizard.count_label.text()
    wizard.link_table.cellWidget(0, 5).setCurrentText(both[1])
    wizard.update_counts()
    assert "cannot be told apart" not in wizard.count_label.text()
    assert wizard.spec().links[0].date_formats == ("%m/%d/%Y",)


def test_save_report_is_offered_for_rows_that_made_nothing_and_near_misses_are_shown(
        qtbot, tmp_path):
    path = tmp_path / "routes.csv"
    path.write_text("From,To\nUK,United Kingdon\n,\nU.A.E.,\n")
    wizard = wizard_on(qtbot, path)
    wizard.add_entity("a", "Country", "From")
    wizard.add_entity("b", "Country", "To")
    wizard.add_link("a", "b", "Trafficked to")
    wizard.update_counts()
    assert "'United Kingdon': did you mean United Kingdom?" in wizard.count_label.text()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=10000)
    view = wizard.report_widget
    assert view.suggestions.isVisible()
    assert "'United Kingdon': did you mean United Kingdom?" in view.suggestions.text()
    assert view.save_button.isEnabled()
    reasons = {wizard.issue_table.item(r, 2).text(): wizard.issue_table.item(r, 5).text()
               for r in range(wizard.issue_table.rowCount())}
    assert "made nothing" in reasons["3"]  # the empty row is listed, not only counted
    report = tmp_path / "report.csv"
    view.report.write_csv(report)
    assert {"2", "3", "4"} <= set(pd.read_csv(report, dtype=str)["row"])


def test_a_spec_for_another_file_names_the_missing_columns_and_the_wizard_stays_on_screen(
        qtbot, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("Name,Phone\nAna,07700900123\n")
    wizard = ImportWizard(Chart(), files=[path])
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.load_spec(ROUTES_SPEC)
    info = wizard.file_info.text()
    assert "does not fit people.csv: 14 columns are missing: 'Source_Latitude'" in info
    assert "The columns of people.csv are: 'Name', 'Phone'." in info
    wizard.next()
    wizard.update_counts()
    text = wizard.count_label.text()
    assert "columns are missing" in text and "line 0" not in text
    screen = QApplication.primaryScreen().availableGeometry().width()
    assert wizard.count_label.minimumSizeHint().width() <= screen
    QApplication.processEvents()
    assert wizard.width() <= screen


@pytest.mark.parametrize("typed", ["%Y.0", "%d %B %Y"])
def test_a_typed_code_is_kept(qtbot, tmp_path, typed):
    path = tmp_path / "a.csv"
    path.write_text("A,B,When\n1,2,2008.0\n")
    wizard = wizard_on(qtbot, path)
    wizard.add_entity("a", "Person", "A")
    wizard.add_entity("b", "Person", "B")
    wizard.add_link("a", "b", "Associate", "none", "When", typed)
    assert wizard.spec().links[0].date_formats == (typed,)


def test_save_specification_keeps_the_loaded_sources_renames_and_constants(qtbot, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("Origin or Source,To\nUK,France\n")
    spec = tmp_path / "in.yaml"
    spec.write_text("source: {columns: {Origin or Source: Origin}, constants: {Year: '2015'}}\n"
                    "entities:\n  o: {type: Country, identity: '{Origin}'}\n"
                    "  d: {type: Country, identity: '{To}'}\n"
                    "links:\n  - {from: o, to: d, type: Trafficked to, date: '{Year}'}\n")
    wizard = ImportWizard(Chart(), files=[path])
    qtbot.addWidget(wizard)
    wizard.load_spec(spec)
    saved = tmp_path / "out.yaml"
    wizard.save_spec(saved)
    source = load_spec(saved).source
    assert source.columns == {"Origin or Source": "Origin"}
    assert source.constants["Year"].text == "2015"


def test_a_spec_with_a_part_per_sheet_shows_the_part_of_the_sheet(qtbot, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "2011"
    book.active.append(["Origin or Source", "To"])
    book.create_sheet("2016").append(["Origin_Country", "Destination_Country"])
    path = tmp_path / "routes.xlsx"
    book.save(path)
    spec = tmp_path / "parts.yaml"
    spec.write_text("parts:\n"
                    "  - source: {sheet: '2011'}\n"
                    "    entities: {o: {type: Country, identity: '{Origin or Source}'}}\n"
                    "  - source: {sheet: '2016'}\n"
                    "    entities: {o: {type: Country, identity: '{Origin_Country}'}}\n")
    wizard = ImportWizard(Chart(), files=[path])
    qtbot.addWidget(wizard)
    wizard.set_sheet("2016")
    wizard.load_spec(spec)
    assert "It has 2 parts" in wizard.file_info.text()
    assert "does not fit" not in wizard.file_info.text()
    assert wizard.spec().entities["o"].identity.text == "{Origin_Country}"

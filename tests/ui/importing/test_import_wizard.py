"""The import wizard driven as an analyst would: a real file, mapping, live counts, save the
spec, import on a worker thread, then undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWizard

from workbench.io.importspec import load_spec
from workbench.model import Chart, SourceRecord
from workbench.ui.importing.import_wizard import ImportCommand, ImportWizard, is_importable

CALLS = """\
Caller,Callee,Caller name,When
07700 900123,+44 7700 900124,Ana Lima,01/03/2016
+447700900124,07700900125,Ben Okoro,02/03/2016
07700 900123,not a phone,Ana Lima,03/03/2016
"""


@pytest.fixture
def real_routes():
    """The real routes file shipped beside the samples, and its spec."""
    samples = Path(__file__).resolve().parents[3] / "sample_charts"
    return (samples / "data" / "trafficking_routes_2008_2016.csv",
            samples / "specs" / "trafficking-routes.yaml")


def calls_file(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text(CALLS, encoding="utf-8")
    return path


def test_map_count_save_import_and_undo(qtbot, tmp_path):
    chart = Chart()
    chart.make_entity("Phone", "Known", identity="07700900123", provenance=[SourceRecord("x")])
    wizard = ImportWizard(chart)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.add_files([calls_file(tmp_path)])
    assert "3 rows, 4 columns, encoding utf-8" in wizard.file_info.text()
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    assert wizard.preview_model.rowCount() == 3
    assert wizard.preview_model.headerData(0, qt_horizontal()) == "Caller"
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.add_entity("caller", "Phone", "Caller")
    wizard.add_entity("callee", "Phone", "Callee")
    wizard.add_link("caller", "callee", "Calls", "forward", "When", "%d/%m/%Y")
    wizard.add_attribute("caller", "subscriber", "Caller name")
    wizard.add_attribute("link 1", "day", "When", "datetime", "%d/%m/%Y")
    qtbot.waitUntil(lambda: "links" in wizard.count_label.text(), timeout=3000)
    text = wizard.count_label.text()
    assert "2 new entities</b> (1 already in the chart), <b>2 links</b>" in text
    assert "0 rejected" in text  # row 4's bad callee costs the callee, not the row
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.grab().save(str(tmp_path / "mapping.png"))
    saved = tmp_path / "calls.yaml"
    wizard.save_spec(saved)
    spec = load_spec(saved)
    assert [lk.date_formats for lk in spec.links] == [("%d/%m/%Y",)]
    assert spec.entities["callee"].identity.text == "{Callee}"
    assert [(a.name, a.column.text) for a in spec.entities["caller"].attributes] == \
        [("subscriber", "{Caller name}")]
    assert spec.links[0].attributes[0].date_formats == ("%d/%m/%Y",)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=10000)
    assert "Rows read 3, imported 3, skipped 0, rejected 0." in wizard.report_view.toPlainText()
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert wizard.issue_table.rowCount() == 1
    assert [wizard.issue_table.item(0, c).text() for c in range(5)] == \
        ["calls.csv", "", "4", "Callee", "not a phone"]
    assert len(chart) == 1  # nothing changes before Finish
    wizard.grab().save(str(tmp_path / "run.png"))
    wizard.accept()
    stack = QUndoStack()
    stack.push(ImportCommand(chart, wizard.plan))
    assert len(chart) == 3 and len(chart.links) == 2
    assert len(chart.find("Phone", "+447700900123").provenance) == 3  # rows 2 and 4
    ben = chart.find("Phone", "+447700900124")
    assert ben.attributes["subscriber"].value == "Ben Okoro"
    assert {lk.attributes["day"].value.day for lk in chart.links.values()} == {1, 2}
    stack.undo()
    assert len(chart) == 1 and not chart.links
    assert len(chart.find("Phone", "+447700900123").provenance) == 1
    stack.redo()
    assert len(chart) == 3


def test_a_saved_spec_fills_the_mapping_again(qtbot, tmp_path):
    spec = tmp_path / "calls.yaml"
    spec.write_text("entities:\n  a: {type: Phone, identity: '{Caller}'}\n"
                    "  b: {type: Phone, identity: '{Callee}'}\n"
                    "links:\n  - {from: a, to: b, type: Calls, direction: forward}\n")
    wizard = ImportWizard(Chart(), files=[calls_file(tmp_path)])
    qtbot.addWidget(wizard)
    wizard.load_spec(spec)
    wizard.show()
    wizard.next()
    assert wizard.entity_table.rowCount() == 2 and wizard.link_table.rowCount() == 1
    assert wizard.attribute_table.rowCount() == 0
    wizard.update_counts()
    assert "<b>3 new entities</b>" in wizard.count_label.text()


def test_an_xlsx_sheet_is_chosen(qtbot, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "2015"
    book.active.append(["Name"])
    sheet = book.create_sheet("2016")
    sheet.append(["Name", "Phone"])
    sheet.append(["Ana", "07700900123"])
    path = tmp_path / "people.xlsx"
    book.save(path)
    wizard = ImportWizard(Chart(), files=[path])
    qtbot.addWidget(wizard)
    assert [wizard.sheet_combo.itemText(i) for i in range(2)] == ["2015", "2016"]
    wizard.set_sheet("2016")
    assert wizard.columns() == ["Name", "Phone"]


def test_cancel_leaves_no_plan(qtbot, tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("A,B\n" + "".join(f"p{i % 5000},q{i % 7000}\n" for i in range(200_000)))
    chart = Chart()
    wizard = ImportWizard(chart, files=[path])
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    wizard.add_entity("a", "Person", "A")
    wizard.add_entity("b", "Person", "B")
    wizard.add_link("a", "b", "Associate")
    wizard.next()
    wizard.cancel_button.click()
    qtbot.waitUntil(lambda: not wizard.cancel_button.isEnabled(), timeout=10000)
    assert wizard.plan is None
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert len(chart) == 0


def test_a_type_typed_in_the_wizard_is_declared_in_the_saved_spec(qtbot, tmp_path):
    wizard = ImportWizard(Chart(), files=[calls_file(tmp_path)])
    qtbot.addWidget(wizard)
    wizard.add_entity("caller", "Burner phone", "Caller")
    wizard.add_entity("person", "Person", "Caller name")
    wizard.add_link("person", "caller", "Carries")
    saved = tmp_path / "s.yaml"
    wizard.save_spec(saved)
    spec = load_spec(saved)
    assert [t.name for t in spec.types] == ["Burner phone"]
    assert [t.name for t in spec.link_types] == ["Carries"]


def test_files_dropped_on_the_wizard_join_the_import(qtbot, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    wizard = ImportWizard(Chart(), files=[calls_file(tmp_path)])
    qtbot.addWidget(wizard)
    more = tmp_path / "more.csv"
    more.write_text("Caller\n07700900999\n")
    chart_file = tmp_path / "case.wbchart"
    chart_file.write_bytes(b"")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(more)), QUrl.fromLocalFile(str(chart_file))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    wizard.dropEvent(event)
    assert [p.name for p in wizard.files] == ["calls.csv", "more.csv"]
    assert wizard.file_list.count() == 2


def test_dropped_files_it_reads():
    assert is_importable("x.CSV") and is_importable("a/b.xlsx")
    assert not is_importable("chart.wbchart")


def qt_horizontal():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def test_the_routes_spec_in_the_wizard_counts_like_the_importer(qtbot, real_routes):
    from workbench.io.importer import build_import

    path, spec_path = real_routes
    wizard = ImportWizard(Chart(), files=[path])
    qtbot.addWidget(wizard)
    wizard.load_spec(spec_path)
    assert "22,246 rows" in wizard.file_info.text()
    assert wizard.attribute_table.rowCount() == 12  # four on each of the three legs
    spec = wizard.spec()
    assert spec.links[0].date_formats == ("%Y.0", "%Y")
    assert spec.links[0].attributes == load_spec(spec_path).links[0].attributes
    ours = build_import(spec, [path], Chart()).report
    theirs = build_import(load_spec(spec_path), [path], Chart()).report
    assert (ours.entities_new, ours.links_new, ours.rows_skipped) == \
        (theirs.entities_new, theirs.links_new, theirs.rows_skipped)

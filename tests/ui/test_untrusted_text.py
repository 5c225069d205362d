"""Scraped labels, file names and error text are shown as typed, never rendered as HTML
(Qt renders any text that looks like HTML as rich text: images, links, huge widths)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from workbench.io import save_chart
from workbench.model import Chart, Kind, SourceRecord, Value
from workbench.ui.importing.import_wizard import ImportWizard

EVIL = "<img src='x' width=4000><a href='http://evil'>click</a>"


def evil_chart(tmp_path):
    chart = Chart()
    chart.make_entity("Person", EVIL, identity="ana silva",
                      provenance=[SourceRecord(EVIL, file=f"{EVIL}.csv", sheet=EVIL, row=3)])
    chart.make_entity("Person", "Ben Okoro", identity="ben okoro",
                      attributes={EVIL: Value(Kind.TEXT, "xyzzy")})
    path = tmp_path / "evil.wbchart"
    save_chart(chart, path)
    return path


def test_clash_message_shows_the_other_label_literally(window, tmp_path):
    window.open_chart(evil_chart(tmp_path))
    dock = window.properties
    ben = window.chart.find("Person", "ben okoro")
    window.selection.set([ben.id])
    dock.identity_edit.setText("Ana Silva")
    dock.identity_edit.editingFinished.emit()
    assert EVIL in dock.problem.text()
    assert dock.problem.textFormat() == Qt.TextFormat.PlainText


def test_source_tooltip_is_escaped(window, tmp_path):
    window.open_chart(evil_chart(tmp_path))
    window.selection.set([window.chart.find("Person", "ana silva").id])
    tip = window.properties.sources.table.item(0, 0).toolTip()
    assert "&lt;img" in tip and "<img" not in tip


def test_find_tooltip_is_escaped(window, tmp_path, qtbot):
    window.open_chart(evil_chart(tmp_path))
    dock = window.find_dock
    window.acts.find.trigger()
    qtbot.keyClicks(dock.query_edit, "xyzzy")
    assert dock.results.count() == 1
    tip = dock.results.item(0).toolTip()
    assert "&lt;img" in tip and "<img" not in tip


def test_wizard_shows_file_names_and_errors_as_plain_text(qtbot, tmp_path):
    wizard = ImportWizard(Chart())
    qtbot.addWidget(wizard)
    bad = tmp_path / f"{EVIL.replace('/', '_')}.csv"
    bad.write_bytes(b"")
    wizard.add_files([bad])
    assert wizard.file_info.textFormat() == Qt.TextFormat.PlainText
    assert wizard.status.textFormat() == Qt.TextFormat.PlainText
    assert "<img" in wizard.file_info.text()

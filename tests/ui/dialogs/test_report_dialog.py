"""File > Export Report on the real window: the form prefilled from the chart, DOCX and PDF
written on a worker thread and read back with python-docx and pypdf, templates saved and
loaded, Cancel, and failures that say why and damage no file."""

from __future__ import annotations

import time
from pathlib import Path

import docx
import pytest
import yaml
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStatusBar

from workbench.ui.background import running_jobs
from workbench.ui.dialogs.report_dialog import ReportDialog

from ...pictures import picture_children
from ..conftest import IDS, SAMPLE

TIMEOUT = 60_000


@pytest.fixture
def out(tmp_path) -> Path:
    """A folder of its own for reports (the test's settings live in tmp_path)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def dialog(window) -> ReportDialog:
    window.open_chart(SAMPLE)
    window.chart.marking = "OFFICIAL-SENSITIVE"
    window.chart.author = "Analyst A"
    window.acts.export_report.trigger()
    dialog = window.report_dialog
    assert isinstance(dialog, ReportDialog) and dialog.isVisible()
    return dialog


def set_checked(widget, names: set[str]) -> None:
    for i in range(widget.count()):
        item = widget.item(i)
        item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in names
                           else Qt.CheckState.Unchecked)


def write(qtbot, dialog: ReportDialog, path: Path) -> str:
    dialog.path_edit.setText(str(path))
    with qtbot.waitSignal(dialog.written, timeout=TIMEOUT) as done:
        assert dialog.export()
        assert dialog.progress.isVisible() and not dialog.export_button.isEnabled()
    return done.args[0]


def pdf_words(path: Path) -> tuple[int, str]:
    reader = PdfReader(path)
    return len(reader.pages), " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_the_form_is_prefilled_from_the_chart(dialog, window):
    assert "Export Report..." in [a.text().replace("&", "") for a in window.menus.file.actions()]
    assert dialog.title_edit.text() == window.chart.title
    assert dialog.author_edit.text() == "Analyst A"
    assert dialog.marking_edit.text() == "OFFICIAL-SENSITIVE"
    assert dialog.path_edit.text().endswith("nov13-network-report.docx")
    assert dialog.scope.currentIndex() == 0  # nothing selected: the whole chart
    template = dialog.template()
    assert template.sections == ["title", "chart", "histograms", "timewheel", "map", "timeline",
                                 "entities", "links", "sources"]
    assert template.entity_attributes is None  # every attribute, also ones added later


def test_docx_report_of_the_whole_chart(qtbot, dialog, window, out):
    written = write(qtbot, dialog, out / "report.docx")
    assert written == str(out / "report.docx") and not dialog.isVisible()
    document = docx.Document(written)
    header = " ".join(p.text for s in document.sections for p in s.header.paragraphs)
    assert "OFFICIAL-SENSITIVE" in header
    text = "\n".join(p.text for p in document.paragraphs)
    title_page = [c.text for c in document.tables[0].rows[0].cells]
    assert window.chart.title in text and title_page == ["Author", "Analyst A"]
    assert len(document.inline_shapes) >= 3  # the chart pages and histograms
    # The top rows in the report, every row in the spreadsheet beside it, named in the text.
    entity_table = next(t for t in document.tables if t.rows[0].cells[0].text == "Label")
    assert len(entity_table.rows) == 1 + 40
    assert "every entity is in the attached spreadsheet report.xlsx" in text
    assert load_workbook(out / "report.xlsx")["Entities"].max_row == 1 + 132
    assert f"Report written: {written}" in window.statusBar().currentMessage()
    assert sorted(p.name for p in out.iterdir()) == ["report.docx", "report.xlsx"]  # no parts


def test_full_tables_box_puts_every_row_in_the_report(qtbot, dialog, out):
    dialog.full_tables.setChecked(True)
    assert dialog.template().full_tables
    written = write(qtbot, dialog, out / "report.docx")
    entity_table = next(t for t in docx.Document(written).tables
                        if t.rows[0].cells[0].text == "Label")
    assert len(entity_table.rows) == 1 + 132
    assert [p.name for p in out.iterdir()] == ["report.docx"]  # no spreadsheet needed


def test_pdf_report_of_the_selection_with_chosen_sections(qtbot, dialog, window, tmp_path):
    dialog.reject()
    window.selection.set([IDS["atar"], IDS["baghdadi"]])
    window.acts.export_report.trigger()
    dialog = window.report_dialog
    assert dialog.scope.currentIndex() == 1  # something selected: the selection
    set_checked(dialog.sections, {"title", "chart", "entities", "links"})
    dialog.marking_edit.setText("SECRET//REL")
    write(qtbot, dialog, tmp_path / "picked.pdf")
    _, text = pdf_words(tmp_path / "picked.pdf")
    assert "SECRET//REL" in text and "Entities (2)" in text and "Links (1)" in text
    assert "Oussama Atar" in text and "Salah Abdeslam" not in text
    assert "Sources" not in text.replace("Source records", "")  # the appendix was left out
    assert PdfReader(tmp_path / "picked.pdf").pages[1].images  # the chart picture


def test_a_template_saved_and_loaded_again(qtbot, dialog, window, tmp_path):
    set_checked(dialog.sections, {"title", "entities"})
    set_checked(dialog.histograms, {"grade"})
    set_checked(dialog.entity_columns, set())
    assert dialog.save_template_file(tmp_path / "referral.yaml")
    saved = yaml.safe_load((tmp_path / "referral.yaml").read_text(encoding="utf-8"))
    assert saved["sections"] == ["title", "entities"] and saved["histograms"] == ["grade"]
    assert saved["entity_attributes"] == [] and saved["marking"] == "OFFICIAL-SENSITIVE"
    assert "title" not in saved and "author" not in saved  # this chart's own, not the template's
    dialog.reject()

    window.acts.export_report.trigger()
    again = window.report_dialog
    assert again.load_template_file(tmp_path / "referral.yaml")
    template = again.template()
    assert template.sections == ["title", "entities"] and template.histograms == ["grade"]
    assert template.entity_attributes == []
    assert again.title_edit.text() == window.chart.title  # the chart fills what it leaves open


def test_a_bad_template_is_refused_with_the_reason(dialog, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: workbench-report-template\nsections: [chart, gossip]\n",
                   encoding="utf-8")
    assert not dialog.load_template_file(bad)
    assert "gossip" in dialog.message.text() and "bad.yaml" in dialog.message.text()
    assert dialog.template().sections[0] == "title"  # the form is as it was


def test_cancel_writes_nothing_and_keeps_the_old_report(qtbot, dialog, out):
    old = out / "report.pdf"
    old.write_bytes(b"%PDF-1.4 the report sent last week")
    dialog.path_edit.setText(str(old))
    assert dialog.export()
    dialog.cancel_button.click()
    assert not dialog.writing() and dialog.isVisible()
    assert "no report was written" in dialog.status.text()
    qtbot.waitUntil(lambda: not dialog._jobs, timeout=TIMEOUT)  # the worker has finished
    assert old.read_bytes() == b"%PDF-1.4 the report sent last week"
    assert [p.name for p in out.iterdir()] == ["report.pdf"]


def test_a_failed_write_says_why_and_damages_nothing(qtbot, dialog, out):
    taken = out / "report.docx"  # a folder where the report should go
    taken.mkdir()
    (taken / "keep.txt").write_text("evidence", encoding="utf-8")
    dialog.path_edit.setText(str(taken))
    with qtbot.waitSignal(dialog.failed, timeout=TIMEOUT) as failed:
        assert dialog.export()
    assert "report.docx" in failed.args[0]
    assert dialog.message.isVisible() and dialog.message.text() == failed.args[0]
    assert dialog.isVisible() and dialog.export_button.isEnabled()
    assert (taken / "keep.txt").read_text(encoding="utf-8") == "evidence"
    assert [p.name for p in out.iterdir()] == ["report.docx"]


@pytest.mark.parametrize(("name", "reason"), [("report.odt", "a report is .docx or .pdf"),
                                               ("missing/report.pdf", "no such folder")])
def test_a_target_that_cannot_be_written_is_refused_at_once(dialog, tmp_path, name, reason):
    dialog.path_edit.setText(str(tmp_path / name))
    assert not dialog.export()
    assert reason in dialog.message.text() and not dialog.writing()


def test_closing_the_window_cancels_the_report(qtbot, dialog, window, out):
    """The window waits for the worker, which removes its part file: the earlier report
    stays as it was and nothing half-written is left."""
    target = out / "closing.pdf"
    target.write_bytes(b"the earlier report")
    dialog.path_edit.setText(str(target))
    with qtbot.assertNotEmitted(dialog.written, wait=300):
        assert dialog.export()
        jobs = running_jobs()
        assert len(jobs) == 1
        assert window.close()
        assert jobs[0].finished.is_set()  # the window waited for the worker
        qtbot.wait(100)
    assert [p.name for p in out.iterdir()] == ["closing.pdf"]
    assert target.read_bytes() == b"the earlier report"


def test_the_dialog_needs_a_document_not_a_window(document, qtbot):
    """Built from a document and a status line: the selection (a link: its two ends) and the
    chart's file name come from the document."""
    status = QStatusBar()
    qtbot.addWidget(status)
    document.selection.set(links=[IDS["atar-baghdadi"]])
    dialog = ReportDialog(document, status)
    qtbot.addWidget(dialog)
    assert dialog.scope.currentText() == "The selected items (2 entities)"
    assert Path(dialog.path_edit.text()) == SAMPLE.with_name("nov13-network-report.docx")


def test_the_window_goes_on_while_a_big_reports_pictures_are_drawn(qtbot, dialog, window, out):
    """The routes sample's chart pages and timeline are drawn in a child process (drawn on
    the window's thread they held it about 2 s): Export returns at once, and the report
    holds the pictures of the chart as it was when the export started."""
    dialog.reject()
    window.open_chart(SAMPLE.with_name("trafficking-routes.wbchart"))
    window.acts.export_report.trigger()
    dialog = window.report_dialog
    set_checked(dialog.sections, {"title", "chart", "timeline"})
    dialog.path_edit.setText(str(out / "routes.pdf"))
    started = time.perf_counter()
    with qtbot.waitSignal(dialog.written, timeout=TIMEOUT):
        assert dialog.export()
        held = time.perf_counter() - started
        assert "Drawing the pictures" in dialog.status.text()
        window.chart.title = "changed after the export started"
        qtbot.waitUntil(lambda: bool(picture_children()), timeout=TIMEOUT)  # drawn apart
    assert held < 1.0  # the copy of the chart (the pictures alone took 2 s here)
    reader = PdfReader(out / "routes.pdf")
    assert sum(len(page.images) for page in reader.pages) >= 2  # chart pages and timeline
    _, text = pdf_words(out / "routes.pdf")
    assert "changed after the export started" not in text and "Timeline" in text

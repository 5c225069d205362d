"""Export and interchange from the window: Copy as Picture (bitmap, SVG and PDF on the real
clipboard), spreadsheets and GraphML/GEXF/ANX from File > Export, and File > Open (and
dropping) of charts from other tools. What was written is read back with real readers."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import zipfile
from collections import Counter
from pathlib import Path

import networkx as nx
import openpyxl
import pytest
from lxml import etree
from pypdf import PdfReader
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMimeData,
    QPoint,
    QPointF,
    Qt,
    QTimer,
    QUrl,
)
from PySide6.QtGui import QDropEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from workbench.analysis import Field, Target
from workbench.model import Chart, Entity, Link
from workbench.ui.clipboard import PDF_MIME, PNG_MIME, SVG_MIME
from workbench.ui.docks.heatmatrix_dock import HeatMatrixDock
from workbench.ui.docks.histogram_dock import HistogramDock

from ..conftest import IDS, SAMPLE

SVG_NS = "{http://www.w3.org/2000/svg}"
TIMEOUT = 60_000


def clipboard_pictures() -> tuple[QImage, bytes, bytes]:
    mime = QGuiApplication.clipboard().mimeData()
    assert {PNG_MIME, SVG_MIME, PDF_MIME} <= set(mime.formats())
    png = QImage.fromData(bytes(mime.data(PNG_MIME)), "PNG")
    assert not png.isNull()
    assert QImage(mime.imageData()).size() == png.size()  # the platform's own bitmap too
    return png, bytes(mime.data(SVG_MIME)), bytes(mime.data(PDF_MIME))


def svg_texts(svg: bytes) -> str:
    root = etree.fromstring(svg)
    return " ".join(t.strip() for t in root.itertext() if t.strip())


def pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    words = " ".join(page.extract_text() for page in reader.pages).split()
    return len(reader.pages), " ".join(words)  # Qt's PDF text comes out with tabs


def copy_picture(qtbot, window) -> None:
    """Edit > Copy as Picture, waiting for its picture (drawn in a child process) to reach
    the clipboard."""
    with qtbot.waitSignal(window.clipboard.picture_copied, timeout=TIMEOUT):
        window.acts.copy_picture.trigger()


def menu_texts(menu) -> list[str]:
    return [a.text().replace("&", "") for a in menu.actions() if a.text()]


# ----- copy as picture -----------------------------------------------------------------------
def test_copy_as_picture_puts_bitmap_svg_and_pdf_of_the_chart(qtbot, window):
    window.open_chart(SAMPLE)
    assert "Copy as Picture" in menu_texts(window.menus.edit)
    copy_picture(qtbot, window)
    png, svg, pdf = clipboard_pictures()
    assert png.width() >= 2000  # twice screen resolution: sharp in a document
    assert "Abdelhamid Abaaoud" in svg_texts(svg)  # labels are text, not pixels
    pages, text = pdf_text(pdf)
    assert pages == 1 and "Abdelhamid Abaaoud" in text and "Salah Abdeslam" in text
    assert "Copied a picture of the chart" in window.statusBar().currentMessage()


def test_a_pasted_picture_is_the_size_of_a_page_with_labels_at_seven_points(qtbot, window):
    """The copy of a big chart pastes at A4 text width (the SVG and the PDF alike, not the
    0.6 m of Qt's 72 DPI), and its labels print at 7 pt or more at that size."""
    window.open_chart(SAMPLE)
    copy_picture(qtbot, window)
    _, svg, pdf = clipboard_pictures()
    root = etree.fromstring(svg)
    width_mm = float(root.get("width").removesuffix("mm"))
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert width_mm == pytest.approx(159.2, abs=1.0)  # A4 less 2.54 cm margins
    assert float(page.mediabox.width) / 72 * 25.4 == pytest.approx(width_mm, abs=0.5)
    sizes = []
    page.extract_text(visitor_text=lambda text, cm, tm, font, size: sizes.append(
        (text.strip(), size * abs(tm[3] * cm[3]))))
    labels = [pt for text, pt in sizes if text.startswith("Abdelhamid")]
    assert labels and min(labels) >= 6.95


def test_copy_as_picture_of_the_selection_holds_only_it(qtbot, window):
    window.open_chart(SAMPLE)
    copy_picture(qtbot, window)
    whole, _, _ = clipboard_pictures()
    window.selection.set([IDS["atar"], IDS["baghdadi"]])
    copy_picture(qtbot, window)
    png, svg, pdf = clipboard_pictures()
    labels = svg_texts(svg)
    assert "Oussama Atar" in labels and "Abu Bakr al-Baghdadi" in labels
    assert "Salah Abdeslam" not in labels and "Salah Abdeslam" not in pdf_text(pdf)[1]
    assert png.width() < whole.width()


def test_a_picture_too_big_for_vectors_goes_as_a_bitmap(qtbot, window, monkeypatch):
    from workbench.export import picture_forms

    monkeypatch.setattr(picture_forms, "VECTOR_LIMIT", 100)  # the sample has 132 entities
    window.open_chart(SAMPLE)
    copy_picture(qtbot, window)
    mime = QGuiApplication.clipboard().mimeData()
    assert PNG_MIME in mime.formats() and SVG_MIME not in mime.formats()
    assert QImage(mime.imageData()).width() == picture_forms.MAX_PICTURE_SIDE
    assert "Copied a bitmap of the chart" in window.statusBar().currentMessage()
    window.selection.set([IDS["atar"], IDS["baghdadi"]])
    copy_picture(qtbot, window)
    clipboard_pictures()  # two entities: vectors again


def test_copy_as_picture_is_drawn_in_a_child_process_while_the_window_goes_on(qtbot, window):
    """The routes sample's whole chart held the window 3.4 s while its picture was drawn:
    now the analyst goes on working meanwhile, and the picture is of the chart as it was
    when copied, whatever is done to the chart in the meantime."""
    window.open_chart(SAMPLE)
    QGuiApplication.clipboard().setText("left alone")
    with qtbot.waitSignal(window.clipboard.picture_copied, timeout=TIMEOUT):
        window.acts.copy_picture.trigger()
        assert QGuiApplication.clipboard().text() == "left alone"  # not drawn here
        window.acts.select_all.trigger()
        window.acts.delete.trigger()  # the chart emptied while the picture is drawn
    assert not window.chart.entities
    _, svg, pdf = clipboard_pictures()
    assert "Abdelhamid Abaaoud" in svg_texts(svg) and "Salah Abdeslam" in pdf_text(pdf)[1]
    assert window.clipboard.picture_progress is None and window.clipboard.picture_job is None


def test_copy_as_picture_keeps_icons_drawn_from_the_charts_own_pictures(qtbot, window,
                                                                     tmp_path):
    """Pictures are drawn from a copy of the chart: its embedded pictures come along, to the
    clipboard and to File > Export > Chart Picture."""
    from workbench.model.items import Style

    photo = QImage(64, 64, QImage.Format.Format_ARGB32)
    photo.fill(Qt.GlobalColor.green)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    photo.save(buffer, "PNG")
    chart = Chart()
    chart.images["photo.png"] = bytes(data.data())
    chart.add_entities([Entity("e1", "Person", "Ana", style=Style(icon="image:photo.png")),
                        Entity("e2", "Person", "Bo", x=200.0)])
    window.replace_chart(chart, None)
    copy_picture(qtbot, window)
    png, _, _ = clipboard_pictures()
    exported = tmp_path / "photo.png"
    with qtbot.waitSignal(window.pictures.written, timeout=TIMEOUT):
        assert window.pictures.export(exported)
    for picture in (png, QImage(str(exported))):
        green = sum(1 for x in range(0, picture.width(), 2)
                    for y in range(0, picture.height(), 2)
                    if (c := picture.pixelColor(x, y)).green() > 200 and c.red() < 60
                    and c.blue() < 60)
        assert green > 100  # the photo, not the type's glyph


def test_cancelled_copy_as_picture_leaves_the_clipboard_alone(qtbot, window):
    window.open_chart(SAMPLE)
    QGuiApplication.clipboard().setText("left alone")
    window.clipboard.PROGRESS_AFTER_MS = 0
    copied: list[bool] = []
    window.clipboard.picture_copied.connect(lambda: copied.append(True))
    job = window.clipboard.copy_picture()
    qtbot.waitUntil(lambda: window.clipboard.picture_progress is not None
                    and window.clipboard.picture_progress.isVisible(), timeout=TIMEOUT)
    window.clipboard.picture_progress.findChild(QPushButton).click()
    assert "cancelled" in window.statusBar().currentMessage()
    qtbot.waitUntil(job.finished.is_set, timeout=TIMEOUT)
    qtbot.wait(50)  # the worker's result, had it been applied
    assert not copied and QGuiApplication.clipboard().text() == "left alone"
    assert window.clipboard.picture_job is None


def test_copy_as_picture_of_an_empty_chart_says_why(qtbot, window):
    QGuiApplication.clipboard().setText("left alone")
    window.acts.copy_picture.trigger()
    qtbot.waitUntil(lambda: window.files.message is not None
                    and window.files.message.isVisible(), timeout=TIMEOUT)
    assert "nothing to draw" in window.files.message.text()
    assert QGuiApplication.clipboard().text() == "left alone"


def test_histogram_and_heat_matrix_copy_vectors_too(qtbot, window):
    window.open_chart(SAMPLE)
    histogram = HistogramDock(window.chart, window.selection)
    qtbot.addWidget(histogram)
    histogram.choose(Field("type", Target.ENTITIES))
    image = histogram.copy_to_clipboard()
    png, svg, pdf = clipboard_pictures()
    assert png.size() == image.size()
    assert "Person" in svg_texts(svg)  # svg.fonttype none: bar labels stay text
    assert "Person" in pdf_text(pdf)[1]

    matrix = HeatMatrixDock(window.chart, window.selection)
    qtbot.addWidget(matrix)
    matrix.choose(Field("type", Target.ENTITIES), Field("attacker", Target.ENTITIES))
    matrix.copy_to_clipboard()
    _, svg, pdf = clipboard_pictures()
    assert "Person" in svg_texts(svg) and pdf_text(pdf)[0] == 1


# ----- spreadsheets --------------------------------------------------------------------------
def exported(qtbot, window, start) -> list[Path]:
    """Start an export (it runs on a worker) and wait for the files it wrote."""
    threads: list[threading.Thread] = []
    record = lambda _paths: threads.append(threading.current_thread())  # noqa: E731
    window.data_export.written.connect(record)
    with qtbot.waitSignal(window.data_export.written, timeout=TIMEOUT) as done:
        assert start()
    window.data_export.written.disconnect(record)
    assert threads == [threading.main_thread()]  # the result is applied on the GUI thread
    assert window.data_export.job is None and window.data_export.progress is None
    return [Path(p) for p in done.args[0]]


def leftovers(folder: Path) -> list[str]:
    """Part and temporary files an export might leave beside its target."""
    return [p.name for p in folder.iterdir() if p.name.startswith(".")]


def test_spreadsheet_of_the_chart_and_of_the_selection(qtbot, window, tmp_path):
    window.open_chart(SAMPLE)
    window.chart.entity(IDS["atar"]).label = "=HYPERLINK(\"http://x/?\"&A1)"
    assert exported(qtbot, window, lambda: window.data_export.export_spreadsheet(
        tmp_path / "all.xlsx")) == [tmp_path / "all.xlsx"]
    book = openpyxl.load_workbook(tmp_path / "all.xlsx")
    assert book.sheetnames == ["Entities", "Links"]
    assert book["Entities"].max_row == 1 + 132 and book["Links"].max_row == 1 + 262
    rows = list(book["Entities"].iter_rows(values_only=True))
    labels = [row[rows[0].index("Label")] for row in rows[1:]]
    assert "=HYPERLINK(\"http://x/?\"&A1)" in labels  # a string cell, never a formula

    window.selection.set(links=[IDS["atar-baghdadi"]])
    written = exported(qtbot, window, lambda: window.data_export.export_spreadsheet(
        tmp_path / "picked.csv", selected_only=True))
    assert [p.name for p in written] == ["picked-entities.csv", "picked-links.csv"]
    with open(written[0], encoding="utf-8-sig") as handle:
        entities = list(csv.DictReader(handle))
    with open(written[1], encoding="utf-8-sig") as handle:
        links = list(csv.DictReader(handle))
    assert sorted(e["Label"] for e in entities) == sorted(
        ["'=HYPERLINK(\"http://x/?\"&A1)", "Abu Bakr al-Baghdadi"])
    assert [(lk["From"], lk["To"]) for lk in links] in (
        [("Abu Bakr al-Baghdadi", "'=HYPERLINK(\"http://x/?\"&A1)")],
        [("'=HYPERLINK(\"http://x/?\"&A1)", "Abu Bakr al-Baghdadi")])


def test_spreadsheet_through_the_menu_and_the_file_dialog(qtbot, window, tmp_path):
    window.open_chart(SAMPLE)
    titles = menu_texts(window.export_menu)
    assert titles[2] == "Wall Chart (PDF over Several Pages)"
    assert titles[3:] == ["Spreadsheet (XLSX, CSV)...", "Selected Items as Spreadsheet...",
                          "Chart for Another Tool"]
    tools = next(a.menu() for a in window.export_menu.actions() if "Another" in a.text())
    assert menu_texts(tools)[:3] == ["GraphML (Gephi, Cytoscape, yEd)...", "GEXF (Gephi)...",
                                     "i2 Analyst's Notebook (ANX)..."]
    assert len(menu_texts(tools)) == 11 and "Maltego Graph (MTGX)..." in menu_texts(tools)
    next(a for a in window.export_menu.actions() if a.text().startswith("Spreads")).trigger()
    dialog = window.data_export.file_dialog
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    assert dialog.selectedFiles()[0].endswith("nov13-network.xlsx")
    with qtbot.waitSignal(window.data_export.written, timeout=TIMEOUT):
        dialog.fileSelected.emit(str(tmp_path / "typed-without-extension"))
    assert openpyxl.load_workbook(tmp_path / "typed-without-extension.xlsx")["Links"].max_row \
        == 263


def test_a_failed_spreadsheet_says_why(window, tmp_path):
    window.open_chart(SAMPLE)
    assert window.data_export.export_spreadsheet(tmp_path / "missing" / "out.xlsx") == []
    assert window.files.message.isVisible() and "no such folder" in window.files.message.text()


# ----- interchange ---------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".anx", ".mtgx", ".ftm", ".cx"])
def test_export_for_other_tools_and_open_it_back(qtbot, window, tmp_path, suffix):
    window.open_chart(SAMPLE)
    path = tmp_path / f"sent{suffix}"
    assert exported(qtbot, window, lambda: window.data_export.export_interchange(path)) == [path]
    assert not leftovers(tmp_path)
    if suffix == ".graphml":
        graph = nx.read_graphml(path)
        assert graph.number_of_nodes() == 132 and graph.number_of_edges() == 262
    elif suffix == ".gexf":
        graph = nx.read_gexf(path)
        assert graph.number_of_nodes() == 132 and graph.number_of_edges() == 262
    elif suffix == ".mtgx":
        with zipfile.ZipFile(path) as mtgx:
            graph = etree.fromstring(mtgx.read("Graphs/Graph1.graphml"))
        assert len(graph.findall(".//{*}node")) == 132 and len(graph.findall(".//{*}edge")) == 262
    elif suffix == ".ftm":
        schemata = Counter(json.loads(line)["schema"] for line in path.open(encoding="utf-8"))
        assert schemata["Person"] == 84 and schemata.total() == 132 + 262  # links are entities
    elif suffix == ".cx":
        aspects = {next(iter(a)): next(iter(a.values())) for a in json.loads(path.read_text())}
        assert len(aspects["nodes"]) == 132 and len(aspects["edges"]) == 262
    else:
        root = etree.parse(str(path)).getroot()
        assert len(root.findall(".//ChartItem/End/Entity")) == 132

    window.undo_stack.setClean()
    assert window.open_chart(path)
    assert window.path is None and not window.undo_stack.isClean()  # unsaved: Save asks where
    assert len(window.chart.entities) == 132 and len(window.chart.links) == 262
    assert window.chart.find("Person", "oussama atar") is not None
    assert window.windowTitle().endswith("* - Workbench")


def test_open_the_real_files_of_other_tools(window, shared_data):
    assert window.open_chart(shared_data / "airlines.graphml")
    graph = nx.read_graphml(shared_data / "airlines.graphml")
    assert len(window.chart.entities) == graph.number_of_nodes()
    assert len(window.chart.links) == graph.number_of_edges()
    assert window.chart.title == "airlines"  # the file names no title: its name does
    assert window.windowTitle() == "airlines* - Workbench"
    window.undo_stack.setClean()

    anx = shared_data / "i2_sample_chart.anx"
    assert window.open_chart(anx)
    root = etree.parse(str(anx)).getroot()
    assert len(window.chart.entities) == len(root.findall(".//ChartItem/End/Entity"))
    assert window.files.recent.paths()[0] == str(anx.resolve())


def test_a_graph_without_positions_is_laid_out(qtbot, window, tmp_path):
    graph = nx.path_graph(12)
    nx.set_node_attributes(graph, {n: f"node {n}" for n in graph}, "label")
    nx.write_graphml(graph, tmp_path / "plain.graphml")
    assert window.open_chart(tmp_path / "plain.graphml")
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1, timeout=30_000)  # the layout
    spots = {(round(e.x), round(e.y)) for e in window.chart.entities.values()}
    assert len(spots) == 12


def test_open_dialog_offers_other_tools_files(window):
    window.files.ask_open()
    filters = window.files.file_dialog.nameFilters()
    assert filters[0].startswith("Charts (*.wbchart ")
    assert set(filters[0].removeprefix("Charts (").removesuffix(")").split()) == {
        "*.wbchart", "*.graphml", "*.gexf", "*.anx", "*.gml", "*.net", "*.dot", "*.gv",
        "*.json", "*.cyjs", "*.mtgx", "*.cx", "*.cx2", "*.ftm", "*.ijson"}
    assert any("*.anx" in f for f in filters[1:]) and any("*.net" in f for f in filters[1:])
    assert "Maltego graph (*.mtgx)" in filters
    assert any(f.startswith("FollowTheMoney") for f in filters)
    window.files.file_dialog.reject()


def test_dropping_a_followthemoney_stream_opens_it(window):
    from tests.conftest import REPO

    stream = REPO / "tests" / "data" / "interchange" / "nomenklatura-donations.ijson"
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(stream))])
    drop = QDropEvent(QPointF(QPoint(10, 10)), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)
    assert any(e.label == "Frau Lina Dachner" for e in window.chart.entities.values())
    assert sum(lk.type == "Pays" for lk in window.chart.links.values()) == 13


def test_dropping_a_gexf_opens_it(window, shared_data):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(shared_data / "les-miserables.gexf"))])
    drop = QDropEvent(QPointF(QPoint(10, 10)), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)
    graph = nx.read_gexf(shared_data / "les-miserables.gexf")
    assert len(window.chart.entities) == graph.number_of_nodes()
    assert window.chart.find("Person", "Valjean") is not None or any(
        e.label == "Valjean" for e in window.chart.entities.values())


def test_a_damaged_foreign_file_is_refused_and_the_chart_stays(window, tmp_path):
    window.open_chart(SAMPLE)
    bad = tmp_path / "broken.graphml"
    bad.write_text("<graphml><graph><node id='a'>", encoding="utf-8")
    assert not window.open_chart(bad)
    assert window.files.message.isVisible()
    assert "broken.graphml" in window.files.message.text()
    assert window.path == SAMPLE and len(window.chart.entities) == 132


def test_warnings_of_a_foreign_file_are_shown(window, tmp_path):
    path = tmp_path / "hyper.graphml"
    path.write_text(
        '<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        '<graph edgedefault="undirected"><node id="a"/><node id="b"/><node id="c"/>'
        '<edge source="a" target="b"/>'
        '<hyperedge><endpoint node="a"/><endpoint node="b"/><endpoint node="c"/></hyperedge>'
        "</graph></graphml>", encoding="utf-8")
    assert window.open_chart(path)
    assert len(window.chart.entities) == 3 and len(window.chart.links) == 1
    box = window.files.message
    assert box.isVisible() and box.icon() == QMessageBox.Icon.Information
    assert "hyper.graphml opened" in box.text() and "hyperedge" in box.text()


# ----- off the GUI thread --------------------------------------------------------------------
def big_chart(entities: int = 4000) -> Chart:
    """A chart big enough that its exports take a noticeable time (laid out in a grid)."""
    chart = Chart("big export")
    chart.add_entities(Entity(f"e{i}", "Person", f"Person {i}", x=(i % 80) * 150.0,
                              y=(i // 80) * 150.0) for i in range(entities))
    chart.add_links(Link(f"l{j}", f"e{j % entities}", f"e{(j * 7 + 1) % entities}", "Associate")
                    for j in range(2 * entities))
    return chart


@pytest.fixture
def big_window(qtbot, window):
    window.replace_chart(big_chart(), None)
    qtbot.wait(10)
    return window


@pytest.mark.parametrize("name", ["big.xlsx", "big.graphml"])
def test_a_big_export_keeps_the_window_responsive(qtbot, big_window, tmp_path, name):
    """A timer on the GUI thread keeps firing while the worker writes; the analyst can edit
    the chart meanwhile and the file holds the chart as it was when the export started."""
    w, target = big_window, tmp_path / name
    ticks: list[float] = []
    timer = QTimer(interval=20)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    started = time.perf_counter()
    with qtbot.waitSignal(w.data_export.written, timeout=TIMEOUT):
        if name.endswith(".xlsx"):
            assert w.data_export.export_spreadsheet(target) == [target]
        else:
            assert w.data_export.export_interchange(target)
        held = time.perf_counter() - started
        assert not target.exists()  # still being written
        w.chart.entity("e0").label = "changed after the export started"
    took = time.perf_counter() - started
    timer.stop()
    after = [t for t in ticks if t > started + held]  # while the worker was writing
    gaps = [b - a for a, b in zip([started + held, *after], after, strict=False)]
    print(f"{name}: GUI thread held {held:.2f} s, written after {took:.2f} s, "
          f"{len(after)} ticks while writing, longest gap {max(gaps):.2f} s")
    assert held < 1.0 and len(after) >= 3
    assert max(gaps) < 0.5  # no freeze while writing (the GIL is shared, not held)
    if name.endswith(".xlsx"):
        rows = list(openpyxl.load_workbook(target)["Entities"].iter_rows(values_only=True))
        assert len(rows) == 1 + 4000
        labels = {row[rows[0].index("Label")] for row in rows[1:]}
        assert "Person 0" in labels and "changed after the export started" not in labels
    else:
        graph = nx.read_graphml(target)
        assert graph.number_of_nodes() == 4000 and graph.number_of_edges() == 8000
    assert not leftovers(tmp_path)


def test_cancel_writes_nothing_and_keeps_the_old_file(qtbot, big_window, tmp_path):
    w, target = big_window, tmp_path / "kept.xlsx"
    target.write_bytes(b"the analyst's earlier export")
    failed: list[str] = []
    w.data_export.failed.connect(failed.append)
    with qtbot.assertNotEmitted(w.data_export.written, wait=300):
        assert w.data_export.export_spreadsheet(target)
        job = w.data_export.job
        progress = w.data_export.progress
        assert progress is not None and progress.labelText() == "Writing kept.xlsx..."
        progress.findChild(QPushButton).click()  # the progress dialog's Cancel button
        assert w.data_export.job is None and w.data_export.progress is None
        assert "cancelled" in w.statusBar().currentMessage()
        qtbot.waitUntil(job.finished.is_set, timeout=TIMEOUT)
    assert target.read_bytes() == b"the analyst's earlier export"
    assert not leftovers(tmp_path) and not failed


def test_progress_shows_for_a_long_export(qtbot, big_window, tmp_path):
    w = big_window
    w.data_export.PROGRESS_AFTER_MS = 50  # else only exports over 0.4 s show it
    with qtbot.waitSignal(w.data_export.written, timeout=TIMEOUT):
        assert w.data_export.export_spreadsheet(tmp_path / "slow.xlsx")
        progress = w.data_export.progress
        qtbot.waitUntil(progress.isVisible, timeout=5000)
        assert progress.maximum() == 0 and not progress.isModal()  # busy, window usable
        assert w.statusBar().currentMessage() == "Writing slow.xlsx..."
        progress.grab().save("/tmp/export-progress.png")
    assert not progress.isVisible()
    assert w.statusBar().currentMessage() == f"Exported {tmp_path / 'slow.xlsx'}"
    assert openpyxl.load_workbook(tmp_path / "slow.xlsx")["Links"].max_row == 1 + 8000


def test_csv_writes_both_files_or_none(qtbot, big_window, tmp_path):
    written = exported(qtbot, big_window, lambda: big_window.data_export.export_spreadsheet(
        tmp_path / "both.csv"))
    assert written == [tmp_path / "both-entities.csv", tmp_path / "both-links.csv"]
    with open(written[1], encoding="utf-8-sig") as handle:
        assert len(list(csv.DictReader(handle))) == 8000
    assert not leftovers(tmp_path)


def test_a_target_that_cannot_be_replaced_says_why(qtbot, window, tmp_path):
    window.open_chart(SAMPLE)
    (tmp_path / "folder.graphml").mkdir()  # the part is written, the swap cannot happen
    with qtbot.waitSignal(window.data_export.failed, timeout=TIMEOUT) as failed:
        assert window.data_export.export_interchange(tmp_path / "folder.graphml")
    assert failed.args[0].startswith("Could not write folder.graphml")
    assert window.files.message.isVisible() and "folder.graphml" in window.files.message.text()
    assert (tmp_path / "folder.graphml").is_dir() and not leftovers(tmp_path)
    assert window.data_export.job is None  # a next export can start
    assert exported(qtbot, window, lambda: window.data_export.export_interchange(
        tmp_path / "next.gexf"))


def test_one_export_at_a_time(qtbot, big_window, tmp_path):
    w = big_window
    with qtbot.waitSignal(w.data_export.written, timeout=TIMEOUT):
        assert w.data_export.export_spreadsheet(tmp_path / "first.xlsx")
        assert not w.data_export.export_interchange(tmp_path / "second.gexf")
        assert "wait for the export of first.xlsx" in w.files.message.text()
    assert not (tmp_path / "second.gexf").exists()


def test_closing_the_window_cancels_the_export(qtbot, big_window, tmp_path):
    w, target = big_window, tmp_path / "closing.xlsx"
    with qtbot.assertNotEmitted(w.data_export.written, wait=300):
        assert w.data_export.export_spreadsheet(target)
        job = w.data_export.job
        assert w.close()
        assert job.finished.is_set()  # the window waited for its worker
    assert not target.exists() and not leftovers(tmp_path)



def test_wall_chart_pdf_over_several_pages(qtbot, window, tmp_path):
    from pypdf import PdfReader

    window.open_chart(SAMPLE)
    wall = next(a.menu() for a in window.export_menu.actions()
                if a.text().replace("&", "").startswith("Wall Chart"))
    next(a for a in wall.actions() if a.text() == "3 Pages Across...").trigger()
    dialog = window.pictures.file_dialog
    assert dialog.isVisible() and dialog.selectedFiles()[0].endswith("nov13-network.pdf")
    with qtbot.waitSignal(window.pictures.written, timeout=TIMEOUT):
        dialog.fileSelected.emit(str(tmp_path / "wall"))
    pages = PdfReader(tmp_path / "wall.pdf").pages
    assert len(pages) == 6
    assert "Page 6 of 6: row 2, column 3" in " ".join(pages[5].extract_text().split())


@pytest.mark.parametrize("name", ["igraph-karate.net", "igraph-weighted.gml",
                                  "gephi-labels.dot", "cytoscapejs-edge-types.json"])
def test_the_window_opens_gml_pajek_dot_and_json(window, name):
    """File > Open takes every format `workbench convert` reads (CSV aside: a CSV opens the
    import wizard)."""
    from workbench.io.interchange import read_chart

    path = Path(__file__).resolve().parents[2] / "data" / "interchange" / name
    expected = read_chart(path)
    assert window.open_chart(path)
    assert len(window.chart.entities) == len(expected.entities) > 0
    assert len(window.chart.links) == len(expected.links)
    window.undo_stack.setClean()

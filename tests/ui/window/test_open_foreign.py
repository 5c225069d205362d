"""A chart from another tool that takes more than a moment to read opens on a worker: the
window keeps turning its event loop meanwhile, a progress dialog offers Cancel, and Cancel
leaves the chart on screen as it was."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton

from tests.conftest import REPO
from workbench.io.interchange import write_chart
from workbench.model import Chart, Kind, Value

SAMPLE = REPO / "sample_charts" / "call-records.wbchart"


def _partner_file(path, people: int) -> None:
    """A partner's chart of ``people`` people and as many links, written by Workbench's own
    writer for the format the suffix names."""
    chart = Chart("Partner network")
    ids = [chart.make_entity("Person", f"Person {i}", attributes={"n": Value(Kind.NUMBER, i)},
                             x=float(i), y=float(i % 50)).id for i in range(people)]
    for i in range(people):
        chart.make_link(ids[i], ids[(i * 7 + 1) % people], "Associate")
    write_chart(chart, path)


@pytest.fixture(scope="module")
def partner(tmp_path_factory):
    path = tmp_path_factory.mktemp("partner") / "partner.graphml"
    _partner_file(path, 2500)
    return path


def test_a_large_graphml_opens_on_a_worker_while_the_window_keeps_working(window, qtbot,
                                                                           partner):
    window.open_chart(SAMPLE)
    before = window.chart
    path = partner
    assert path.stat().st_size >= window.files.BACKGROUND_FROM  # 1.4 MB
    turns: list[bool] = []  # the event loop's turns while the file is being read
    timer = QTimer()
    timer.timeout.connect(lambda: turns.append(window.files.opening is not None))
    timer.start(5)
    assert window.open_chart(path)
    assert window.chart is before and window.files.opening is not None  # not read yet
    qtbot.waitUntil(lambda: window.files.opening is None, timeout=120_000)
    timer.stop()
    assert any(turns), "the event loop did not turn while the file was read"
    assert window.chart is not before and len(window.chart.entities) == 2500
    assert len(window.chart.links) == 2500 and window.chart.title == "Partner network"
    assert "Opened partner.graphml" in window.statusBar().currentMessage()


def test_cancel_leaves_the_chart_on_screen_as_it_was(window, qtbot, partner):
    window.open_chart(SAMPLE)
    before = window.chart
    entities, links = len(before.entities), len(before.links)
    path = partner
    window.files.PROGRESS_AFTER_MS = 0  # the dialog at once, so Cancel comes before the end
    assert window.open_chart(path)
    job = window.files.opening
    qtbot.waitUntil(lambda: window.files.progress is not None and
                    window.files.progress.isVisible(), timeout=10_000)
    dialog = window.files.progress
    [cancel] = [b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel"]
    cancel.click()
    assert window.statusBar().currentMessage() == "Opening partner.graphml cancelled"
    assert window.files.opening is None and window.files.progress is None
    qtbot.waitUntil(job.finished.is_set, timeout=60_000)  # the worker stopped
    qtbot.wait(50)  # its result (the file was read to its end) would have landed by now
    assert window.chart is before
    assert (len(window.chart.entities), len(window.chart.links)) == (entities, links)


def test_a_bad_large_file_says_why_and_keeps_the_chart(window, qtbot, tmp_path, partner):
    window.open_chart(SAMPLE)
    before = window.chart
    path = tmp_path / "broken.graphml"
    path.write_bytes(partner.read_bytes()[:-5000])  # cut off: not well-formed XML
    assert window.open_chart(path)
    qtbot.waitUntil(lambda: window.files.opening is None, timeout=120_000)
    assert window.chart is before
    assert "broken.graphml: not well-formed XML" in window.files.message.text()

"""Chart pictures drawn in a child process for the window (never on a worker thread): the
same picture as one drawn here, the analyst's errors in plain words, and Cancel killing the
child at once."""

from __future__ import annotations

import runpy
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from workbench.export.chart_image import ChartImageError, chart_image
from workbench.export.picture_process import (
    CHILD_FLAG,
    ChartCopy,
    draw_picture_file,
    draw_picture_forms,
)
from workbench.io import load_chart
from workbench.model import Selection

from ..pictures import changed_share, picture_children

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_charts" / "nov13-network.wbchart"


def chosen(entities=(), links=()) -> Selection:
    selection = Selection()
    selection.set(list(entities), list(links))
    return selection


def test_the_child_draws_the_same_picture_as_one_drawn_here(qapp, tmp_path):
    chart = load_chart(SAMPLE)
    target = tmp_path / "chart.png"
    copy = ChartCopy.of(chart)
    assert draw_picture_file(copy, target, "png", None, 1, threading.Event()) == target
    child = QImage(str(target))
    assert child.width() > 1000
    assert changed_share(child, chart_image(chart)) < 0.005


def test_copy_as_pictures_forms_come_back_with_the_selection_alone(qapp):
    chart = load_chart(SAMPLE)
    one = next(e for e in chart.entities.values() if e.label == "Abdelhamid Abaaoud")
    forms = draw_picture_forms(ChartCopy.of(chart), chosen([one.id]), threading.Event())
    assert forms.image.width() == QImage.fromData(forms.png, "PNG").width() > 100
    svg = forms.svg.decode("utf-8")
    assert "Abdelhamid Abaaoud" in svg
    assert not any(e.label in svg for e in chart.entities.values()
                   if e.id != one.id and len(e.label) > 6)
    assert forms.pdf.startswith(b"%PDF") and forms.title == chart.title


def test_a_picture_that_cannot_be_made_says_why(qapp, tmp_path):
    chart = load_chart(SAMPLE)
    with pytest.raises(ChartImageError, match="nothing to draw"):
        draw_picture_file(ChartCopy.of(chart), tmp_path / "none.png", "png",
                          chosen(["no-such-entity"]), 1, threading.Event())
    assert not (tmp_path / "none.png").exists()


def test_cancel_kills_the_child_at_once(qapp, tmp_path):
    chart = load_chart(SAMPLE)
    cancelled = threading.Event()
    outcome: list[BaseException] = []

    def draw() -> None:
        try:
            draw_picture_file(ChartCopy.of(chart), tmp_path / "big.pdf", "pdf", None, 6, cancelled)
        except BaseException as exc:  # handed to the test's thread
            outcome.append(exc)

    worker = threading.Thread(target=draw)
    worker.start()
    deadline = time.monotonic() + 30
    while not picture_children() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert picture_children(), "the child never started"
    cancelled.set()
    worker.join(10)
    assert not worker.is_alive()
    assert outcome and isinstance(outcome[0], ChartImageError)
    assert "cancelled" in str(outcome[0])
    assert not picture_children()


def test_the_frozen_app_starts_the_child_by_its_flag():
    launcher = runpy.run_path(str(ROOT / "packaging" / "launcher.py"), run_name="launcher")
    assert launcher["CHILDREN"][CHILD_FLAG] == "workbench.export.picture_process"

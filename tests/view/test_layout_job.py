"""Layouts run off the GUI thread and come back as plain positions through signals."""

from __future__ import annotations

import pytest

from workbench.layout import LAYOUTS
from workbench.view.layout_job import LayoutJob


def test_layout_job_delivers_positions_on_the_gui_thread(qtbot, sample_chart):
    job = LayoutJob(sample_chart, "force")
    progress = []
    job.progress.connect(progress.append)
    with qtbot.waitSignal(job.finished, timeout=20_000) as blocker:
        job.start()
    positions = blocker.args[0]
    assert positions == LAYOUTS["force"](sample_chart)
    assert progress and progress[-1] == 1.0
    assert not job.running


def test_layout_job_can_be_cancelled(qtbot, sample_chart):
    job = LayoutJob(sample_chart, "hierarchy")
    job.cancel()  # cancelled before it even starts: stops at the first check
    with qtbot.waitSignal(job.cancelled, timeout=20_000):
        job.start()


def test_layout_job_reports_failures(qtbot, sample_chart):
    job = LayoutJob(sample_chart, "grouped", attribute="attacker", spacing="wide")
    with qtbot.waitSignal(job.failed, timeout=20_000) as blocker:
        job.start()
    assert "grouped layout failed" in blocker.args[0]
    with pytest.raises(ValueError, match="unknown layout"):
        LayoutJob(sample_chart, "spiral")

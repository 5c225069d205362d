"""Pictures show the chart's own display; command-line options change it for one picture."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtGui import QImage

from tests.hostile.bombs import forge_chart_json
from workbench.export.chart_image import ChartImageError, chart_image
from workbench.io import save_chart
from workbench.model import Chart, Direction
from workbench.model.display import Display

from ..conftest import REPO


def parallel_chart(display: Display | None = None) -> Chart:
    """Two people with eight calls between them, labelled, and one friend."""
    chart = Chart("calls")
    a = chart.make_entity("Person", "Alice", identity="Alice", x=0.0, y=0.0)
    b = chart.make_entity("Person", "Bob", identity="Bob", x=400.0, y=0.0)
    c = chart.make_entity("Person", "Carol", identity="Carol", x=200.0, y=300.0)
    for n in range(8):
        chart.make_link(a.id, b.id, "Calls", label=f"call {n}", direction=Direction.FORWARD)
    chart.make_link(b.id, c.id, "Associate", label="friends")
    if display is not None:
        chart.settings["display"] = display.to_json()
    return chart


SUMMARY = Display(link_summary=True, link_labels="none", link_width="@count")


def test_the_picture_draws_the_charts_display(qapp):
    with_display = chart_image(parallel_chart(SUMMARY), width=600)
    plain = chart_image(parallel_chart(), width=600)
    asked = chart_image(parallel_chart(), width=600, look=SUMMARY.to_json())
    assert with_display == asked
    assert with_display != plain
    # Overriding the chart's choice for one picture gives the plain picture back.
    undone = chart_image(parallel_chart(SUMMARY), width=600,
                         look={"link_summary": False, "link_labels": "label",
                               "link_width": ""})
    assert undone == plain


def test_a_bad_override_is_refused_with_the_key(qapp):
    with pytest.raises(ChartImageError, match="link_labels"):
        chart_image(parallel_chart(), width=300, look={"link_labels": "sideways"})


def workbench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True,
                          text=True, cwd=REPO, timeout=180)


def test_workbench_export_uses_the_charts_display_unless_told(tmp_path, qapp):
    path = tmp_path / "calls.wbchart"
    save_chart(parallel_chart(SUMMARY), path)
    pictures = {}
    for name, options in (("own", []), ("told", ["--summarise-links"]),
                          ("separate", ["--no-summarise-links", "--link-labels", "label",
                                        "--link-width", "none"])):
        out = tmp_path / f"{name}.png"
        result = workbench("export", str(path), "-o", str(out), "--width", "600", *options)
        assert result.returncode == 0, result.stderr
        pictures[name] = QImage(str(out))
    assert pictures["own"] == pictures["told"]
    assert pictures["own"] != pictures["separate"]
    assert pictures["separate"] == chart_image(parallel_chart(), width=600).convertToFormat(
        pictures["separate"].format())


def test_workbench_export_refuses_a_file_with_a_bad_display(tmp_path):
    path = tmp_path / "bad.wbchart"
    save_chart(parallel_chart(), path)  # Workbench refuses to save a bad display: forge it
    forge_chart_json(path, lambda d: d["settings"].update(display={"badges": "age"}))
    result = workbench("export", str(path), "-o", str(tmp_path / "bad.png"))
    assert result.returncode == 2
    assert "bad.wbchart" in result.stderr and "settings.display" in result.stderr
    assert "badges" in result.stderr
    assert not (tmp_path / "bad.png").exists()

"""Fixtures for the chart drawing tests: the real sample chart and a small hand-made one."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.io import load_chart
from workbench.model import Chart, Direction, Selection, Strength
from workbench.view import ChartScene, ChartView

SAMPLE = Path(__file__).resolve().parents[2] / "sample_charts" / "nov13-network.wbchart"


@pytest.fixture
def sample_chart() -> Chart:
    return load_chart(SAMPLE)


@pytest.fixture
def small_chart() -> Chart:
    """Three people, a phone; two parallel links A-B (one each way) and a tentative one."""
    chart = Chart("small")
    a = chart.make_entity("Person", "Alice", identity="Alice", x=0.0, y=0.0)
    b = chart.make_entity("Person", "Bob", identity="Bob", x=300.0, y=0.0)
    c = chart.make_entity("Person", "Carol", identity="Carol", x=150.0, y=250.0)
    p = chart.make_entity("Phone", "+44 7700 900123", identity="+447700900123", x=450.0, y=250.0)
    chart.make_link(a.id, b.id, "Associate", label="friends")
    chart.make_link(b.id, a.id, "Calls", direction=Direction.FORWARD)
    chart.make_link(a.id, b.id, "Pays", direction=Direction.FORWARD,
                    strength=Strength.UNCONFIRMED)
    chart.make_link(b.id, c.id, "Family", strength=Strength.TENTATIVE)
    chart.make_link(c.id, p.id, "Uses", direction=Direction.FORWARD)
    return chart


@pytest.fixture
def make_view(qtbot):
    """Build a scene and a shown view on a chart; returns (scene, view, selection)."""
    made = []

    def make(chart: Chart, size: tuple[int, int] = (900, 700)):
        selection = Selection()
        scene = ChartScene(chart, selection)
        view = ChartView(scene)
        qtbot.addWidget(view)
        view.resize(*size)
        view.show()
        qtbot.waitExposed(view)
        view.zoom_to_fit()
        made.append(scene)
        return scene, view, selection

    yield make
    for scene in made:
        scene.detach()


@pytest.fixture(autouse=True)
def _app(qapp):
    """Every drawing test needs a QApplication, also those that show no widget."""
    return qapp

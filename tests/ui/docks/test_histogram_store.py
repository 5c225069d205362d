"""A histogram of a chart drawn from a store counts the store links its lines stand for
("37 Calls" counts 37), in the window and on the command line, checked against the store's
own rows read with DuckDB; the analyst can still count the lines."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from tests.ui.docks.test_histogram_dock import make_dock
from tests.ui.docks.test_store_dock import SAMPLES, build_store, query, store_id
from workbench.analysis import Field, Target
from workbench.cli import main
from workbench.export.report_counts import count_picture
from workbench.io import save_chart
from workbench.model import Chart, Selection
from workbench.store import open_store
from workbench.store.charting import store_setting
from workbench.ui.docks.heatmatrix_dock import HeatMatrixDock

CALLS = [(SAMPLES / "specs" / "call-records.yaml", SAMPLES / "data" / "vast2008_call_records.csv")]


@pytest.fixture(scope="module")
def calls_store(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("store") / "calls.wbstore", CALLS)


@pytest.fixture
def hub_chart(calls_store) -> Chart:
    hub = store_id(calls_store, "Handset 200")
    with open_store(calls_store, read_only=True) as store:
        return store.chart([hub], hops=1)


def calls_by_caller(path: Path, chart: Chart) -> dict[str, int]:
    """The store's own count of calls among the chart's entities, by the caller's label."""
    drawn = list(store_setting(chart)["entities"].values())
    rows = query(path, "SELECT e.label, count(*) FROM links l JOIN entities e ON e.id = l.end1 "
                 "WHERE l.end1 IN (SELECT unnest(?)) AND l.end2 IN (SELECT unnest(?)) "
                 "GROUP BY e.label", [drawn, drawn])
    return dict(rows)


def test_the_histogram_of_a_store_chart_counts_the_calls_its_lines_stand_for(
        qtbot, calls_store, hub_chart):
    expected = calls_by_caller(calls_store, hub_chart)
    assert sum(expected.values()) > len(hub_chart.links)  # lines stand for several calls
    dock = make_dock(qtbot, hub_chart)
    dock.choose(Field("from", Target.LINKS))
    assert dock.weight_box.currentText() == "Count store links"
    hist = dock.histogram
    assert {bar.label: bar.value for bar in hist.bars} == expected
    assert hist.title == "Store links by origin (from end)"
    assert hist.measure_label == "Number of store links"
    # the lines themselves, when the analyst asks for them
    dock.weight_box.setCurrentText("Count chart links")
    assert sum(bar.value for bar in dock.histogram.bars) == len(hub_chart.links)
    assert dock.histogram.title == "Links by origin (from end)"


def test_a_store_charts_links_by_date_are_counted_as_lines(qtbot, hub_chart):
    """A line is dated by its first call: counting its calls there would put them all in
    one month, so by date the lines are counted, as for any chart."""
    dock = make_dock(qtbot, hub_chart)
    dock.choose(Field("date", Target.LINKS))
    assert dock.weight_box.itemText(0) == "Count items"
    assert sum(bar.value for bar in dock.histogram.bars) == len(hub_chart.links)


def test_the_command_line_counts_store_links_unless_asked_for_lines(tmp_path, calls_store,
                                                                     hub_chart, capsys):
    expected = calls_by_caller(calls_store, hub_chart)
    chart_path = tmp_path / "hub.wbchart"
    save_chart(hub_chart, chart_path)

    def counted(*extra: str) -> dict[str, int]:
        out = tmp_path / "by-caller.csv"
        assert main(["histogram", str(chart_path), "--by", "from", "-o", str(out),
                     *extra]) == 0
        with out.open(encoding="utf-8") as f:
            rows = list(csv.reader(f))
        return {row[0]: int(float(row[1])) for row in rows[1:]}

    assert counted() == expected
    said = capsys.readouterr().out
    assert "Store links by origin" in said
    assert f"{len(hub_chart.links)} links counted, standing for {sum(expected.values())} " \
           "store links" in said
    assert sum(counted("--chart-links").values()) == len(hub_chart.links)


def calls_by_pair(path: Path, chart: Chart) -> dict[tuple[str, str], int]:
    drawn = list(store_setting(chart)["entities"].values())
    rows = query(path, "SELECT a.label, b.label, count(*) FROM links l "
                 "JOIN entities a ON a.id = l.end1 JOIN entities b ON b.id = l.end2 "
                 "WHERE l.end1 IN (SELECT unnest(?)) AND l.end2 IN (SELECT unnest(?)) "
                 "GROUP BY ALL", [drawn, drawn])
    return {(a, b): n for a, b, n in rows}


def test_the_heat_matrix_of_a_store_chart_counts_calls_between_caller_and_called(
        qtbot, calls_store, hub_chart):
    dock = HeatMatrixDock(hub_chart, Selection())
    qtbot.addWidget(dock)
    dock.choose(Field("from", Target.LINKS), Field("to", Target.LINKS), top=20)
    matrix = dock.matrix
    got = {(matrix.rows[r], matrix.columns[c]): int(n)
           for (r, c), n in np.ndenumerate(matrix.counts) if n}
    assert got == calls_by_pair(calls_store, hub_chart)
    assert matrix.title.startswith("Store links:")


def test_a_report_of_a_store_chart_counts_the_calls_and_says_so(calls_store, hub_chart):
    expected = calls_by_caller(calls_store, hub_chart)
    picture = count_picture(hub_chart, "from", list(hub_chart.entities.values()),
                            list(hub_chart.links.values()), None)
    assert f"{len(hub_chart.links)} links, standing for {sum(expected.values())} store " \
           "links" in picture.caption

"""The freeze of issue 12 in the window: a histogram bar's 229 links selected, then View >
Chart Display > Summarise Parallel Links and Undo. The selection stays exactly those links
and no dock hears of a change (each used to redraw, 70 s in all)."""

from __future__ import annotations

from pathlib import Path

from workbench.analysis.fields import resolve_field
from workbench.analysis.histogram import histogram

ROUTES = Path(__file__).resolve().parents[2] / "sample_charts" / "trafficking-routes.wbchart"


def test_summary_toggle_and_undo_keep_a_histogram_selection_exactly(window):
    window.open_chart(ROUTES)
    chart = window.chart
    bar = next(b for b in histogram(chart, resolve_field(chart, "to")).bars
               if b.label == "Sweden")
    links = frozenset(i for i in bar.ids if i in chart.links)
    window.display.summary.trigger()  # links one by one
    assert not window.scene.link_summary()
    window.selection.set(links=links)
    heard = []
    window.selection.changed.connect(lambda: heard.append(len(window.selection.links)))
    window.display.summary.trigger()  # summarised again
    assert window.scene.link_summary() and window.selection.links == links
    window.undo_stack.undo()
    assert not window.scene.link_summary() and window.selection.links == links
    window.undo_stack.redo()
    assert window.selection.links == links and heard == []
    assert {i.item_id for i in window.scene.selectedItems()} == {
        window.scene.link_item(i).rep.item_id for i in links}

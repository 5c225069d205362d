"""Merge, Unmerge and Reject as undo commands: redo, undo, redo give the same chart each
time, and undoing an Unmerge brings back the merged entity as it was (edits included)."""

from PySide6.QtGui import QUndoStack

from workbench.io import load_chart
from workbench.resolve.decisions import plan_by_hand
from workbench.ui.commands import (
    MergeCommand,
    RejectPairCommand,
    UnmergeCommand,
    UpdateItemCommand,
)

from .conftest import IDS, SAMPLE


def test_merge_edit_unmerge_round_trip_through_the_stack(qapp):
    chart, stack = load_chart(SAMPLE), QUndoStack()
    before = load_chart(SAMPLE)
    record = plan_by_hand(chart, [IDS["atar"], IDS["baghdadi"], IDS["abaaoud"]])
    stack.push(MergeCommand(chart, record))
    merged = load_chart_copy(chart)
    stack.push(UpdateItemCommand(chart, record.survivor, {"label": "The recruiter"}))
    edited = load_chart_copy(chart)
    stack.push(UnmergeCommand(chart, record.survivor))
    assert chart.entities == before.entities and chart.links == before.links
    stack.undo()  # the unmerge: merged again, with the new label
    assert chart == edited
    stack.undo()
    stack.undo()
    assert chart == before
    stack.redo()
    assert chart == merged
    for _ in range(2):
        stack.redo()
    assert chart.entities == before.entities and not chart.merges


def test_reject_undoes_to_not_rejected(qapp):
    chart, stack = load_chart(SAMPLE), QUndoStack()
    stack.push(RejectPairCommand(chart, IDS["baghdadi"], IDS["atar"]))
    assert chart.rejected == {tuple(sorted((IDS["baghdadi"], IDS["atar"])))}
    stack.undo()
    assert not chart.rejected
    stack.redo()
    assert len(chart.rejected) == 1


def load_chart_copy(chart):
    from workbench.io.chartjson import chart_from_json, chart_to_json

    return chart_from_json(chart_to_json(chart))

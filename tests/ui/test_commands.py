"""Undo round trips over the real model: redo, undo, redo gives the same chart each time."""

from PySide6.QtGui import QUndoStack

from workbench.io import load_chart
from workbench.model import Chart, Entity, Kind, Link, Value
from workbench.ui.commands import (
    AddItemsCommand,
    MoveEntitiesCommand,
    RemoveItemsCommand,
    SetAttributesCommand,
    UpdateItemCommand,
)

from ..conftest import TEST_DATA


def test_cascade_delete_undoes_in_one_step(qapp):
    chart = load_chart(TEST_DATA / "format-v1.wbchart")
    before = load_chart(TEST_DATA / "format-v1.wbchart")
    stack = QUndoStack()
    person = chart.find("Person", "ana silva")
    stack.push(RemoveItemsCommand(chart, [person.id]))
    assert len(chart.entities) == 2 and not chart.links
    stack.undo()
    assert chart == before
    stack.redo()
    assert not chart.links


def test_add_move_edit_and_attributes_round_trip(qapp):
    chart = Chart()
    stack = QUndoStack()
    stack.push(AddItemsCommand(chart, [Entity("a", "Person", "Ana"), Entity("b", "Phone", "x")],
                               [Link("l", "a", "b", "Uses")]))
    stack.push(MoveEntitiesCommand(chart, {"a": (5, 6), "b": (7, 8)}))
    stack.push(UpdateItemCommand(chart, "a", {"label": "Ana Silva"}))
    stack.push(UpdateItemCommand(chart, "l", {"label": "daily"}))
    stack.push(SetAttributesCommand(chart, {"a": {"degree": Value(Kind.NUMBER, 1)}}))
    assert chart.entity("a").attributes["degree"].value == 1
    assert (chart.entity("b").x, chart.entity("b").y) == (7, 8)
    stack.push(SetAttributesCommand(chart, {"a": {"degree": None}}))
    assert "degree" not in chart.entity("a").attributes
    for _ in range(6):
        stack.undo()
    assert stack.index() == 0 and not chart.entities and not stack.canUndo()
    for _ in range(6):
        stack.redo()
    assert chart.entity("a").label == "Ana Silva" and chart.link("l").label == "daily"
    assert stack.isClean() is False

"""The properties dock edits the selected item; every edit is one undo step."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt

from tests.store.conftest import import_into
from workbench.io import save_chart
from workbench.model import Chart, Direction, Kind, SourceRecord, Strength, Value
from workbench.store import open_store
from workbench.ui.docks.properties_dock import PropertiesDock

from ..conftest import IDS, REPO, SAMPLE


def commit(edit) -> None:
    edit.editingFinished.emit()


def test_dock_follows_the_selection(window):
    window.open_chart(SAMPLE)
    dock = window.properties
    assert "Select an entity or link" in dock.header.text()
    window.selection.set([IDS["abaaoud"]])
    assert dock.header.text() == f"Person: Abdelhamid Abaaoud  [{IDS['abaaoud']}]"
    assert dock.label_edit.text() == "Abdelhamid Abaaoud"
    assert dock.attributes.table.item(0, 0).text() == "attacker"
    assert dock.attributes.table.item(0, 2).text() == "yes"
    assert dock.sources.table.rowCount() == len(window.chart.entity(IDS["abaaoud"]).provenance)
    assert dock.sources.table.cellWidget(0, 1).currentData() == "B"
    assert dock.sources.table.cellWidget(0, 1).toolTip() == "Mostly reliable"
    window.selection.set([IDS["abaaoud"], IDS["atar"]])
    assert dock.header.text().startswith("2 items selected")
    assert dock.body.isHidden() and not dock.bulk.isHidden()
    window.selection.set(links=[IDS["atar-baghdadi"]])
    assert dock.header.text() == ("Associate link: Oussama Atar — Abu Bakr al-Baghdadi  "
                                  f"[{IDS['atar-baghdadi']}]")
    assert dock.form.isRowVisible(dock.strength_box)
    assert not dock.form.isRowVisible(dock.identity_edit)


def test_entity_fields_edit_and_undo(window, qtbot):
    window.open_chart(SAMPLE)
    window.selection.set([IDS["atar"]])
    dock = window.properties
    dock.label_edit.setText("Oussama Atar (Abu Ahmad)")
    commit(dock.label_edit)
    dock.date_edit.setText("13/11/2015 21:20")
    commit(dock.date_edit)
    dock.coordinates_edit.setText("50.8503, 4.3517")
    commit(dock.coordinates_edit)
    dock.colour_edit.setText("#C0392B")
    commit(dock.colour_edit)
    dock.icon_edit.setText("mdi6.account-alert")
    commit(dock.icon_edit)
    entity = window.chart.entity(IDS["atar"])
    assert entity.label == "Oussama Atar (Abu Ahmad)"
    assert entity.date == datetime(2015, 11, 13, 21, 20)
    assert entity.coordinates == (50.8503, 4.3517)
    assert (entity.style.colour, entity.style.icon) == ("#c0392b", "mdi6.account-alert")
    assert window.undo_stack.count() == 5
    assert dock.date_edit.text() == "2015-11-13 21:20"
    # refused values say why and change nothing
    dock.date_edit.setText("the night of the attacks")
    commit(dock.date_edit)
    assert "matches none of the date formats" in dock.problem.text()
    assert dock.date_edit.text() == "2015-11-13 21:20"
    dock.icon_edit.setText("mdi6.no-such-icon")
    commit(dock.icon_edit)
    assert "not a known icon name" in dock.problem.text()
    assert window.undo_stack.count() == 5
    for _ in range(5):
        window.undo_stack.undo()
    assert dock.label_edit.text() == "Oussama Atar"
    assert window.chart.entity(IDS["atar"]).style.is_default() and entity.date is None


def test_type_and_identity_edits_refuse_a_clash(window):
    window.open_chart(SAMPLE)
    window.selection.set([IDS["atar"]])
    dock = window.properties
    dock.identity_edit.setText("Abdelhamid  ABAAOUD")
    commit(dock.identity_edit)
    assert "Another Person already has identity abdelhamid abaaoud" in dock.problem.text()
    assert window.chart.entity(IDS["atar"]).identity == "oussama atar"
    dock.type_box.setCurrentText("Organisation")
    dock.type_box.activated.emit(0)
    assert window.chart.entity(IDS["atar"]).type == "Organisation"
    window.undo_stack.undo()
    assert window.chart.entity(IDS["atar"]).type == "Person"


def test_link_strength_direction_and_type(window):
    window.open_chart(SAMPLE)
    window.selection.set(links=[IDS["atar-baghdadi"]])
    dock = window.properties
    dock.strength_box.setCurrentText("tentative")
    dock.strength_box.activated.emit(2)
    dock.direction_box.setCurrentText("forward")
    dock.direction_box.activated.emit(1)
    dock.type_box.setCurrentText("Family")
    dock.type_box.activated.emit(0)
    link = window.chart.link(IDS["atar-baghdadi"])
    assert (link.strength, link.direction, link.type) == (
        Strength.TENTATIVE, Direction.FORWARD, "Family")
    window.undo_stack.undo()
    assert link.type == "Associate"


def test_attributes_add_edit_remove(window, qtbot):
    window.open_chart(SAMPLE)
    window.selection.set([IDS["abaaoud"]])
    table = window.properties.attributes
    table.name_edit.setText("payments")
    table.kind_box.setCurrentText("number")
    table.value_edit.setText("$25,000")
    table.add_attribute()
    assert window.chart.entity(IDS["abaaoud"]).attributes["payments"] == Value(Kind.NUMBER, 25000)
    table.value_edit.setText("<5")
    table.name_edit.setText("bad")
    table.add_attribute()
    assert "bound or estimate" in window.properties.problem.text()
    assert "bad" not in window.chart.entity(IDS["abaaoud"]).attributes
    row = next(r for r in range(table.table.rowCount())
               if table.table.item(r, 0).text() == "payments")
    table.table.item(row, 2).setText("1.33E+07")
    assert window.chart.entity(IDS["abaaoud"]).attributes["payments"].value == 13_300_000
    table.table.selectRow(row)
    table.remove_selected()
    assert "payments" not in window.chart.entity(IDS["abaaoud"]).attributes
    assert window.undo_stack.count() == 3


def test_sources_and_grading(window):
    window.open_chart(SAMPLE)
    window.selection.set([IDS["baghdadi"]])
    sources = window.properties.sources
    sources.table.cellWidget(0, 1).setCurrentIndex(sources.table.cellWidget(0, 1).findData("A"))
    sources.table.cellWidget(0, 2).setCurrentIndex(sources.table.cellWidget(0, 2).findData("1"))
    assert window.chart.entity(IDS["baghdadi"]).provenance[0].grade == "A1"
    sources.source_edit.setText("Court record 2016/44")
    sources.add_source()
    baghdadi = window.chart.entity(IDS["baghdadi"])
    assert baghdadi.provenance[-1] == SourceRecord("Court record 2016/44")
    sources.table.item(1, 3).setText("restricted")
    assert window.chart.entity(IDS["baghdadi"]).provenance[1].handling == "restricted"
    assert sources.table.item(0, 4).text() == "nov13_relationships.csv row 2"
    assert sources.table.item(0, 4).flags() & Qt.ItemFlag.ItemIsEditable == Qt.ItemFlag(0)
    assert window.undo_stack.count() == 4
    for _ in range(4):
        window.undo_stack.undo()
    assert window.chart.entity(IDS["baghdadi"]).provenance[0].grade == "B2"
    assert len(window.chart.entity(IDS["baghdadi"]).provenance) == 1


def test_delete_keys_in_a_field_edit_text_not_the_chart(window, qtbot):
    window.open_chart(SAMPLE)
    window.selection.set([IDS["atar"]])
    edit = window.properties.label_edit
    window.properties.activate()
    qtbot.waitUntil(edit.hasFocus)
    edit.end(False)
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(edit, Qt.Key.Key_Home)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    assert edit.text() == "ussama Ata"
    assert IDS["atar"] in window.chart.entities
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert window.chart.entity(IDS["atar"]).label == "ussama Ata"


def test_bulk_edit_of_many_items_is_one_step(window):
    window.open_chart(SAMPLE)
    links = [lk.id for lk in window.chart.links_of(IDS["abaaoud"])]
    window.selection.set([IDS["abaaoud"], IDS["atar"]], links)
    bulk = window.properties.bulk
    assert bulk.form.isRowVisible(bulk.strength)
    bulk.strength.setCurrentText("unconfirmed")
    bulk.strength.activated.emit(2)
    assert all(window.chart.link(i).strength is Strength.UNCONFIRMED for i in links)
    bulk.colour.setText("#117A65")
    bulk.colour.editingFinished.emit()  # leaving the field is not enough
    assert window.chart.entity(IDS["atar"]).style.colour is None
    bulk.colour.returnPressed.emit()
    assert window.chart.entity(IDS["atar"]).style.colour == "#117a65"
    bulk.reliability.setCurrentText("C")
    bulk.reliability.activated.emit(3)
    assert {s.reliability for s in window.chart.entity(IDS["abaaoud"]).provenance} == {"C"}
    assert window.undo_stack.count() == 3
    assert window.undo_stack.undoText() == "Grading of " + f"{2 + len(links)} items"
    window.undo_stack.undo()
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert window.chart.entity(IDS["atar"]).style.colour is None
    assert all(window.chart.link(i).strength is Strength.CONFIRMED for i in links)
    bulk.colour.setText("")
    bulk.colour.returnPressed.emit()  # nothing to change: no empty step
    assert window.undo_stack.index() == 0


def test_the_dock_needs_a_document_not_a_window(document, qtbot):
    """Built from a chart holder, a selection and an undo stack: edits go on that stack, and
    the dock follows the holder to its next chart."""
    dock = PropertiesDock(document)
    qtbot.addWidget(dock)
    document.selection.set([IDS["atar"]])
    assert dock.label_edit.text() == "Oussama Atar"
    dock.label_edit.setText("O. Atar")
    commit(dock.label_edit)
    assert document.chart.entity(IDS["atar"]).label == "O. Atar"
    document.undo_stack.undo()
    assert document.chart.entity(IDS["atar"]).label == "Oussama Atar"
    other = Chart()
    ana = other.make_entity("Person", "Ana Silva")
    document.replace_chart(other, None)
    document.selection.set([ana.id])
    assert dock.label_edit.text() == "Ana Silva"


def test_a_connection_from_the_store_says_what_it_stands_for(window, tmp_path):
    """A bank officer selecting "25 Calls" on a chart drawn from a store is told it is one
    line for 25 calls, from when to when, that the sources list only the first of their
    records (the one a connection carries), and how to see each call."""
    calls = tmp_path / "calls.csv"
    calls.write_text("From,To,Datetime,Duration(seconds),Cell Tower\n" + "".join(
        f"100,200,200606{day:02d} 0800,10,1\n" for day in range(1, 26)), encoding="utf-8")
    with open_store(tmp_path / "case.wbstore", create=True) as store:
        import_into(store, REPO / "sample_charts" / "specs" / "call-records.yaml", calls)
        chart = store.chart([store.resolve_seed("Handset 100")], hops=1)
    save_chart(chart, tmp_path / "case.wbchart")
    window.open_chart(tmp_path / "case.wbchart")
    (link,) = window.chart.links.values()
    window.selection.set(links=[link.id])
    story = window.properties.connection
    assert not story.isHidden()
    assert story.text() == (
        "One line for 25 Calls links in the store between these two, the first on "
        "2006-06-01 08:00 (its Date), the last on 2006-06-25 08:00 (its end). Sources and "
        "grading lists the first of their 25 source records. "
        "Show Each Link (right-click the line, with the store open) draws each of them.")
    window.selection.set(links=[])
    assert story.isHidden()

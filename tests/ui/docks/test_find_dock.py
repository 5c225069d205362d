"""Find by label, attribute value and identity; filters; results select on the chart."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt

from workbench.model import Chart, Entity, Kind, Link, Value
from workbench.ui.docks.find_dock import find_items

from ..conftest import SAMPLE


def small_chart() -> Chart:
    chart = Chart()
    chart.make_entity("Phone", "burner", identity="07700 900123", date=datetime(2015, 11, 10))
    chart.make_entity("Person", "Ana Silva", identity="Ana Silva",
                      attributes={"alias": Value(Kind.TEXT, "La Rubia")},
                      date=datetime(2015, 11, 14))
    chart.add_links([Link("l1", "e1", "e2", "Uses", label="daily calls from burner")])
    return chart


def type_texts(dock) -> list[str]:
    return [dock.types_box.item(r).text() for r in range(dock.types_box.count())]


def type_item(dock, text: str):
    return dock.types_box.item(type_texts(dock).index(text))


def test_find_items_fields_and_filters():
    chart = small_chart()
    assert [h.item_id for h in find_items(chart, "ana")] == ["e2"]
    assert find_items(chart, "rubia")[0].where == "attribute alias"
    assert find_items(chart, "rubia", "label") == []
    # the query is normalised the way each type normalises its identity
    assert [h.item_id for h in find_items(chart, "+44 7700 900 123", "identity")] == ["e1"]
    assert [h.item_id for h in find_items(chart, "calls")] == ["l1"]
    assert find_items(chart, "a", exclude_types=frozenset({"Person", "Uses"})) == []
    dated = find_items(chart, "a", date_from=datetime(2015, 11, 13))
    assert [h.item_id for h in dated] == ["e2"]


def test_dock_lists_results_and_selects_them(window, qtbot):
    window.open_chart(SAMPLE)
    dock = window.find_dock
    window.acts.find.trigger()
    assert dock.isVisible()
    qtbot.keyClicks(dock.query_edit, "abdes")
    labels = [dock.results.item(r).text() for r in range(dock.results.count())]
    assert labels[:2] == ["Ibrahim Abdeslam  (Person)", "Salah Abdeslam  (Person)"]
    assert labels[2] == "Unknown accomplice of Salah Abdeslam  (Person)"
    assert dock.summary.text() == f"{len(labels)} found"
    dock.results.item(1).setSelected(True)
    salah = window.chart.find("Person", "salah abdeslam")
    assert window.selection.entities == {salah.id}
    dock.select_all()
    assert len(window.selection.entities) == len(labels)


def test_dock_type_and_date_filters(window):
    window.replace_chart(small_chart(), None)
    dock = window.find_dock
    dock.query_edit.setText("r")
    assert dock.results.count() == 3
    person = type_item(dock, "Person (1)")
    person.setCheckState(Qt.CheckState.Unchecked)
    assert dock.results.count() == 2
    dock.date_from.setText("2015-11-01")
    dock.date_to.setText("sometime")
    dock.date_to.editingFinished.emit()
    assert "matches none of the date formats" in dock.summary.text()
    dock.date_to.setText("2015-11-12")
    dock.date_to.editingFinished.emit()
    assert [dock.results.item(r).text() for r in range(dock.results.count())] == [
        "burner  (Phone)"]


def test_entity_without_identity_is_found_by_label(window):
    chart = Chart()
    chart.add_entities([Entity("x", "Vehicle", "White van LX15 ABC")])
    window.replace_chart(chart, None)
    window.find_dock.query_edit.setText("lx15")
    assert window.find_dock.results.count() == 1


def test_filter_hides_types_and_dates_on_the_chart(window):
    window.replace_chart(small_chart(), None)
    dock = window.find_dock
    scene = window.scene
    phone = type_item(dock, "Phone (1)")
    phone.setCheckState(Qt.CheckState.Unchecked)
    assert scene.entity_item("e1").isVisible()  # only the find results are filtered so far
    dock.hide_on_chart.setChecked(True)
    assert not scene.entity_item("e1").isVisible() and not scene.link_item("l1").isVisible()
    assert dock.hidden_summary.text() == "1 entity and 0 links hidden"
    phone.setCheckState(Qt.CheckState.Checked)
    dock.date_to.setText("2015-11-12")
    dock.date_to.editingFinished.emit()
    assert scene.entity_item("e1").isVisible() and not scene.entity_item("e2").isVisible()
    window.chart.make_entity("Person", "late", date=datetime(2016, 1, 1))
    assert not scene.entity_item("e3").isVisible()  # new items follow the filter
    dock.hide_on_chart.setChecked(False)
    assert all(scene.entity_item(i).isVisible() for i in window.chart.entities)


def test_ctrl_and_shift_click_in_results_add_to_the_selection(window, qtbot):
    window.open_chart(SAMPLE)
    chart, dock = window.chart, window.find_dock
    atar = chart.find("Person", "oussama atar").id
    window.selection.set([atar])  # chosen on the chart first
    window.acts.find.trigger()
    qtbot.keyClicks(dock.query_edit, "abdeslam")
    texts = [dock.results.item(r).text() for r in range(dock.results.count())]
    ibrahim = chart.find("Person", "ibrahim abdeslam").id
    salah = chart.find("Person", "salah abdeslam").id
    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier

    def click(row, modifier=Qt.KeyboardModifier.NoModifier):
        rect = dock.results.visualItemRect(dock.results.item(row))
        qtbot.mouseClick(dock.results.viewport(), Qt.MouseButton.LeftButton, modifier,
                         rect.center())

    click(texts.index("Ibrahim Abdeslam  (Person)"), ctrl)
    assert window.selection.entities == {atar, ibrahim}
    click(texts.index("Salah Abdeslam  (Person)"), shift)
    assert {atar, ibrahim, salah} <= window.selection.entities
    click(texts.index("Ibrahim Abdeslam  (Person)"), ctrl)  # Ctrl-click again: taken out
    assert atar in window.selection.entities and ibrahim not in window.selection.entities
    click(texts.index("Salah Abdeslam  (Person)"))  # a plain click selects just that one
    assert window.selection.entities == {salah}


def test_entities_found_are_named_on_the_chart_first(window, qtbot):
    """On the routes sample zoomed to fit, not every country can be named; one that was not
    named is named as soon as a search finds it."""
    window.resize(1600, 1000)
    window.open_chart(SAMPLE.with_name("trafficking-routes.wbchart"))
    qtbot.waitExposed(window)
    window.view.zoom_to_fit()
    layer = window.scene.labels
    qtbot.waitUntil(lambda: bool(layer.placed), timeout=5000)
    named = {p.item.item_id for p in layer.placed}
    unnamed = next(e for e in sorted(window.chart.entities.values(),
                                     key=lambda e: len(window.chart.links_of(e.id)))
                   if e.id not in named and len(e.label) > 4
                   and len(find_items(window.chart, e.label)) == 1)
    qtbot.keyClicks(window.find_dock.query_edit, unnamed.label)
    qtbot.waitUntil(lambda: unnamed.id in {p.item.item_id for p in layer.placed},
                    timeout=5000)


def test_the_type_list_offers_the_charts_own_types_with_their_counts(window, qtbot):
    """It offered the whole catalogue (Account, Address, Advert...) on charts with none."""
    window.open_chart(SAMPLE)
    dock = window.find_dock
    assert type_texts(dock)[:3] == ["Event (29)", "Location (19)", "Person (84)"]
    assert not any(text.startswith(("Account", "Address", "Advert"))
                   for text in type_texts(dock))
    assert dock.types_button.text() == f"All {len(type_texts(dock))} types"
    type_item(dock, "Event (29)").setCheckState(Qt.CheckState.Unchecked)
    assert dock.types_button.text() == f"{len(type_texts(dock)) - 1} of " \
                                       f"{len(type_texts(dock))} types"
    # the list follows the chart: a new type appears, counts change, what was left out
    # stays left out
    window.chart.make_entity("Vehicle", "White van")
    someone = window.chart.make_entity("Person", "Someone new")
    qtbot.waitUntil(lambda: "Vehicle (1)" in type_texts(dock))
    assert "Person (85)" in type_texts(dock)
    assert dock.excluded_types() == {"Event"}
    window.undo_stack.clear()
    window.chart.remove_entities([someone.id])
    qtbot.waitUntil(lambda: "Person (84)" in type_texts(dock))


def test_find_is_usable_in_a_laptop_window(qtbot, window):
    """At 1366x768 the Find dock's fields were cut and its results scrolled out of sight."""
    from ..window.test_dock_layout import at_size

    window.open_chart(SAMPLE)
    at_size(qtbot, window, 1366, 768)
    dock = window.find_dock
    dock.raise_()
    qtbot.keyClicks(dock.query_edit, "a")
    qtbot.wait(50)
    port = dock.widget()
    for widget in (dock.query_edit, dock.field_box, dock.live, dock.date_from, dock.date_to,
                   dock.types_button, dock.hide_on_chart, dock.results, dock.summary):
        assert widget.isVisible(), widget
        top = widget.mapTo(port, widget.rect().topLeft())
        bottom = widget.mapTo(port, widget.rect().bottomRight())
        assert widget.visibleRegion().boundingRect() == widget.rect(), widget  # not cut
        assert top.y() >= 0 and bottom.y() < port.height(), widget  # nor scrolled away
        assert top.x() >= 0 and bottom.x() < port.width(), widget
    assert dock.results.count() > 10
    rows = dock.results.viewport().height() / dock.results.sizeHintForRow(0)
    assert rows >= 4, rows  # results a few rows tall

"""Labels at every zoom where a reader could read them: the legibility harness on the sample
charts at their default view, the placement pass, and clicks on labels and small dots."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QFont, QFontMetricsF

from workbench.io import load_chart
from workbench.model import Chart, Entity, Link
from workbench.view.labels import READABLE_X_HEIGHT, Grid, place
from workbench.view.legibility import label_rects, legibility

SAMPLES = Path(__file__).resolve().parents[2] / "sample_charts"


def default_view(make_view, name: str, size: tuple[int, int] = (1600, 1000)):
    chart = load_chart(SAMPLES / f"{name}.wbchart")
    scene, view, selection = make_view(chart, size=size)
    view.place_labels()
    return chart, scene, view, selection


def test_nov13_at_fit_names_most_entities_readably_and_without_overlap(make_view):
    """It used to open with no label at all: 132 anonymous icons."""
    _chart, _scene, view, _ = default_view(make_view, "nov13-network")
    seen = legibility(view)
    assert seen.entities == 132
    assert seen.readable >= 60, seen
    assert seen.readable == seen.drawn and seen.overlapping == 0, seen
    small = legibility(default_view(make_view, "nov13-network", (1366, 768))[2])
    assert small.readable >= 40 and small.overlapping == 0, small


@pytest.mark.parametrize("name", ["trafficking-routes", "call-records"])
def test_big_samples_name_their_hubs_at_fit(make_view, name):
    chart, scene, view, _ = default_view(make_view, name)
    seen = legibility(view)
    assert seen.readable > 0 and seen.readable == seen.drawn and seen.overlapping == 0, seen
    named = {placed.item.item_id for placed in scene.labels.placed}
    hubs = sorted(chart.entities, key=lambda i: len(scene.entity_item(i).links), reverse=True)
    assert set(hubs[:5]) <= named  # the most connected entities are named first


def test_labels_are_never_drawn_below_a_readable_size(make_view):
    _chart, _scene, view, _ = default_view(make_view, "trafficking-routes", (800, 600))
    for zoom in (0.02, 0.1, 0.5):
        view.set_zoom(zoom)
        view.place_labels()
        rects, x_height = label_rects(view)
        assert rects, f"no label at {zoom}"
        assert x_height >= READABLE_X_HEIGHT - 0.01
    view.set_zoom(3.0)  # zoomed in, labels grow with the chart
    view.place_labels()
    _rects, x_height = label_rects(view)
    assert x_height > READABLE_X_HEIGHT * 2


def test_selected_entities_are_named_first(make_view):
    chart, scene, view, selection = default_view(make_view, "trafficking-routes", (800, 600))
    named = {placed.item.item_id for placed in scene.labels.placed}
    unnamed = [i for i in chart.entities if i not in named][:2]
    selection.set(unnamed[:1])
    view.place_labels()
    assert scene.labels.placed[0].item.item_id == unnamed[0]
    scene.emphasise_labels(unnamed[1:])  # a search hit, say
    selection.clear()
    view.place_labels()
    assert scene.labels.placed[0].item.item_id == unnamed[1]


def test_placement_takes_the_important_first_and_never_overlaps():
    boxes = [[(0.0, 0.0, 100.0, 20.0)], [(50.0, 10.0, 150.0, 30.0), (50.0, 40.0, 150.0, 60.0)],
             [(60.0, 45.0, 90.0, 55.0)], [(500.0, 0.0, 600.0, 20.0)]]
    assert [i for i, _box in place(boxes)] == [0, 1, 3]
    assert place(boxes)[1] == (1, (50.0, 40.0, 150.0, 60.0))  # its second choice
    assert [i for i, _box in place(boxes, bounds=(0.0, 0.0, 550.0, 100.0))] == [0, 1]
    # A lesser label may not cover a more important entity's icon; the reverse is allowed.
    icons = [(200.0, 200.0, 210.0, 210.0), (95.0, 5.0, 99.0, 9.0)]
    assert [i for i, _box in place([[(0.0, 0.0, 300.0, 300.0)],
                                     [(100.0, 100.0, 205.0, 205.0)]], icons)] == [0]
    grid = Grid(10.0)
    grid.add((0.0, 0.0, 25.0, 25.0))
    assert grid.overlaps((24.0, 24.0, 30.0, 30.0)) and not grid.overlaps((26.0, 0.0, 40.0, 9.0))


def test_a_click_on_a_drawn_label_selects_its_entity(qtbot, make_view):
    _chart, scene, view, selection = default_view(make_view, "nov13-network", (1366, 768))
    transform = view.viewportTransform()
    for placed in scene.labels.placed:  # a label whose middle is not on any icon
        anchor = transform.map(placed.item.pos())
        box = placed.box
        middle = QPointF(anchor.x() + (box[0] + box[2]) / 2, anchor.y() + (box[1] + box[3]) / 2)
        if scene.itemAt(view.mapToScene(middle.toPoint()), view.transform()) is None:
            break
    else:
        pytest.fail("every label lies on an item")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=middle.toPoint())
    assert selection.entities == {placed.item.item_id}
    assert not selection.links


def sparse_chart() -> Chart:
    chart = Chart("sparse")
    chart.add_entities([Entity("a", "Person", "Alice", x=0.0, y=0.0),
                        Entity("b", "Person", "Bob", x=2000.0, y=0.0)])
    chart.add_links([Link("ab", "a", "b", "Associate")])
    return chart


def test_at_fit_a_click_beside_a_dot_picks_the_entity_not_its_link(qtbot, make_view):
    """At fit a dot is a few pixels wide and a link runs from it: a click a hair off the
    icon used to select the link."""
    chart = sparse_chart()
    scene, view, selection = make_view(chart, size=(700, 400))
    assert view.zoom_level() < 0.4
    item = scene.entity_item("a")
    outside = item.radius + 2.0 / view.zoom_level()  # on the link, just off the icon
    pos = view.mapFromScene(QPointF(outside, 0.0))
    assert scene.itemAt(view.mapToScene(pos), view.transform()) is scene.link_item("ab")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert selection.entities == {"a"} and not selection.links
    # Far from both ends the link is still the link.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.mapFromScene(QPointF(1000.0, 0.0)))
    assert selection.links == {"ab"} and not selection.entities


def test_dragging_by_a_label_moves_the_entity_as_one_step(qtbot, make_view):
    chart = sparse_chart()
    scene, view, _selection = make_view(chart, size=(700, 400))
    view.place_labels()
    placed = next(p for p in scene.labels.placed if p.item.item_id == "b")
    anchor = view.viewportTransform().map(placed.item.pos())
    start = QPoint(round(anchor.x() + (placed.box[0] + placed.box[2]) / 2),
                   round(anchor.y() + (placed.box[1] + placed.box[3]) / 2))
    moves = []
    scene.entities_dragged.connect(lambda old, new: moves.append((old, new)))
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(view.viewport(), start + QPoint(20, 0))
    qtbot.mouseMove(view.viewport(), start + QPoint(40, 0))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=start + QPoint(40, 0))
    assert len(moves) == 1 and set(moves[0][1]) == {"b"}
    assert moves[0][1]["b"][0] > moves[0][0]["b"][0]


def test_a_readable_size_is_a_readable_x_height():
    font = QFont()
    from workbench.view.labels import readable_pixels

    font.setPixelSize(readable_pixels(font))
    assert QFontMetricsF(font).xHeight() >= READABLE_X_HEIGHT - 0.01

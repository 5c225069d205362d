"""A chart opened in one batch is measured over arrays (``following.py``, ``spatial.py``):
what a click, a band or a frame asks must be what each item would have said itself."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF

from workbench.model import Chart, Direction, Selection
from workbench.view import ChartScene


def _varied_chart() -> Chart:
    """Straight and parallel links, labelled and not, wide and thin, a loop, hidden ends."""
    chart = Chart("varied")
    a = chart.make_entity("Person", "Alice", x=0.0, y=0.0)
    b = chart.make_entity("Person", "Bob with a rather long name indeed", x=400.0, y=30.0)
    c = chart.make_entity("Phone", "", x=120.0, y=300.0)
    d = chart.make_entity("Person", "Dan", x=121.0, y=310.0)  # icons overlap
    chart.make_link(a.id, b.id, "Associate", label="friends")
    chart.make_link(b.id, a.id, "Calls", direction=Direction.FORWARD)
    chart.make_link(a.id, c.id, "Uses")
    chart.make_link(c.id, d.id, "Uses", label="x")
    chart.make_link(d.id, d.id, "Self", label="loop")
    wide = chart.make_link(b.id, c.id, "Pays", label="")
    chart.update_link(wide.id, style=wide.style.__class__(size=4.0))
    return chart


def test_rows_measured_in_bulk_are_the_items_own():
    chart = _varied_chart()
    scene = ChartScene(chart, Selection())
    spatial = scene.spatial
    assert spatial._offered is not None  # measured with the courses, not asked one by one
    spatial._fresh()
    links = list(scene._links.values())
    asked = np.array([spatial.link_values(item) for item in links])
    assert np.allclose(spatial._k, asked)
    for item, row in zip(links, spatial._k, strict=True):
        assert np.allclose(row[11:], item.boundingRect().getCoords())
    scene.detach()


def test_a_click_picks_a_bowed_link_and_a_link_added_later():
    chart = _varied_chart()
    scene = ChartScene(chart, Selection())
    bowed = next(i for i in scene._links.values() if i.geometry is not None
                 and i.geometry.bent)
    assert scene.item_at(bowed.geometry.middle()) is bowed
    e = chart.make_entity("Person", "Eve", x=800.0, y=0.0)
    later = chart.make_link(chart.entities[next(iter(chart.entities))].id, e.id, "Knows")
    item = scene.link_item(later.id)
    assert scene.item_at(QPointF(650.0, 0.0)) is item
    scene.spatial._fresh()
    links = list(scene._links.values())
    assert np.allclose(scene.spatial._k, [scene.spatial.link_values(i) for i in links])
    scene.detach()


def test_filters_that_hide_nothing_keep_what_was_measured():
    """The Find dock sets its filters several times as a window opens; when they hide
    nothing new, the chart's area and the overview's batches are not thrown away (on a
    100,000-entity chart each was measured again, a tenth of a second each time)."""
    chart = _varied_chart()
    scene = ChartScene(chart, Selection())
    area = scene.chart_rect()
    scene.overview._build()
    scene.set_hidden()
    scene.set_hidden((), (), by="time")
    assert scene._rect is not None and scene.overview._links is not None
    assert scene.chart_rect() == area
    hidden = next(iter(chart.entities))
    scene.set_hidden([hidden])
    assert not scene.entity_item(hidden).isVisible() and scene.overview._links is None
    scene.detach()

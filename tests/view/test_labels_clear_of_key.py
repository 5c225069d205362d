"""No label is placed under the chart's key (the legend in the view's lower left): on the
routes sample at the default window size the key hid "Central Eastern Europe"."""

from __future__ import annotations

from pathlib import Path

from workbench.io import load_chart

ROUTES = Path(__file__).resolve().parents[2] / "sample_charts" / "trafficking-routes.wbchart"


def label_boxes(view):
    """Each placed label's plate in the view's pixels."""
    for placed in view.chart_scene().labels.placed:
        centre = view.mapFromScene(placed.item.pos())
        left, top, right, bottom = placed.box
        yield placed.text, (centre.x() + left, centre.y() + top, centre.x() + right,
                            centre.y() + bottom)


def test_labels_keep_clear_of_the_key(qtbot, make_view):
    _scene, view, _selection = make_view(load_chart(ROUTES), size=(900, 380))
    qtbot.waitUntil(lambda: not view.legend.isHidden())
    view.zoom_to_fit()
    key = view.legend.geometry()
    boxes = dict(label_boxes(view))
    assert len(boxes) > 30  # a named chart, not an empty one
    under = [text for text, (left, top, right, bottom) in boxes.items()
             if left < key.right() and right > key.left() and top < key.bottom()
             and bottom > key.top()]
    assert under == []

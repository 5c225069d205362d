"""Link geometry: parallel offsets, ends clipped at the icon and at the label plate."""

from __future__ import annotations

import math

from workbench.view.geometry import LinkGeometry, clip_distance, parallel_offsets

ICON_ONLY = (19.0, 0.0, 0.0, 0.0)
WITH_LABEL = (19.0, 40.0, 18.0, 34.0)  # label plate 80 wide, from 18 to 34 below the centre


def test_parallel_offsets_are_symmetric_and_spaced():
    assert parallel_offsets(1, 20.0) == [0.0]
    assert parallel_offsets(2, 20.0) == [-10.0, 10.0]
    assert parallel_offsets(3, 20.0) == [-20.0, 0.0, 20.0]


def test_ends_stop_at_the_icon_edge():
    g = LinkGeometry(0.0, 0.0, 200.0, 0.0, 0.0, ICON_ONLY, ICON_ONLY)
    assert g.straight()
    assert (g.sx, g.ex) == (19.0, 181.0)


def test_a_link_leaving_downwards_starts_below_the_label():
    assert clip_distance(WITH_LABEL, 0.0, 1.0) == 36.0  # straight down: past the plate
    assert clip_distance(WITH_LABEL, 0.0, -1.0) == 19.0  # upwards: the icon edge
    assert clip_distance(WITH_LABEL, 1.0, 0.0) == 19.0  # sideways: misses the plate
    steep = clip_distance(WITH_LABEL, math.sin(0.3), math.cos(0.3))
    assert 19.0 < steep <= 36.0 / math.cos(0.3) + 0.01


def test_curves_bow_to_opposite_sides_for_opposite_offsets():
    up = LinkGeometry(0.0, 0.0, 200.0, 0.0, 20.0, ICON_ONLY, ICON_ONLY)
    down = LinkGeometry(0.0, 0.0, 200.0, 0.0, -20.0, ICON_ONLY, ICON_ONLY)
    assert up.middle().y() == -down.middle().y() != 0.0
    assert 18.0 < abs(up.middle().y()) < 26.0  # about ``offset`` from the chord


def test_loop_sits_above_its_entity():
    g = LinkGeometry(5.0, 5.0, 5.0, 5.0, 0.0, ICON_ONLY, ICON_ONLY)
    assert g.loop and g.cy < 5.0 - 19.0 and g.middle().y() < g.sy


def test_a_link_with_no_offset_is_straight_however_its_ends_are_clipped():
    """One end clipped below a label plate, the other at the icon: still a straight line
    (drawn with drawLine, 10-15x faster than a curve), and its arrowheads point along it."""
    g = LinkGeometry(0.0, 0.0, 30.0, 300.0, 0.0, WITH_LABEL, ICON_ONLY)
    assert g.straight()
    assert g.path().elementCount() == 2  # a move and one line, no curve
    assert not LinkGeometry(0.0, 0.0, 30.0, 300.0, 10.0, WITH_LABEL, ICON_ONLY).straight()

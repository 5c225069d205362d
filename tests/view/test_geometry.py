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


def test_links_measured_together_run_where_each_measured_alone_runs():
    """A big chart's links are measured over arrays (issue 15); each course is the one a
    link measured alone takes: bows, ends clipped at icons and label plates, icons that
    overlap, and loops left to be measured alone."""
    import random

    import numpy as np

    from workbench.view.geometry import LinkGeometry, courses

    rng = random.Random(3)
    rows = []
    for _ in range(3000):
        x1, y1 = rng.uniform(-300, 300), rng.uniform(-300, 300)
        near = rng.random() < 0.1
        x2 = x1 + rng.uniform(-20, 20) if near else rng.uniform(-300, 300)
        y2 = y1 + rng.uniform(-20, 20) if near else rng.uniform(-300, 300)
        if rng.random() < 0.02:
            x2, y2 = x1, y1  # a loop
        bow = rng.choice((0.0, 0.0, 10.0, -10.0, 30.0))
        ends = [(rng.uniform(8, 30), rng.choice((0.0, rng.uniform(10, 85))),
                 rng.uniform(10, 30), rng.uniform(25, 50)) for _ in range(2)]
        rows.append((x1, y1, x2, y2, bow, ends[0], ends[1]))
    table = np.array([r[:5] for r in rows])
    together = courses(table[:, 0], table[:, 1], table[:, 2], table[:, 3], table[:, 4],
                       np.array([r[5] for r in rows]), np.array([r[6] for r in rows]))
    loops = 0
    for (x1, y1, x2, y2, bow, end1, end2), made in zip(rows, together, strict=True):
        alone = LinkGeometry(x1, y1, x2, y2, bow, end1, end2)
        if alone.loop:
            assert made is None
            loops += 1
            continue
        assert made.bent == alone.bent and not made.loop
        for name in ("sx", "sy", "cx", "cy", "ex", "ey"):
            assert abs(getattr(made, name) - getattr(alone, name)) < 1e-9, name
    assert loops > 10

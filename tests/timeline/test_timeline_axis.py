"""The time axis on its own: breaks over long empty stretches, ticks at every zoom, zones."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from workbench.view.timeline_axis import (
    STEPS,
    TimeAxis,
    choose_step,
    describe_span,
    ticks,
)
from workbench.view.timeline_data import seconds


def _burst(start: datetime, n: int) -> list[float]:
    return [seconds(start + timedelta(hours=h)) for h in range(n)]


def test_a_long_empty_stretch_becomes_a_short_break():
    times = np.array(_burst(datetime(2015, 1, 1), 48) + _burst(datetime(2016, 1, 1), 48))
    axis = TimeAxis(times)
    assert len(axis.breaks) == 1
    gap = axis.breaks[0]
    assert gap.t0 < seconds(datetime(2015, 6, 1)) < gap.t1
    # both bursts keep their length; the year between takes a few per cent of the axis
    assert (gap.u1 - gap.u0) / axis.length < 0.05
    # times map and map back on either side of the break
    back = axis.t_of(axis.u_of(times))
    assert np.allclose(back, times)
    assert not TimeAxis(times, compress=False).breaks


def test_covered_time_is_no_gap():
    """Year-long spans back to back (routes by year) leave nothing to compress."""
    starts = np.array([seconds(datetime(y, 1, 1)) for y in range(2008, 2017)])
    ends = np.array([seconds(datetime(y + 1, 1, 1)) for y in range(2008, 2017)])
    assert not TimeAxis(starts, ends).breaks


def test_quiet_nights_are_not_breaks():
    times = np.array(_burst(datetime(2006, 6, 1, 8), 10) + _burst(datetime(2006, 6, 2, 8), 10))
    assert not TimeAxis(times).breaks  # 14 hours of silence is under a day


@pytest.mark.parametrize(("seconds_per_pixel", "unit"), [
    (30 * 86400, "year"), (43200, "month"), (2000, "day"), (120, "hour"), (2, "minute"),
])
def test_the_tick_step_follows_the_zoom(seconds_per_pixel, unit):
    step = choose_step(seconds_per_pixel, lambda text: 7.0 * len(text))
    assert step[1] == unit
    assert step in STEPS


def test_ticks_are_calendar_units_with_their_context():
    t0, t1 = seconds(datetime(2016, 2, 28, 22)), seconds(datetime(2016, 3, 1, 2))
    hours = ticks(t0, t1, "hour", 6)
    assert [t.text for t in hours] == ["00:00", "06:00", "12:00", "18:00", "00:00"]
    assert hours[0].context == "29 Feb 2016"  # the leap day, written above its hours
    months = ticks(seconds(datetime(2015, 11, 15)), seconds(datetime(2016, 3, 1)), "month", 1)
    assert [t.text for t in months] == ["Dec 2015", "Jan 2016", "Feb 2016", "Mar 2016"]


def test_periods_are_described_in_the_coarsest_exact_words():
    s = seconds
    assert describe_span(s(datetime(2010, 1, 1)), s(datetime(2014, 1, 1))) == "2010 to 2013"
    assert describe_span(s(datetime(2006, 6, 3)), s(datetime(2006, 6, 4))) == "3 Jun 2006"
    assert describe_span(s(datetime(2006, 6, 8, 9)), s(datetime(2006, 6, 8, 11))) == \
        "8 Jun 2006 09:00 to 11:00"


def test_a_date_with_an_offset_is_placed_at_its_instant():
    paris = datetime(2015, 11, 13, 21, 40, tzinfo=timezone(timedelta(hours=1)))
    assert seconds(paris) == seconds(datetime(2015, 11, 13, 20, 40))
    assert seconds(datetime(2015, 11, 13, 21, 40)) - seconds(paris) == 3600

"""The time axis: where a time is drawn, which long empty stretches are cut short, and the
ticks with labels a reader can read at any zoom, from decades to minutes.

Positions are in *axis units*: seconds, except that each compressed stretch counts as a short
fixed length (a visible break), so six months of silence between two bursts of calls does not
squeeze both bursts into slivers. The view shows a window of axis units across its width.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from workbench.view.timeline_data import date_of, seconds

GAP_SHARE = 0.1  # a stretch with no event longer than this share of the whole is compressed,
MIN_GAP = 86400.0  # if it is also longer than a day (a quiet night is no gap worth a break)
BREAK_SHARE = 0.03  # the length a compressed stretch keeps, as a share of what is left
MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class Break:
    """A compressed stretch: from ``t0`` to ``t1`` (seconds), drawn from ``u0`` to ``u1``."""

    t0: float
    t1: float
    u0: float
    u1: float


class TimeAxis:
    """Seconds to axis units and back, piecewise linear with the breaks in between."""

    def __init__(self, starts: np.ndarray, ends: np.ndarray | None = None,
                 compress: bool = True) -> None:
        """An axis over events from ``starts`` to ``ends`` (the same when they are points);
        with ``compress``, stretches no event covers that are longer than a tenth of the
        whole and than a day become breaks."""
        starts = np.asarray(starts, dtype=np.float64)
        ends = starts if ends is None else np.maximum(np.asarray(ends, dtype=np.float64), starts)
        if not len(starts):
            starts = ends = np.array([0.0, DAY])
        order = np.argsort(starts, kind="stable")
        starts, ends = starts[order], ends[order]
        lo, hi = float(starts[0]), float(ends.max())
        if hi - lo < MINUTE:  # one moment: show a little either side
            lo, hi = lo - 30 * MINUTE, hi + 30 * MINUTE
        pad = (hi - lo) * 0.02
        self.t_min, self.t_max = lo - pad, hi + pad
        gaps: list[tuple[float, float]] = []
        if compress and len(starts) > 1:
            covered = np.maximum.accumulate(ends)[:-1]  # the latest end before each start
            empty = starts[1:] - covered
            long = np.flatnonzero(empty > max(GAP_SHARE * (hi - lo), MIN_GAP))
            gaps = [(float(covered[i]) + pad, float(starts[i + 1]) - pad) for i in long]
        kept = (self.t_max - self.t_min) - sum(b - a for a, b in gaps)
        width = BREAK_SHARE * kept
        # knots: (t, u) pairs between which the mapping is linear
        t_knots, u_knots, breaks = [self.t_min], [0.0], []
        u = 0.0
        for a, b in gaps:
            u += a - t_knots[-1]
            t_knots.append(a)
            u_knots.append(u)
            breaks.append(Break(a, b, u, u + width))
            u += width
            t_knots.append(b)
            u_knots.append(u)
        u += self.t_max - t_knots[-1]
        t_knots.append(self.t_max)
        u_knots.append(u)
        self._t, self._u = np.array(t_knots), np.array(u_knots)
        self.breaks = breaks
        self.length = u

    def u_of(self, t: np.ndarray | float) -> np.ndarray:
        """Linear inside, at one second per unit beyond either end (a window panned past
        the data still has ticks)."""
        t = np.asarray(t, dtype=np.float64)
        out = np.interp(t, self._t, self._u)
        out = np.where(t < self._t[0], self._u[0] + (t - self._t[0]), out)
        return np.where(t > self._t[-1], self._u[-1] + (t - self._t[-1]), out)

    def t_of(self, u: np.ndarray | float) -> np.ndarray:
        u = np.asarray(u, dtype=np.float64)
        out = np.interp(u, self._u, self._t)
        out = np.where(u < self._u[0], self._t[0] + (u - self._u[0]), out)
        return np.where(u > self._u[-1], self._t[-1] + (u - self._u[-1]), out)

    def segments(self, u0: float, u1: float) -> Iterator[tuple[float, float]]:
        """The stretches of real time (seconds) shown between axis units u0 and u1."""
        ranges = []
        start = float(self.t_of(u0))
        for br in self.breaks:
            if br.u1 <= u0 or br.u0 >= u1:
                continue
            ranges.append((start, br.t0))
            start = br.t1
        ranges.append((start, float(self.t_of(u1))))
        yield from ((a, b) for a, b in ranges if b > a)


# ----- ticks ---------------------------------------------------------------------------------
# (step in seconds, unit, count): the finest step whose labels do not collide is used
STEPS = [(MINUTE * n, "minute", n) for n in (1, 2, 5, 10, 15, 30)] \
    + [(HOUR * n, "hour", n) for n in (1, 2, 3, 6, 12)] \
    + [(DAY, "day", 1), (2 * DAY, "day", 2), (7 * DAY, "week", 1), (14 * DAY, "week", 2)] \
    + [(30.44 * DAY * n, "month", n) for n in (1, 2, 3, 6)] \
    + [(365.25 * DAY * n, "year", n) for n in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500)]
SAMPLE_LABEL = {"minute": "23:59", "hour": "23:59", "day": "30 Sep", "week": "30 Sep",
                "month": "Sep 2016", "year": "2016"}


@dataclass(frozen=True, slots=True)
class Tick:
    t: float  # seconds
    text: str  # the tick's own label: "14:30", "4 Mar", "Mar 2016", "2016"
    context: str  # the larger unit it belongs to, written when it changes: "4 Mar 2016"


def choose_step(seconds_per_pixel: float, text_width) -> tuple[float, str, int]:
    """The finest step whose labels, as wide as ``text_width(sample)`` plus a gap, fit."""
    for step, unit, count in STEPS:
        if step / seconds_per_pixel >= text_width(SAMPLE_LABEL[unit]) + 18:
            return step, unit, count
    return STEPS[-1]


def ticks(t0: float, t1: float, unit: str, count: int, limit: int = 400) -> list[Tick]:
    """Calendar ticks from t0 to t1: whole minutes, hours, days, Mondays, months, years."""
    start, end = date_of(t0), date_of(t1)
    out: list[Tick] = []
    for d in _calendar(start, end, unit, count):
        if len(out) >= limit:
            break
        out.append(Tick(seconds(d), _text(d, unit), _context(d, unit)))
    return out


def _calendar(start: datetime, end: datetime, unit: str, count: int) -> Iterator[datetime]:
    if unit == "year":
        year = (start.year // count) * count
        while year <= end.year:
            if 1 <= year <= 9999:
                d = datetime(year, 1, 1)
                if start <= d <= end:
                    yield d
            year += count
    elif unit == "month":
        m = start.year * 12 + (start.month - 1) // count * count
        while True:
            d = datetime(m // 12, m % 12 + 1, 1)
            if d > end:
                return
            if d >= start:
                yield d
            m += count
    else:
        size = {"minute": timedelta(minutes=count), "hour": timedelta(hours=count),
                "day": timedelta(days=count), "week": timedelta(days=7 * count)}[unit]
        origin = datetime(1970, 1, 5)  # a Monday: weeks start on Mondays
        n = (start - origin) // size
        d = origin + n * size
        while d <= end:
            if d >= start:
                yield d
            d += size


def _text(d: datetime, unit: str) -> str:
    if unit == "year":
        return str(d.year)
    if unit == "month":
        return f"{MONTHS[d.month - 1]} {d.year}"
    if unit in ("day", "week"):
        return f"{d.day} {MONTHS[d.month - 1]}"
    return f"{d.hour:02d}:{d.minute:02d}"


def _context(d: datetime, unit: str) -> str:
    if unit in ("day", "week"):
        return str(d.year)
    if unit in ("hour", "minute"):
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    return ""


def describe_span(t0: float, t1: float) -> str:
    """The period from t0 up to (not including) t1 in the coarsest words that say it exactly:
    '2010 to 2013', 'Mar 2016 to Jun 2016', '3 Jun 2006', '3 Jun 2006 09:00 to 11:00'."""
    a, b = date_of(t0), date_of(t1)
    last = b - timedelta(microseconds=1)  # the end is the first instant after the period
    midnight = a.time() == b.time() == datetime.min.time()
    if midnight and (a.month, a.day, b.month, b.day) == (1, 1, 1, 1):
        return str(a.year) if a.year == last.year else f"{a.year} to {last.year}"
    if midnight and a.day == b.day == 1:
        return f"{MONTHS[a.month - 1]} {a.year} to {MONTHS[last.month - 1]} {last.year}"
    day = f"{a.day} {MONTHS[a.month - 1]} {a.year}"
    if midnight:
        end = f"{last.day} {MONTHS[last.month - 1]} {last.year}"
        return day if end == day else f"{day} to {end}"
    end_day = f"{b.day} {MONTHS[b.month - 1]} {b.year}"
    end = f"{b:%H:%M}" if end_day == day else f"{end_day} {b:%H:%M}"
    return f"{day} {a:%H:%M} to {end}"

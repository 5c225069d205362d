"""Arc geometry shared by both maps: right ends, inside the map, never round the world."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from workbench.geo.geometry import arc, wrap_lon

lat = st.floats(min_value=-70, max_value=80)
lon = st.floats(min_value=-180, max_value=180)


def _close(a: float, b: float) -> bool:
    return abs(a - b) < 1e-6 or abs(abs(a - b) - 360) < 1e-6


@given(lat, lon, lat, lon, st.floats(min_value=0.0, max_value=0.5))
def test_arcs_start_and_end_at_the_places_and_stay_on_the_map(lat1, lon1, lat2, lon2, bend):
    shape = arc((lat1, lon1), (lat2, lon2), bend)
    first, last = shape.parts[0][0], shape.parts[-1][-1]
    assert abs(first[0] - lat1) < 1e-6 and _close(first[1], lon1)
    assert abs(last[0] - lat2) < 1e-6 and _close(last[1], lon2)
    for part in shape.parts:
        assert len(part) >= 2
        for (_, a), (_, b) in pairwise(part):
            assert -180 <= a <= 180 and -180 <= b <= 180
            assert abs(b - a) < 180  # no segment jumps across the whole map
    assert len(shape.parts) <= 3  # a leg bent past the edge may leave and come back
    assert -180 <= shape.arrow[1] <= 180 and shape.arrow[1] == wrap_lon(shape.arrow[1])


def test_the_short_way_round() -> None:
    # Tokyo -> Honolulu crosses the Pacific (two pieces), London -> Lagos does not.
    assert len(arc((35.7, 139.7), (21.3, -157.9)).parts) == 2
    assert len(arc((51.5, -0.1), (6.5, 3.4)).parts) == 1

"""Shared drawing geometry and style for both map renderings (interactive and static).

Lines are gentle arcs computed in Web Mercator, so that two directions between the same
places (A -> B and B -> A) and several colour values on one leg bend apart instead of hiding
each other. A leg whose short way crosses the 180th meridian (Manila -> Los Angeles) is drawn
across the Pacific and cut at the map's edge, never dragged across the wrong side of the world.
Widths, circle sizes and colours are computed here once so both renderings agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from workbench.geo.routes import NO_VALUE, RouteMap, Segment

MAX_LAT = 85.0
ARROW_AT = 0.82  # where along the arc the arrowhead sits (clear of the target's circle)
SINGLE_COLOUR = "#c0392b"
# Colour-blind-safe categorical palette (Okabe-Ito, then Tableau 10 extras).
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#8c564b",
           "#e6c700", "#17becf", "#bcbd22", "#9467bd", "#393b79")
OTHER_COLOUR = "#6b6b6b"
NO_VALUE_COLOUR = "#9e9e9e"
HOTSPOT_COLOUR = "#3b3b3b"
REGION_COLOUR = "#7a5195"


def mercator_y(lat: float) -> float:
    """Web Mercator northing in degree-like units (equal to longitude units at the equator)."""
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def inverse_mercator_y(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)


@dataclass(frozen=True, slots=True)
class Arc:
    """A drawable leg: polylines in (lat, lon) (more than one when cut at the 180th meridian)
    and an arrowhead at ``arrow`` (lat, lon) pointing at ``angle`` degrees (screen, 0 = east,
    counter-clockwise, as in Mercator)."""

    parts: list[list[tuple[float, float]]]
    arrow: tuple[float, float]
    angle: float


def arc(source: tuple[float, float], target: tuple[float, float], bend: float = 0.18,
        samples: int = 24) -> Arc:
    """A quadratic arc from source to target (lat, lon), bent to the left of travel."""
    lat1, lon1 = source
    lat2, lon2 = target
    delta = lon2 - lon1
    if delta > 180:
        lon2 -= 360
    elif delta < -180:
        lon2 += 360
    if abs(lon1) == 180 and abs(lon2) > 180:  # starting on the edge: use the side it travels to
        shift = -360 if lon2 > 180 else 360
        lon1, lon2 = lon1 + shift, lon2 + shift
    x1, y1, x2, y2 = lon1, mercator_y(lat1), lon2, mercator_y(lat2)
    dx, dy = x2 - x1, y2 - y1
    # Control point: the midpoint pushed sideways (left of travel) by ``bend`` x length.
    cx, cy = (x1 + x2) / 2 - dy * bend, (y1 + y2) / 2 + dx * bend

    def point(t: float) -> tuple[float, float]:
        u = 1 - t
        return (u * u * x1 + 2 * u * t * cx + t * t * x2, u * u * y1 + 2 * u * t * cy + t * t * y2)

    xy = [point(i / samples) for i in range(samples + 1)]
    ax, ay = point(ARROW_AT)
    tx = 2 * (1 - ARROW_AT) * (cx - x1) + 2 * ARROW_AT * (x2 - cx)
    ty = 2 * (1 - ARROW_AT) * (cy - y1) + 2 * ARROW_AT * (y2 - cy)
    angle = math.degrees(math.atan2(ty, tx))
    parts = split_at_antimeridian([(inverse_mercator_y(y), x) for x, y in xy])
    return Arc(parts, (inverse_mercator_y(ay), wrap_lon(ax)), angle)


def wrap_lon(lon: float) -> float:
    return (lon + 180.0) % 360.0 - 180.0


def split_at_antimeridian(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """Cut a polyline whose longitudes run past +-180 into pieces inside -180..180.

    The points are continuous (unwrapped) longitudes starting inside -180..180; each time the
    line crosses an edge it ends there and goes on from the opposite edge.
    """
    parts: list[list[tuple[float, float]]] = [[]]
    shift = 0.0  # added to the unwrapped longitudes of the current piece
    previous: tuple[float, float] | None = None
    for lat, lon in points:
        if previous is not None:
            plat, plon = previous
            for edge in (180.0, -180.0):
                e = edge - shift
                # Beyond the edge by more than rounding: a point on the edge is inside, so a
                # leg that starts on the edge and bends past it is cut where it leaves.
                was_out = plon > e + 1e-9 if edge > 0 else plon < e - 1e-9
                is_out = lon > e + 1e-9 if edge > 0 else lon < e - 1e-9
                if is_out and not was_out:
                    t = (e - plon) / (lon - plon)
                    cut_lat = plat + t * (lat - plat)
                    parts[-1].append((cut_lat, edge))
                    shift += -360.0 if edge > 0 else 360.0
                    parts.append([(cut_lat, -edge)])
                    break
        # Clamp: a piece running along an edge can overshoot it by a rounding error.
        parts[-1].append((lat, min(180.0, max(-180.0, lon + shift))))
        previous = (lat, lon)
    parts = [p for p in parts if len(p) >= 2]
    if len(parts) > 1:  # a cut right at the start leaves a piece of one point: drop it
        parts = [p for p in parts if len(set(p)) >= 2]
    return parts


# ----- style shared by both renderings -----------------------------------------------------
def colours(route_map: RouteMap) -> dict[str | None, str]:
    """Colour per category; values past the palette share a grey 'other' colour."""
    if route_map.colour_by is None:
        return {None: SINGLE_COLOUR}
    table: dict[str | None, str] = {}
    index = 0
    for category in route_map.categories:
        if category == NO_VALUE:
            table[category] = NO_VALUE_COLOUR
            continue
        table[category] = PALETTE[index] if index < len(PALETTE) else OTHER_COLOUR
        index += 1
    return table


def line_width(count: float, max_count: float) -> float:
    """Line width in pixels (points for the static map): 1.5 to 9, by square root of count."""
    return 1.5 + 7.5 * math.sqrt(count / max_count) if max_count > 0 else 1.5


def hotspot_radius(count: float, max_count: float) -> float:
    """Circle radius in pixels: 3 to 18, area growing with the count."""
    return 3.0 + 15.0 * math.sqrt(count / max_count) if max_count > 0 else 3.0


def bends(route_map: RouteMap) -> dict[tuple[str, str, str | None], float]:
    """Bend per segment: legs sharing two places fan out so none hides another."""
    groups: dict[frozenset[str], list[Segment]] = {}
    for segment in route_map.segments:
        groups.setdefault(frozenset((segment.source, segment.target)), []).append(segment)
    result: dict[tuple[str, str, str | None], float] = {}
    for members in groups.values():
        by_direction: dict[tuple[str, str], list[Segment]] = {}
        for segment in members:
            by_direction.setdefault((segment.source, segment.target), []).append(segment)
        for same_way in by_direction.values():
            # Each direction bends to its own left, so A->B and B->A never overlap; several
            # colour values on one leg fan out between a gentle and a strong bend.
            last = max(len(same_way) - 1, 1)
            for index, segment in enumerate(same_way):
                result[segment.key] = 0.14 + 0.3 * index / last if len(same_way) > 1 else 0.18
    return result

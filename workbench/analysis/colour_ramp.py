"""A sequential colour ramp for a measure: each entity's colour says how high its value is.

The ramp is matplotlib's viridis, which stays readable for the common kinds of colour
blindness and in greyscale print, because its lightness rises steadily from end to end. It is
used reversed and without its palest yellow end: the lowest values are a light green and the
highest a dark purple, so on a white chart the entities that matter most carry the most ink and
no entity fades into the background.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import matplotlib
from matplotlib.colors import to_hex

RAMP = "viridis"
#: Positions on viridis (0 dark purple .. 1 yellow) for the lowest and the highest value.
LOW_AT, HIGH_AT = 0.85, 0.0


@dataclass(frozen=True, slots=True)
class ColourRamp:
    """Maps numbers between ``low`` and ``high`` onto the ramp (equal values: the middle)."""

    low: float
    high: float

    def position(self, value: float) -> float:
        """0 for the lowest value, 1 for the highest."""
        if self.high <= self.low:
            return 0.5
        return min(max((value - self.low) / (self.high - self.low), 0.0), 1.0)

    def colour(self, value: float) -> str:
        """The ``#rrggbb`` colour of ``value``."""
        share = self.position(value)
        return to_hex(matplotlib.colormaps[RAMP](LOW_AT + (HIGH_AT - LOW_AT) * share))

    def stops(self, count: int = 5) -> list[tuple[float, str]]:
        """Evenly spaced (value, colour) pairs from low to high, for a legend."""
        if self.high <= self.low:
            return [(self.low, self.colour(self.low))]
        step = (self.high - self.low) / (count - 1)
        return [(self.low + i * step, self.colour(self.low + i * step)) for i in range(count)]

    def describe(self, attribute: str) -> str:
        """The legend in words, for the list dock and the status bar."""
        return (f"Colour shows {attribute}: light green = lowest ({_number(self.low)}), "
                f"dark purple = highest ({_number(self.high)}), viridis ramp "
                "(colour-blind safe).")


def ramp_for(values: Iterable[float]) -> ColourRamp:
    """The ramp spanning ``values`` (0 to 0 when there are none)."""
    numbers = list(values)
    return ColourRamp(min(numbers, default=0.0), max(numbers, default=0.0))


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:.3g}"

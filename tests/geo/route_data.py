"""Test charts made from the real trafficking-route CSV (US TIP reports 2008-2016, via the
University of Denver directionality project; see ../shared/data/README.md).

The import engineer builds the real sample with an import specification; these helpers make
the same shape of chart directly: Country entities, one "Trafficked to" link per row from
origin to destination, or "Transits through" origin -> transit plus "Trafficked to"
transit -> destination when a transit country is given.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import pandas as pd
import pytest

from workbench.model import Chart, Direction, Kind, Value

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
ROUTES_CSV = DATA / "trafficking_routes_2008_2016.csv"
if not ROUTES_CSV.is_file():  # worktrees live in /work/wt/NAME, main in /work/main
    ROUTES_CSV = Path("/work/shared/data/trafficking_routes_2008_2016.csv")


def _cell(row: pd.Series, *names: str) -> str:
    for name in names:
        value = row.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


@lru_cache(maxsize=1)
def _frame() -> pd.DataFrame:
    if not ROUTES_CSV.is_file():
        pytest.skip("../shared/data is not beside this checkout")
    return pd.read_csv(ROUTES_CSV, dtype=str, keep_default_na=False)


def route_chart(rows: int | None = None) -> Chart:
    frame = _frame()
    if rows is not None:
        frame = frame.head(rows)
    chart = Chart("Trafficking routes 2008-2016")
    for _, row in frame.iterrows():
        origin = _cell(row, "Origin_Country", "Origin Country/Region")
        transit = _cell(row, "Transit_Country")
        destination = _cell(row, "Destination_Country")
        attributes = {}
        kind = _cell(row, "Type of Trafficking", "Type_Of_Trafficking")
        if kind:
            attributes["type of trafficking"] = Value(Kind.TEXT, kind.removesuffix(".0"))
        year = _cell(row, "Years")
        if year:
            attributes["year"] = Value(Kind.NUMBER, int(float(year)))
        chain = [p for p in (origin, transit, destination) if p]
        if len(chain) < 2:
            continue
        ids = [chart.make_entity("Country", name, identity=name).id for name in chain]
        for index, (a, b) in enumerate(pairwise(ids)):
            last = index == len(ids) - 2
            chart.make_link(a, b, "Trafficked to" if last else "Transits through",
                            direction=Direction.FORWARD, attributes=dict(attributes))
    return chart

"""Heat matrix and hot spots on the real route and call data."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.analysis.fields import Field, Target
from workbench.analysis.heatmatrix import Scale, heat_matrix
from workbench.analysis.hotspots import hot_spots

from .test_histogram import folded


def test_origin_by_destination_matches_a_pandas_crosstab(route_chart, routes):
    matrix = heat_matrix(route_chart, Field("from", Target.LINKS), Field("to", Target.LINKS),
                         top=8)
    table = pd.crosstab(folded(routes["origin"]), folded(routes["Destination_Country"]))
    top_rows = folded(routes["origin"]).value_counts().index[:8]
    top_cols = folded(routes["Destination_Country"]).value_counts().index[:8]
    assert [r.casefold() for r in matrix.rows[:8]] == list(top_rows)
    assert [c.casefold() for c in matrix.columns[:8]] == list(top_cols)
    for i, row in enumerate(top_rows):
        for j, col in enumerate(top_cols):
            assert matrix.counts[i, j] == table.loc[row, col]
            assert len(matrix.ids(i, j)) == matrix.counts[i, j]
    assert matrix.rows[8].startswith("Other") and matrix.columns[8].startswith("Other")
    assert matrix.counts.sum() == len(routes)
    assert matrix.title == "Links: origin (from end) by destination (to end)"


def test_caller_by_hour_and_log_scale(call_chart):
    matrix = heat_matrix(call_chart, Field("from", Target.LINKS),
                         Field("date", Target.LINKS, "hour"), top=10)
    assert matrix.columns[:3] == ["00:00", "01:00", "02:00"]
    assert matrix.counts.sum() == len(call_chart.links)
    linear, log = matrix.intensity(Scale.LINEAR), matrix.intensity(Scale.LOG)
    assert linear.max() == 1.0 and log.max() == 1.0
    # the colour scale tops out at the biggest real cell; "Other" (385 callers together) is
    # clipped rather than washing every real cell out to white
    real = matrix.counts[:matrix.value_rows]
    assert matrix.scale_top == real.max() < matrix.counts.max()
    assert matrix.rows[-1].startswith("Other") and np.all(linear[-1][matrix.counts[-1] > 0]
                                                          <= 1.0)
    small = (matrix.counts > 0) & (matrix.counts < matrix.scale_top)
    assert small.any() and np.all(log[small] > linear[small])
    some = next(iter(matrix.cells))
    part = matrix.ids(*some)[:2]
    assert matrix.selected_counts(part)[some] == len(part)


def test_hot_spots_by_link_count_and_by_weight(route_chart, routes):
    spots = hot_spots(route_chart, types={"Country"}, top=5)
    both = pd.concat([folded(routes["origin"]), folded(routes["Destination_Country"])])
    # a country is counted once per route it is on (a route from X to X counts once)
    same = folded(routes["origin"]) == folded(routes["Destination_Country"])
    counts = both.value_counts().sub(folded(routes["origin"])[same].value_counts(),
                                     fill_value=0).sort_values(ascending=False)
    assert [(s.label.casefold(), s.score) for s in spots] == [
        (name, float(n)) for name, n in counts.head(5).items()]
    weighted = hot_spots(route_chart, types={"Country"}, weight="Year", top=1)[0]
    assert weighted.score == sum(lk.attributes["Year"].value
                                 for lk in route_chart.links_of(weighted.entity_id))

"""Fixtures for the geo tests: the shared gazetteer and charts made from the real route CSV."""

from __future__ import annotations

import pytest

from tests.geo.route_data import route_chart
from workbench.geo.gazetteer import Gazetteer, default_gazetteer
from workbench.model import Chart


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return default_gazetteer()


@pytest.fixture(scope="session")
def routes_chart_full() -> Chart:
    """All 22,246 rows (about 2 s to build): shared, so tests must not change it."""
    return route_chart()


@pytest.fixture
def routes_chart_small() -> Chart:
    return route_chart(rows=400)

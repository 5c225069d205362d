"""The call-records sample and its source CSV, the time tests' real data."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.io import load_chart
from workbench.model import Chart

from ..conftest import REPO

CALLS = REPO / "sample_charts" / "call-records.wbchart"
CALLS_CSV = REPO / "sample_charts" / "data" / "vast2008_call_records.csv"
ROUTES = REPO / "sample_charts" / "trafficking-routes.wbchart"


@pytest.fixture(scope="session")
def calls_chart() -> Chart:
    """Loaded once: tests that change a chart load their own."""
    return load_chart(CALLS)


@pytest.fixture(scope="session")
def calls_frame() -> pd.DataFrame:
    """Each call with its time, caller and receiver, read by pandas from the source CSV."""
    df = pd.read_csv(CALLS_CSV)
    df["when"] = pd.to_datetime(df["Datetime"], format="%Y%m%d %H%M")
    return df

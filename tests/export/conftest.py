"""Export tests reuse the io fixtures: the real data and a chart using every field."""

from tests.io.conftest import build_rich_chart, real_data, rich_chart

__all__ = ["build_rich_chart", "real_data", "rich_chart"]

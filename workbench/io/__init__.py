"""Reading and writing: the chart file, import specifications and interchange formats. No Qt."""

from workbench.io.chartfile import (
    EXTENSION,
    FORMAT_VERSION,
    load_chart,
    load_chart_and_manifest,
    peek_chart,
    save_chart,
)
from workbench.io.chartjson import ChartFileError

__all__ = [
    "EXTENSION",
    "FORMAT_VERSION",
    "ChartFileError",
    "load_chart",
    "load_chart_and_manifest",
    "peek_chart",
    "save_chart",
]

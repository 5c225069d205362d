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
from workbench.io.savetemp import remove_stale_saves_in

__all__ = [
    "EXTENSION",
    "FORMAT_VERSION",
    "ChartFileError",
    "load_chart",
    "load_chart_and_manifest",
    "peek_chart",
    "remove_stale_saves_in",
    "save_chart",
]

"""The link chart drawn with Qt graphics items (works offscreen for export).

Public API: :class:`ChartScene` (the chart as items, kept in step with the model and the
shared selection; emits intents, never edits) and :class:`ChartView` (zoom, pan, modes).
"""

from workbench.view.icons import IconCache, shared_icons
from workbench.view.layout_job import LayoutJob
from workbench.view.scene import ChartScene
from workbench.view.view import ChartView

__all__ = ["ChartScene", "ChartView", "IconCache", "LayoutJob", "shared_icons"]

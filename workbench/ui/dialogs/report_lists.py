"""The report dialog's tick lists: sections (in print order, dragged to reorder), histograms
and table columns. Each item shows what the analyst reads and keeps the name the report
template uses, so the labels can change without breaking saved templates.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem

SECTION_NAMES = {"title": "Title page", "chart": "Chart picture",
                 "histograms": "Counts (histograms)",
                 "timewheel": "Time wheel (hour by day of week)", "map": "Route map",
                 "timeline": "Timeline",
                 "entities": "Table of entities", "links": "Table of links",
                 "sources": "Sources appendix"}
Checked = Qt.CheckState


def checklist(names: list[str], checked: set[str], labels: dict[str, str] | None = None,
              movable: bool = False) -> QListWidget:
    """A list of check boxes; item data holds the name, the text what the analyst reads."""
    widget = QListWidget()
    for name in names:
        item = QListWidgetItem((labels or {}).get(name, name))
        item.setData(Qt.ItemDataRole.UserRole, name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Checked.Checked if name in checked else Checked.Unchecked)
        widget.addItem(item)
    if movable:  # sections print in the order shown; drag to reorder
        widget.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
    return widget


def checked_names(widget: QListWidget) -> list[str]:
    return [widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())
            if widget.item(i).checkState() == Checked.Checked]


def attribute_names(items: list) -> list[str]:
    names: dict[str, None] = {}
    for item in items:
        names.update(dict.fromkeys(item.attributes))
    return sorted(names, key=str.casefold)

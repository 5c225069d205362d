"""Mouse modes of the chart: each is a small class instead of one huge mousePressEvent.

The scene forwards its mouse events to the active mode. A mode may take an event whole
(return True) or let Qt's own handling run first and then follow up (the ``after_*`` hooks):
selecting and moving items is Qt's; recording a drag as one intent is ours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPen, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsLineItem, QGraphicsSceneMouseEvent

from workbench.view.entity_item import EntityItem
from workbench.view.link_item import LinkItem

if TYPE_CHECKING:
    from workbench.view.scene import ChartScene

_LEFT = Qt.MouseButton.LeftButton


def view_transform(event: object) -> QTransform:
    """The transform of the view an event came through (for zoom-aware hit tests)."""
    widget = event.widget() if hasattr(event, "widget") else None
    view = widget.parent() if widget is not None else None
    return view.transform() if hasattr(view, "transform") else QTransform()


class Mode:
    name = ""

    def __init__(self, scene: ChartScene) -> None:
        self.scene = scene

    def press(self, event: QGraphicsSceneMouseEvent) -> bool:
        return False

    def move(self, event: QGraphicsSceneMouseEvent) -> bool:
        return False

    def release(self, event: QGraphicsSceneMouseEvent) -> bool:
        return False

    def after_press(self, event: QGraphicsSceneMouseEvent) -> None:
        pass

    def after_move(self, event: QGraphicsSceneMouseEvent) -> None:
        pass

    def after_release(self, event: QGraphicsSceneMouseEvent) -> None:
        pass

    def cancel(self) -> None:
        pass

    def extra_items(self) -> list[QGraphicsItem]:
        """Items the mode has put in the scene for now (the line of a link being drawn)."""
        return []


class SelectMode(Mode):
    """A press on an item selects it and a drag moves the selected entities, as Qt's own
    handling would; this mode keeps links attached during the drag and reports the whole drag
    as one ``entities_dragged(old, new)`` on release.

    The press is picked by ``ChartScene.item_at``, not by Qt: Qt only knows an item's own
    shape (a press on a label drawn by the label layer, or just beside a small dot at fit,
    means the entity), and on a big chart Qt's search of its index took 160 ms a click. A
    press on empty space is Qt's (it clears the selection and the view draws a band)."""

    name = "select"

    def __init__(self, scene: ChartScene) -> None:
        super().__init__(scene)
        self.start: dict[str, tuple[float, float]] = {}
        self._last: QPointF | None = None  # where our own drag is, when we handle one
        self._pressed: tuple[EntityItem | LinkItem, QPointF, bool] | None = None

    def press(self, event: QGraphicsSceneMouseEvent) -> bool:
        if event.button() != _LEFT:
            return False
        picked = self.scene.item_at(event.scenePos(), view_transform(event))
        if picked is None:
            return False  # empty space: Qt's
        add = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if add:
            picked.setSelected(not picked.isSelected())
        elif not picked.isSelected():
            self.scene.clearSelection()
            picked.setSelected(True)
        self._pressed = (picked, event.scenePos(), add)
        self._last = event.scenePos() if isinstance(picked, EntityItem) else None
        self.after_press(event)
        event.accept()
        return True

    def move(self, event: QGraphicsSceneMouseEvent) -> bool:
        if self._last is None:
            if self._pressed is not None:  # a link was pressed: nothing moves
                event.accept()
                return True
            return False
        delta = event.scenePos() - self._last
        self._last = event.scenePos()
        for item_id in self.start:
            item = self.scene.entity_item(item_id)
            if item is not None:
                item.moveBy(delta.x(), delta.y())
        self.after_move(event)
        event.accept()
        return True

    def release(self, event: QGraphicsSceneMouseEvent) -> bool:
        if self._pressed is None:
            return False
        picked, down, add = self._pressed
        self._pressed = self._last = None
        if not add and event.scenePos() == down and picked.scene() is self.scene:
            # a click (no drag) on an item of a selection: that item alone, as Qt does,
            # read into the shared selection once
            with self.scene._quiet():
                for item in self.scene.selectedItems():
                    if item is not picked:
                        item.setSelected(False)
            self.scene._qt_selection_changed()
        self.after_release(event)
        event.accept()
        return True

    def after_press(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() == _LEFT:
            self.start = {i.item_id: (i.pos().x(), i.pos().y())
                          for i in self.scene.selectedItems() if isinstance(i, EntityItem)}

    def after_move(self, event: QGraphicsSceneMouseEvent) -> None:
        if not self.start or not event.buttons() & _LEFT:
            return
        links: dict[int, LinkItem] = {}
        for item_id in self.start:
            item = self.scene.entity_item(item_id)
            if item is not None:
                self.scene.spatial.touch(item)
                for link in item.links:
                    links[id(link)] = link
        for link in links.values():
            link.update_geometry()
        if self.scene.is_overview():
            self.scene.overview.invalidate()

    def after_release(self, event: QGraphicsSceneMouseEvent) -> None:
        if not self.start or event.button() != _LEFT:
            return
        old, new = {}, {}
        for item_id, (x, y) in self.start.items():
            item = self.scene.entity_item(item_id)
            if item is not None and (item.pos().x(), item.pos().y()) != (x, y):
                old[item_id], new[item_id] = (x, y), (item.pos().x(), item.pos().y())
        self.start = {}
        if new:
            self.scene.entities_dragged.emit(old, new)

    def cancel(self) -> None:
        self.start = {}
        self._last = self._pressed = None


class LinkMode(Mode):
    """Drag from one entity to another: a dashed line follows the pointer, and on release
    over a different entity the scene asks for a link (``link_requested``)."""

    name = "link"

    def __init__(self, scene: ChartScene) -> None:
        super().__init__(scene)
        self.source: EntityItem | None = None
        self.line: QGraphicsLineItem | None = None

    def press(self, event: QGraphicsSceneMouseEvent) -> bool:
        if event.button() != _LEFT:
            return True
        source = self.scene.item_at(event.scenePos(), view_transform(event), entities_only=True)
        if isinstance(source, EntityItem):
            self.source = source
            pos = source.pos()
            line = QGraphicsLineItem(pos.x(), pos.y(), event.scenePos().x(),
                                     event.scenePos().y())
            line.setPen(QPen(QColor("#1e88e5"), 2.0, Qt.PenStyle.DashLine))
            line.setZValue(10.0)
            self.scene.addItem(line)
            self.line = line
        event.accept()
        return True

    def move(self, event: QGraphicsSceneMouseEvent) -> bool:
        if self.line is None:
            return False
        line = self.line.line()
        line.setP2(event.scenePos())
        self.line.setLine(line)
        event.accept()
        return True

    def release(self, event: QGraphicsSceneMouseEvent) -> bool:
        source = self.source
        if source is None:
            return True
        target = self.scene.item_at(event.scenePos(), view_transform(event), entities_only=True)
        self.cancel()
        if isinstance(target, EntityItem) and target is not source:
            self.scene.link_requested.emit(source.item_id, target.item_id)
        event.accept()
        return True

    def extra_items(self) -> list[QGraphicsItem]:
        return [self.line] if self.line is not None else []

    def cancel(self) -> None:
        if self.line is not None:
            self.scene.removeItem(self.line)
        self.line, self.source = None, None


MODES = {mode.name: mode for mode in (SelectMode, LinkMode)}

"""The import wizard's mapping editor: which columns make entities, links and attributes.

Three grids in tabs, each row a part of an import specification, with dropdowns filled from
the chart's type catalogue and the file's columns. ``fill_from(spec)`` shows a spec;
``build(spec, loaded)`` writes the grids into a spec, keeping what the grids do not show
(coordinates, entity dates, ``when`` conditions, merged links) from the spec that was loaded.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.io.importspec import AttributeSpec, EntitySpec, ImportSpec, LinkSpec, Template
from workbench.model import Chart, Direction, Kind, default_catalogue
from workbench.ui.importing.date_choice import DateFormatCombo
from workbench.ui.importing.import_support import (
    cell_text,
    column_text,
    line_edit,
    make_grid,
    template,
)


class MappingEditor(QTabWidget):
    """Entities, Links and Attributes tabs; ``changed`` fires on every edit."""

    changed = Signal()

    def __init__(self, chart: Chart, columns: Callable[[], list[str]],
                 values: Callable[[str], list[str]] = lambda column: []) -> None:
        super().__init__()
        self.chart, self.columns, self.values = chart, columns, values
        self.entity_table = make_grid(["Name", "Type", "Identity column",
                                       "Or, if empty", "Label column", "Split"])
        self.entity_table.horizontalHeaderItem(3).setToolTip(
            "A column to take where the identity column is empty (a file that moved the "
            "value to another column one year)")
        self.link_table = make_grid(["From", "To", "Link type", "Direction", "Date column",
                                     "Date format"])
        self.attribute_table = make_grid(["Of", "Attribute", "Column", "Kind", "Date format"])
        for title, what, table, add in (
            ("Entities", "entity", self.entity_table, lambda: self.add_entity()),
            ("Links", "link", self.link_table, lambda: self.add_link()),
            ("Attributes", "attribute", self.attribute_table, lambda: self.add_attribute()),
        ):
            tab = QWidget()
            layout = QVBoxLayout(tab)
            layout.addWidget(table)
            row = QHBoxLayout()
            row.addStretch()
            row.addWidget(QPushButton(f"Add {what}", clicked=add))
            row.addWidget(QPushButton("Remove", clicked=lambda _=False, g=table:
                                      self.remove_row(g)))
            layout.addLayout(row)
            self.addTab(tab, title)

    # ----- rows ----------------------------------------------------------------------------
    def _combo(self, items: list[str], text: str = "", editable: bool = True) -> QComboBox:
        combo = QComboBox(editable=editable)
        combo.addItems(items)
        combo.setCurrentText(text)
        combo.currentTextChanged.connect(self._changed)
        if editable:  # a long column name shows its start in a narrow cell
            combo.lineEdit().setCursorPosition(0)
        return combo

    def _add_row(self, table: QTableWidget, cells: list[QWidget]) -> int:
        row = table.rowCount()
        table.insertRow(row)
        for col, w in enumerate(cells):
            table.setCellWidget(row, col, w)
        self._changed()
        return row

    def add_entity(self, name: str = "", type_name: str = "Person", identity: str = "",
                   label: str = "", split: str = "", either: str = "") -> int:
        """``either``: the column to take where the identity column is empty (a file that
        moved a value to another column one year); several are written ``{A}{B}``."""
        types = sorted({*self.chart.catalogue.entity_types, type_name} - {""})
        columns = ["", *self.columns()]
        name = name or f"entity{self.entity_table.rowCount() + 1}"
        return self._add_row(self.entity_table, [
            line_edit(name, self._changed), self._combo(types, type_name),
            self._combo(columns, identity), self._combo(columns, either),
            self._combo(columns, label), line_edit(split, self._changed)])

    def _date_pair(self, column: str, code: str, is_date: Callable[[], bool] = lambda: True
                   ) -> tuple[QComboBox, DateFormatCombo]:
        """A date column and its format, the formats offered from the column's values."""
        formats = DateFormatCombo(code)
        combo = self._combo(["", *self.columns()], column)

        def offer(*_: object) -> None:
            formats.offer(self.values(combo.currentText()) if is_date() else [])
            self._changed()

        combo.currentTextChanged.connect(offer)
        formats.currentTextChanged.connect(self._changed)
        if is_date():
            formats.offer(self.values(column), code)
        return combo, formats

    def add_link(self, source: str = "", target: str = "", type_name: str = "Associate",
                 direction: str = "none", date: str = "", date_format: str = "") -> int:
        roles = self.entity_roles()
        links = sorted({*self.chart.catalogue.link_types, type_name} - {""})
        date_combo, formats = self._date_pair(date, date_format)
        return self._add_row(self.link_table, [
            self._combo(roles, source or (roles[0] if roles else "")),
            self._combo(roles, target or (roles[-1] if roles else "")),
            self._combo(links, type_name),
            self._combo([d.value for d in Direction], direction, editable=False),
            date_combo, formats])

    def add_attribute(self, of: str = "", name: str = "", column: str = "",
                      kind: str = "text", date_format: str = "") -> int:
        """An attribute of an entity role, or of "link N" (the N-th row of the links tab)."""
        owners = self.owners()
        kinds = self._combo([k.value for k in Kind], kind, editable=False)
        column_combo, formats = self._date_pair(
            column, date_format, lambda: kinds.currentText() == Kind.DATETIME.value)
        kinds.currentTextChanged.connect(lambda _: column_combo.currentTextChanged.emit(
            column_combo.currentText()))  # offer formats once the kind is a date
        return self._add_row(self.attribute_table, [
            self._combo(owners, of or (owners[0] if owners else "")),
            line_edit(name or column.lower().replace(" ", "_"), self._changed),
            column_combo, kinds, formats])

    def remove_row(self, table: QTableWidget) -> None:
        row = table.currentRow() if table.currentRow() >= 0 else table.rowCount() - 1
        if row >= 0:
            table.removeRow(row)
            self._changed()

    def clear(self) -> None:
        for table in (self.entity_table, self.link_table, self.attribute_table):
            table.setRowCount(0)
        self._changed()

    def entity_roles(self) -> list[str]:
        """Names of the entity rows that have an identity column."""
        t = self.entity_table
        return [cell_text(t, r, 0) for r in range(t.rowCount())
                if cell_text(t, r, 0) and cell_text(t, r, 2)]

    def date_notes(self) -> list[str]:
        """Date columns whose day and month cannot be told apart, until an order is chosen."""
        out = []
        for table, what, col in ((self.link_table, "link", 4),
                                 (self.attribute_table, "attribute", 2)):
            for r in range(table.rowCount()):
                w = table.cellWidget(r, table.columnCount() - 1)
                if isinstance(w, DateFormatCombo) and w.ambiguity():
                    out.append(f"{cell_text(table, r, col)!r} ({what} {r + 1}): "
                               f"{w.ambiguity()}")
        return out

    def owners(self) -> list[str]:
        return [*self.entity_roles(),
                *(f"link {i + 1}" for i in range(self.link_table.rowCount()))]

    def _changed(self, *_: object) -> None:
        """Keep the attribute owners in step with the entity and link rows, then tell."""
        if hasattr(self, "attribute_table"):
            owners = self.owners()
            for r in range(self.attribute_table.rowCount()):
                combo = self.attribute_table.cellWidget(r, 0)
                items = [combo.itemText(i) for i in range(combo.count())] if combo else []
                if isinstance(combo, QComboBox) and items != owners:
                    current = combo.currentText()
                    combo.blockSignals(True)
                    combo.clear()
                    combo.addItems(owners)
                    combo.setCurrentText(current)
                    combo.blockSignals(False)
        self.changed.emit()

    # ----- specifications ----------------------------------------------------------------
    def fill_from(self, spec: ImportSpec) -> None:
        for role, e in spec.entities.items():
            identity, either = _either(e.identity)
            self.add_entity(role, e.type, identity,
                            column_text(e.label) if e.label else "", e.split or "", either)
        for lk in spec.links:
            self.add_link(lk.source, lk.target, lk.type, lk.direction.value,
                          column_text(lk.date) if lk.date else "",
                          lk.date_formats[0] if lk.date_formats else "")
        owned = [(role, a) for role, e in spec.entities.items() for a in e.attributes]
        owned += [(f"link {i + 1}", a) for i, lk in enumerate(spec.links) for a in lk.attributes]
        for owner, a in owned:
            self.add_attribute(owner, a.name, column_text(a.column), a.kind.value,
                               a.date_formats[0] if a.date_formats else "")

    def build(self, spec: ImportSpec, loaded: ImportSpec) -> None:
        """Write the grids into ``spec`` (entities, links, attributes, undeclared types)."""
        t = self.entity_table
        for r in range(t.rowCount()):
            name, type_name, identity, either, label, split = (cell_text(t, r, c)
                                                                for c in range(6))
            if not name or not identity:
                continue
            old = loaded.entities.get(name)
            ident = template(identity)
            if either:  # side by side: whichever is filled
                ident = Template(ident.text + template(either).text)
            spec.entities[name] = EntitySpec(
                name, type_name, ident, template(label) if label else None,
                split or None, old.date if old else None, old.date_formats if old else (),
                old.lat if old else None, old.lon if old else None, [],
                old.when if old else None)
        t = self.link_table
        by_row: dict[str, LinkSpec] = {}
        for r in range(t.rowCount()):
            a, b, type_name, direction, date, fmt = (cell_text(t, r, c) for c in range(6))
            if a not in spec.entities or b not in spec.entities:
                continue
            old = next((lk for lk in loaded.links if (lk.source, lk.target) == (a, b)), None)
            spec.links.append(LinkSpec(
                a, b, type_name, old.label if old else None, Direction(direction),
                date=template(date) if date else None, date_formats=_formats(fmt, old),
                merge=bool(old and old.merge)))
            by_row[f"link {r + 1}"] = spec.links[-1]
        t = self.attribute_table
        for r in range(t.rowCount()):
            of, name, column, kind, fmt = (cell_text(t, r, c) for c in range(5))
            owner = spec.entities.get(of) or by_row.get(of)
            if owner is not None and name and column:
                owner.attributes.append(AttributeSpec(name, template(column), Kind(kind),
                                                      (fmt,) if fmt else ()))
        self._declare_types(spec)

    def _declare_types(self, spec: ImportSpec) -> None:
        """Types that are not in the shipped catalogue (the chart's own, or typed in here)
        are written into the spec, so that the saved file loads anywhere."""
        base, chart = default_catalogue(), self.chart.catalogue
        declared = {t.name for t in spec.types}
        for name in dict.fromkeys(e.type for e in spec.entities.values()):
            if name not in base.entity_types and name not in declared:
                spec.types.append(chart.entity_type(name))
        declared = {t.name for t in spec.link_types}
        for name in dict.fromkeys(lk.type for lk in spec.links):
            if name not in base.link_types and name not in declared:
                spec.link_types.append(chart.link_type(name))


def _either(identity: Template) -> tuple[str, str]:
    """An identity shown as its first column and the others to take where it is empty."""
    parts = identity.parts()
    if len(parts) == 1 and isinstance(parts[0], tuple) and len(parts[0]) > 1:
        first, *rest = parts[0]
        return first, rest[0] if len(rest) == 1 else "".join("{" + c + "}" for c in rest)
    return column_text(identity), ""


def _formats(chosen: str, old: LinkSpec | None) -> tuple[str, ...]:
    """The format picked; a loaded spec's list of formats is kept when its first is picked."""
    if old is not None and old.date_formats and chosen == old.date_formats[0]:
        return old.date_formats
    return (chosen,) if chosen else ()

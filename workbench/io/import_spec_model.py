"""The parts of an import specification as plain data: sources, entities, links, attributes,
filters and the ``{Column}`` templates they use. Read from YAML by importspec.parse_spec,
written back by import_spec_yaml.dump_spec, run by importer.build_import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from workbench.model import Direction, EntityType, Kind, LinkType, Strength

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


class SpecError(ValueError):
    """An import specification that cannot be used; the message names the key and line."""


# ----- templates ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Template:
    """Text with ``{Column}`` placeholders. Two placeholders side by side with no text between
    take whichever column is filled (a file that moved a value to another column one year)."""

    text: str

    @property
    def columns(self) -> list[str]:
        return [m.strip() for m in _PLACEHOLDER.findall(self.text)]

    def pieces(self) -> list[tuple[bool, str]]:
        """(is_column, text) pieces in order."""
        out: list[tuple[bool, str]] = []
        pos = 0
        for m in _PLACEHOLDER.finditer(self.text):
            if m.start() > pos:
                out.append((False, self.text[pos:m.start()]))
            out.append((True, m.group(1).strip()))
            pos = m.end()
        if pos < len(self.text):
            out.append((False, self.text[pos:]))
        return out

    def parts(self) -> list[str | tuple[str, ...]]:
        """Literal text (str) and column choices (a tuple: the first filled column of it)."""
        out: list[str | tuple[str, ...]] = []
        for is_column, text in self.pieces():
            if not is_column:
                out.append(text)
            elif out and isinstance(out[-1], tuple):
                out[-1] = (*out[-1], text)
            else:
                out.append((text,))
        return out

    @property
    def choices(self) -> list[tuple[str, ...]]:
        """Groups of two or more columns side by side: any of them may be missing from a file
        as long as one is there."""
        return [p for p in self.parts() if isinstance(p, tuple) and len(p) > 1]

    @property
    def literal_only(self) -> bool:
        return not self.columns

    @property
    def single_column(self) -> str | None:
        """The column name when the template is exactly one placeholder."""
        p = self.pieces()
        return p[0][1] if len(p) == 1 and p[0][0] else None


# ----- the parts of a spec ------------------------------------------------------------------
@dataclass(slots=True)
class SourceSpec:
    format: str = "auto"  # auto | csv | xlsx
    encoding: str = "auto"
    delimiter: str = "auto"
    header_row: int | str = "auto"  # 1-based row of the column names, or "auto"
    sheet: str | int | None = None  # xlsx sheet name or 0-based index; None = first
    name: str = ""  # the source name in provenance (default: the file name)
    reliability: str = ""
    credibility: str = ""
    path: str | None = None  # a file named in the spec (relative to the spec file)
    columns: dict[str, str] = field(default_factory=dict)  # this source's name -> spec's name
    constants: dict[str, Constant] = field(default_factory=dict)  # column -> fixed value


@dataclass(frozen=True, slots=True)
class Constant:
    """A column every row of one source gets: fixed ``text`` (``{sheet}`` and ``{file}`` are
    the sheet and file names) or the text of one ``cell`` of the sheet ("A1": a title above
    the header), or the first match of ``pattern`` in it ("2016" from "Routes 2016")."""

    text: str
    pattern: str | None = None
    cell: str | None = None


_CELL = re.compile(r"^([A-Za-z]{1,3})([1-9][0-9]*)$")


def cell_position(ref: str) -> tuple[int, int] | None:
    """"B3" -> (2, 1): 0-based row and column; None for text that is not a cell."""
    m = _CELL.match(ref.strip())
    if m is None:
        return None
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


@dataclass(slots=True)
class AttributeSpec:
    name: str
    column: Template
    kind: Kind = Kind.TEXT
    date_formats: tuple[str, ...] = ()
    line: int = field(default=0, compare=False)


@dataclass(slots=True)
class FilterSpec:
    """A row passes when the (stripped) cell of ``column`` is ``in_`` the values, or is not
    in ``not_in``."""

    column: str
    in_: tuple[str, ...] | None = None
    not_in: tuple[str, ...] | None = None
    line: int = field(default=0, compare=False)

    @property
    def columns(self) -> list[str]:
        return [self.column]


@dataclass(slots=True)
class Condition:
    """Conditions combined: ``and`` (all pass), ``or`` (any passes), ``not`` (of one), so that
    "Transit empty and origin not Unknown" needs no second spec."""

    op: str  # "and" | "or" | "not"
    parts: list[FilterSpec | Condition]
    line: int = field(default=0, compare=False)

    @property
    def columns(self) -> list[str]:
        return [c for p in self.parts for c in p.columns]


When = FilterSpec | Condition


@dataclass(slots=True)
class EntitySpec:
    role: str
    type: str
    identity: Template
    label: Template | None = None
    split: str | None = None
    date: Template | None = None
    date_formats: tuple[str, ...] = ()
    lat: str | None = None
    lon: str | None = None
    attributes: list[AttributeSpec] = field(default_factory=list)
    when: When | None = None  # only rows that pass make this entity
    line: int = field(default=0, compare=False)


@dataclass(slots=True)
class LinkSpec:
    source: str  # role names
    target: str
    type: str
    label: Template | None = None
    direction: Direction = Direction.NONE
    strength: Strength = Strength.CONFIRMED
    date: Template | None = None
    date_formats: tuple[str, ...] = ()
    attributes: list[AttributeSpec] = field(default_factory=list)
    merge: bool = False  # one link per pair of ends (with every row in its provenance)
    line: int = field(default=0, compare=False)


@dataclass(slots=True)
class ImportSpec:
    sources: list[SourceSpec] = field(default_factory=lambda: [SourceSpec()])
    entities: dict[str, EntitySpec] = field(default_factory=dict)
    links: list[LinkSpec] = field(default_factory=list)
    filters: list[When] = field(default_factory=list)
    types: list[EntityType] = field(default_factory=list)
    link_types: list[LinkType] = field(default_factory=list)
    region: str | None = None
    name: str = "import specification"
    base: Path | None = None  # folder of the spec file, for relative source paths
    parts: list[ImportSpec] = field(default_factory=list)  # sheets with their own mappings

    def part_for_sheet(self, sheet: str | int | None) -> ImportSpec:
        """The part that reads ``sheet`` (the first part if none does); itself if no parts."""
        return next((p for p in self.parts if any(s.sheet == sheet for s in p.sources)),
                    self.parts[0] if self.parts else self)

    @property
    def source(self) -> SourceSpec:
        return self.sources[0]

    def columns_used(self) -> dict[str, tuple[str, int]]:
        """Every column the spec reads, with the key and line that reads it (for checking)."""
        used: dict[str, tuple[str, int]] = {}

        def add(template: Template | str | None, key: str, line: int) -> None:
            if template is None:
                return
            names = [template] if isinstance(template, str) else template.columns
            for name in names:
                used.setdefault(name, (key, line))

        for role, e in self.entities.items():
            for part, tpl in (("identity", e.identity), ("label", e.label), ("date", e.date),
                              ("lat", e.lat), ("lon", e.lon)):
                add(tpl, f"entities.{role}.{part}", e.line)
            for a in e.attributes:
                add(a.column, f"attributes.{role}.{a.name}", a.line)
            if e.when is not None:
                for column in e.when.columns:
                    add(column, f"entities.{role}.when", e.when.line)
        for i, lk in enumerate(self.links):
            for part, tpl in (("label", lk.label), ("date", lk.date)):
                add(tpl, f"links[{i}].{part}", lk.line)
            for a in lk.attributes:
                add(a.column, f"links[{i}].attributes.{a.name}", a.line)
        for i, f in enumerate(self.filters):
            for column in f.columns:
                add(column, f"filters[{i}]", f.line)
        return used

    def optional_columns(self) -> set[str]:
        """Columns read only as one of a choice ("{A}{B}", first_of): a file may lack them."""
        templates = [t for e in self.entities.values()
                     for t in (e.identity, e.label, e.date, *(a.column for a in e.attributes))]
        templates += [t for lk in self.links
                      for t in (lk.label, lk.date, *(a.column for a in lk.attributes))]
        optional: set[str] = set()
        required: set[str] = set()
        for t in templates:
            if t is None:
                continue
            for part in t.parts():
                if isinstance(part, tuple):
                    (optional if len(part) > 1 else required).update(part)
        return optional - required

    def check_columns(self, columns: list[str], where: str) -> None:
        """Refuse a file that lacks a column the spec reads: every missing column with the key
        (and line) that reads it, and the columns the file has, so that a spec written for
        another file says so plainly instead of failing on its first column.

        A column in a choice may be missing as long as another of its choice is there."""
        have = set(columns)
        optional = self.optional_columns()
        missing = [(c, k, ln) for c, (k, ln) in self.columns_used().items()
                   if c not in have and c not in optional]
        for e_key, t, line in self._choice_templates():
            for group in t.choices:
                if not have.intersection(group):
                    missing.append((" or ".join(group), e_key, line))
        if missing:
            raise SpecError(misfit(self.name, where, missing, columns))

    def _choice_templates(self) -> list[tuple[str, Template, int]]:
        out: list[tuple[str, Template, int]] = []
        for role, e in self.entities.items():
            for part, t in (("identity", e.identity), ("label", e.label), ("date", e.date)):
                if t is not None and t.choices:
                    out.append((f"entities.{role}.{part}", t, e.line))
            out += [(f"attributes.{role}.{a.name}", a.column, a.line) for a in e.attributes
                    if a.column.choices]
        for i, lk in enumerate(self.links):
            for part, t in (("label", lk.label), ("date", lk.date)):
                if t is not None and t.choices:
                    out.append((f"links[{i}].{part}", t, lk.line))
            out += [(f"links[{i}].attributes.{a.name}", a.column, a.line)
                    for a in lk.attributes if a.column.choices]
        return out


def misfit(name: str, where: str, missing: list[tuple[str, str, int]],
           columns: list[str]) -> str:
    """"spec.yaml does not fit data.csv: 2 columns are missing: 'A' (entities.a.identity,
    line 4), 'B' (...). The columns of data.csv are: 'X', 'Y'." (Lines only when known: a
    spec built in the wizard has none.)"""
    shown = [f"{col!r} ({key}{f', line {line}' if line else ''})"
             for col, key, line in missing[:10]]
    more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
    count = "1 column is" if len(missing) == 1 else f"{len(missing)} columns are"
    have = ", ".join(repr(c) for c in columns[:40])
    have += f" and {len(columns) - 40} more" if len(columns) > 40 else ""
    return (f"{name} does not fit {where}: {count} missing: {', '.join(shown)}{more}. "
            f"The columns of {where} are: {have or '(none)'}.")

"""Setting up an import: which file goes with which source, ids, placement, own types.

Small pieces the importer needs around the column work itself, kept apart so that
importer.py and import_table.py stay about the rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.io.importspec import ImportSpec, SourceSpec, SpecError
from workbench.io.readers import read_cell
from workbench.io.text_table import Table
from workbench.model import Chart, Entity, EntityType
from workbench.model.kinds import identity_key

GRID_SPACING = 90.0


# ----- a source's own column names and constants ------------------------------------------------
def source_frame(table: Table, source: SourceSpec) -> pd.DataFrame:
    """The table's columns as the spec names them: this source's renames applied (a rename
    of a column the file lacks is no error: one spec serves several years of a file), then
    its constants added as columns (a year from the sheet name, a fixed value)."""
    frame = table.frame
    if source.columns:
        frame = frame.rename(columns={k: v for k, v in source.columns.items()
                                      if k in frame.columns})
    if source.constants:
        frame = frame.copy(deep=False)
        names = {"sheet": table.sheet.strip(), "file": table.path.name}
        for name, constant in source.constants.items():
            text = constant.text
            for key, value in names.items():
                text = text.replace("{" + key + "}", value)
            if constant.cell is not None:
                text = read_cell(table, constant.cell)
            if constant.pattern is not None:
                found = re.search(constant.pattern, text)
                text = found.group(0) if found else ""
            frame[name] = text.strip()
    return frame


# ----- which file goes with which source -------------------------------------------------------
def pair_files(specs: ImportSpec | Sequence[ImportSpec], files: Sequence[str | Path]
          ) -> list[tuple[ImportSpec, SourceSpec, Path]]:
    if isinstance(specs, ImportSpec) and specs.parts:  # each part reads its own sheet
        return [job for part in specs.parts for job in pair_files(part, files)]
    if isinstance(specs, ImportSpec):
        spec = specs
        sources = spec.sources
        if not files:
            named = [s for s in sources if s.path]
            if not named:
                raise SpecError(f"{spec.name}: no data files given and no source names a path")
            base = spec.base or Path.cwd()
            return [(spec, s, base / s.path) for s in named]  # type: ignore[operator]
        paths = [Path(f) for f in files]
        if len(sources) == 1:
            return [(spec, sources[0], p) for p in paths]
        if len(paths) == 1:
            return [(spec, s, paths[0]) for s in sources]
        if len(paths) == len(sources):
            return [(spec, s, p) for s, p in zip(sources, paths, strict=True)]
        raise SpecError(f"{spec.name}: {len(sources)} sources but {len(paths)} files; give one "
                        "file, or one file per source")
    specs = list(specs)
    if len(specs) != len(files):
        raise SpecError(f"{len(specs)} specifications for {len(files)} files: give one each")
    return [job for s, f in zip(specs, files, strict=True) for job in pair_files(s, [f])]


def total_size(jobs: list) -> int:
    return sum(Path(p).stat().st_size for _, _, p in jobs if Path(p).is_file())


_ID = re.compile(r"^[a-z]+(\d+)$")


def first_free_id(chart: Chart) -> int:
    taken = [*chart.entities, *chart.links, *chart.held_ids]  # held: Unmerge gives them back
    numbers = [int(m.group(1)) for i in taken if (m := _ID.match(i))]
    return max(numbers, default=0) + 1


def place_grid(chart: Chart, entities: list[Entity]) -> None:
    """A square grid to the right of what is on the chart; a layout can tidy it later."""
    if not entities:
        return
    left = max((e.x for e in chart.entities.values()), default=-GRID_SPACING) + GRID_SPACING * 2
    top = min((e.y for e in chart.entities.values()), default=0.0)
    side = max(1, int(np.ceil(np.sqrt(len(entities)))))
    for i, e in enumerate(entities):
        e.x, e.y = left + (i % side) * GRID_SPACING, top + (i // side) * GRID_SPACING


class ChartWithTypes:
    """The chart as seen with the spec's own entity types, without changing the chart."""

    def __init__(self, chart: Chart, types: list[EntityType]) -> None:
        self._chart = chart
        self.catalogue = chart.catalogue.extended(types)
        self.region = chart.region
        self.entities, self.links = chart.entities, chart.links

    def find(self, type_name: str, key: str) -> Entity | None:
        return self._chart.find(type_name, key)

    def identity_for(self, type_name: str, raw: object) -> str:
        return identity_key(self.catalogue.entity_type(type_name).identity, raw,
                            region=self.region)

"""Report templates: which sections, which histograms and which attribute columns a report has.

A template is a small YAML file an analyst saves once ("weekly bank referral") and reuses on
every chart. It is loaded with a safe loader and checked key by key, so a typo is reported with
the file and the key instead of silently giving a different report. Example::

    format: workbench-report-template
    version: 1
    title: Referral to Example Bank      # default: the chart's title
    marking: OFFICIAL-SENSITIVE          # default: the chart's marking
    sections: [title, chart, histograms, timewheel, map, timeline, entities, links, sources]
    histograms: [link type, from, to, date, nationality]
    full_tables: false                   # true: every row in the report, not the top rows
    entity_attributes: [nationality, age]   # default: every attribute
    link_attributes: []
    entity_types: [Person, Phone]           # default: every type
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from workbench.io.atomic import atomic_path
from workbench.safe_yaml import YamlError, load_yaml

FORMAT = "workbench-report-template"
SECTIONS = ("title", "chart", "histograms", "timewheel", "map", "timeline", "entities", "links",
            "sources")
# Histograms that count a field rather than an attribute: "from" and "to" count the ends of
# links (origins, destinations), "date" counts dates by month (by year over a long span).
FIELD_HISTOGRAMS = ("entity type", "link type", "from", "to", "date", "source", "grade", "year")
# Chosen to say something on any chart; one that finds a single value is left out.
DEFAULT_HISTOGRAMS = ("entity type", "link type", "from", "to", "date")


class TemplateError(ValueError):
    """A template that cannot be used; the message names the file and the key."""


@dataclass(slots=True)
class ReportTemplate:
    title: str | None = None
    subtitle: str | None = None
    author: str | None = None
    marking: str | None = None
    sections: list[str] = field(default_factory=lambda: list(SECTIONS))
    histograms: list[str] = field(default_factory=lambda: list(DEFAULT_HISTOGRAMS))
    entity_attributes: list[str] | None = None  # None: every attribute
    link_attributes: list[str] | None = None
    entity_types: list[str] | None = None  # None: every type
    chart_width_px: int = 1600  # chart pictures: pixels across the page width (233 dpi)
    # False: tables show their top rows and the full tables go to a spreadsheet beside the
    # report; True: every row in the report (a long document).
    full_tables: bool = False

    def to_yaml(self) -> str:
        data = {"format": FORMAT, "version": 1,
                **{k: v for k, v in asdict(self).items() if v is not None}}
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)

    def save(self, path: str | os.PathLike[str]) -> None:
        text = self.to_yaml()
        with atomic_path(path) as tmp:
            Path(tmp).write_text(text, encoding="utf-8")


def _texts(value: Any, key: str, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TemplateError(f"{where}: '{key}' must be a list of names")
    return list(value)


def template_from_data(data: Any, where: str) -> ReportTemplate:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise TemplateError(f"{where}: not a Workbench report template (it needs "
                            f"'format: {FORMAT}')")
    if data.get("version", 1) != 1:
        raise TemplateError(f"{where}: template version {data.get('version')!r} is newer than "
                            "this Workbench understands (1)")
    known = {"format", "version", *ReportTemplate.__dataclass_fields__}
    unknown = sorted(set(data) - known)
    if unknown:
        raise TemplateError(f"{where}: unknown key(s) {unknown}; known: {sorted(known)}")
    template = ReportTemplate()
    for key in ("title", "subtitle", "author", "marking"):
        if data.get(key) is not None:
            if not isinstance(data[key], str):
                raise TemplateError(f"{where}: '{key}' must be text")
            setattr(template, key, data[key])
    if "sections" in data:
        sections = _texts(data["sections"], "sections", where)
        bad = [s for s in sections if s not in SECTIONS]
        if bad:
            raise TemplateError(f"{where}: unknown section(s) {bad}; known: {list(SECTIONS)}")
        template.sections = sections
    if "histograms" in data:
        template.histograms = _texts(data["histograms"], "histograms", where)
    for key in ("entity_attributes", "link_attributes", "entity_types"):
        if data.get(key) is not None:
            setattr(template, key, _texts(data[key], key, where))
    if "full_tables" in data:
        if not isinstance(data["full_tables"], bool):
            raise TemplateError(f"{where}: 'full_tables' must be true or false")
        template.full_tables = data["full_tables"]
    if "chart_width_px" in data:
        width = data["chart_width_px"]
        if not isinstance(width, int) or not 200 <= width <= 10000:
            raise TemplateError(f"{where}: 'chart_width_px' must be a whole number 200-10000")
        template.chart_width_px = width
    return template


def load_template(path: str | os.PathLike[str]) -> ReportTemplate:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TemplateError(f"{path}: {exc.strerror or exc}") from None
    try:
        data = load_yaml(text, path.name)  # no aliases, bounded depth, unique keys
    except YamlError as exc:
        raise TemplateError(str(exc)) from None
    return template_from_data(data, path.name)

"""Countries in an import: one entity per country however the rows spell it.

The identity (the ISO code) comes from the model's country names (workbench.model.countries,
resource-backed: io may not reach the geo layer's gazetteer). Here the import adds what the
analyst needs around it: the English name as the default label, every spelling the rows used
kept in an ``aliases`` attribute, and, for a name that is no known country, the near misses
("United Kingdon" -> "United Kingdom") offered in the report. A near miss is never merged:
it stays its own entity until the analyst decides. A chart saved before Country identities were
ISO codes keyed them by folded name; opening it re-keys them (model/rekey.py), and the ones it
could not (a second spelling of a country already keyed) are still found here by that name.

Locations (towns, regions) are named by the gazetteer when the caller passes its namer (io
sits below geo): "lagos", "Lagos, Nigeria" become one Location "Lagos, Nigeria", the spellings
kept in ``aliases`` like a country's; a chart keyed by the folded text before is still found.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from workbench.io.import_report import WARNING
from workbench.model import Kind
from workbench.model.countries import country_names
from workbench.model.kinds import clean_name

ALIASES = "aliases"


PlaceNamer = Callable[[str], "str | None"]  # a place's text -> its gazetteer name, or None
LOCATION = "Location"  # the entity type whose identities a PlaceNamer names


def is_country_type(chart, type_name: str) -> bool:
    return chart.catalogue.entity_type(type_name).identity is Kind.COUNTRY


def is_location_type(type_name: str) -> bool:
    return type_name == LOCATION


def place_names(raws: pd.Series, namer: PlaceNamer) -> pd.Series:
    """Each text as the gazetteer names the place ("lagos " -> "Lagos, Nigeria"), asked once
    per distinct text; a text it cannot place (unknown, or a city name shared by cities of
    similar size) stays as written, never forced onto a wrong place."""
    codes, uniques = pd.factorize(raws)
    named = np.array([namer(u) or u for u in uniques.tolist()], dtype=object)
    return pd.Series(named[codes] if len(codes) else [], index=raws.index, dtype=object)


def country_labels(keys: list[str], used: np.ndarray, written: np.ndarray) -> list[str]:
    """The English name of each known country, else the name as its first row wrote it."""
    names = country_names().names
    return [names.get(keys[c], w) for c, w in zip(used.tolist(), written, strict=True)]


def older_keys(raws: pd.Series) -> list[str]:
    """The identities charts saved before Country identities were ISO codes gave these names
    (the folded name), so that importing into such a chart merges instead of doubling."""
    return [clean_name(r) for r in raws.tolist()]


def spellings(raws: pd.Series, codes: np.ndarray) -> dict[int, list[str]]:
    """Key code -> the distinct spellings its rows used, in order of first use."""
    pairs = pd.DataFrame({"code": codes, "raw": raws.to_numpy(dtype=object)}).drop_duplicates()
    out: dict[int, list[str]] = {}
    for c, raw in zip(pairs["code"].tolist(), pairs["raw"].tolist(), strict=True):
        out.setdefault(c, []).append(raw)
    return out


def suggest(issue, pos: np.ndarray, raws: pd.Series, codes: np.ndarray, keys: list[str],
            column: str) -> None:
    """A warning, row by row, for each name that is not a known country but is close to one."""
    names = country_names()
    known = set(names.names)
    hints: dict[int, list[str]] = {}
    for c, key in enumerate(keys):
        if key not in known:
            hints[c] = names.suggest(key)
    for i in np.flatnonzero([bool(hints.get(c)) for c in codes.tolist()]):
        issue.report.suggestions.setdefault(str(raws.iloc[i]), hints[codes[i]])
        hint = " or ".join(repr(h) for h in hints[codes[i]])
        issue(pos[i], column, raws.iloc[i], f"not a known country; did you mean {hint}? Kept "
              "as its own entity: merge it by hand if it is the same", WARNING,
              f"names in {column!r} are not known countries but close to one, such as "
              "{example}; kept apart, see the report for suggestions")

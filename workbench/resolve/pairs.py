"""A candidate pair: two entities that may be one person, phone or firm, with how sure and why.

Shared by the matcher (which finds pairs), the review dock and the command line (which show
and decide them), so every part speaks of a pair the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

AGREE = "agree"
DISAGREE = "disagree"
MISSING = "missing"


@dataclass(frozen=True)
class Candidate:
    """Entities ``a`` and ``b`` (entity ids, ``a < b``) and the probability they are one.

    ``evidence`` maps a compared field (``"name"``, ``"date of birth"``, ``"phone"``, ...) to
    ``(verdict, detail)``: verdict one of AGREE, DISAGREE, MISSING; detail a short phrase a
    reviewer reads ("same after transliteration", "1985 vs 1986").
    """

    a: str
    b: str
    probability: float
    evidence: dict[str, tuple[str, str]] = field(default_factory=dict)

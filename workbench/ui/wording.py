"""Counts in plain English for what the window says: "1 link", "2 links", "1 entity".

Messages are read by analysts and quoted in notes; "1 links" reads as a bug and makes the
reader doubt the number. One helper, so every message counts the same way.
"""

from __future__ import annotations

IRREGULAR = {"entity": "entities", "analysis": "analyses", "match": "matches",
             "copy": "copies", "is": "are", "was": "were"}


def plural(count: int, word: str, many: str = "") -> str:
    """``count`` and ``word`` as English: plural(1, "link") == "1 link",
    plural(1200, "entity") == "1,200 entities"; ``many`` gives an unusual plural."""
    if count == 1:
        return f"1 {word}"
    return f"{count:,} {many or IRREGULAR.get(word) or word + 's'}"

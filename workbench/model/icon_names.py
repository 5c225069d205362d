"""Which icon names exist, so that a catalogue or an import spec with a typo is refused.

Entity icons are qtawesome names ("mdi6.account"). A misspelt name used to be accepted and
drawn as the fallback question mark, which the analyst noticed only on the chart, if at all.
The names are read from the charmap files qtawesome ships (JSON beside its fonts), located
without importing qtawesome, so the model stays free of Qt. Chart files are not checked: a
chart from a colleague with an icon this installation lacks still opens, drawn with the
fallback.
"""

from __future__ import annotations

import difflib
import importlib.util
import json
from functools import cache
from pathlib import Path

IMAGE_PREFIX = "image:"  # an icon from the chart's embedded images
# charmap file name (up to "-webfont"/"-charmap") -> qtawesome's prefix
_PREFIXES = {"fontawesome5-regular": "fa5", "fontawesome5-solid": "fa5s",
             "fontawesome5-brands": "fa5b", "fontawesome6-regular": "fa6",
             "fontawesome6-solid": "fa6s", "fontawesome6-brands": "fa6b",
             "elusiveicons": "ei", "materialdesignicons5": "mdi",
             "materialdesignicons6": "mdi6", "phosphor": "ph", "remixicon": "ri",
             "codicon": "msc"}


@cache
def icon_names() -> frozenset[str]:
    """Every "prefix.name" qtawesome can draw (empty when it is not installed: then no
    name can be checked and none is refused)."""
    spec = importlib.util.find_spec("qtawesome")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    fonts = Path(next(iter(spec.submodule_search_locations))) / "fonts"
    names: set[str] = set()
    for path in fonts.glob("*-charmap-*.json"):
        family = path.name.split("-webfont")[0].split("-charmap")[0]
        prefix = _PREFIXES.get(family)
        if prefix is not None:
            names.update(f"{prefix}.{n}" for n in json.loads(path.read_text("utf-8")))
    return frozenset(names)


def unknown_icon(name: str) -> str | None:
    """None for a name that exists (or an embedded image); else a sentence with the nearest
    names: "unknown icon 'mdi6.acount'; did you mean 'mdi6.account'?"."""
    known = icon_names()
    if not known or name in known or name.startswith(IMAGE_PREFIX):
        return None
    prefix = name.split(".", 1)[0] + "."
    same_font = [n for n in known if n.startswith(prefix)] or list(known)
    close = difflib.get_close_matches(name, same_font, n=3, cutoff=0.6)
    hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else \
        "names look like 'mdi6.account' (Material Design Icons 6, see " \
        "https://pictogrammers.com/library/mdi/)"
    return f"unknown icon {name!r}; {hint}"

"""The README's and docs/'s links to each other reach a file that is there, and a heading
that is there (by GitHub's rule for a heading's anchor), so a reader following "its full
record" from the README's Performance table, or a record's link to docs/store.md, lands on
it rather than on GitHub's 404."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import REPO

PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)


def anchors(page: Path) -> set[str]:
    """Each heading's anchor as GitHub makes it: lower case, markup and punctuation but
    hyphens and underscores dropped, each space a hyphen, a repeat numbered."""
    seen: dict[str, int] = {}
    found = set()
    for line in FENCE.sub("", page.read_text(encoding="utf-8")).splitlines():
        heading = re.match(r"#{1,6} (.*)", line)
        if not heading:
            continue
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.group(1).strip())
        slug = re.sub(r"[^\w\- ]", "", text.replace("`", "").lower()).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        found.add(slug if n == 0 else f"{slug}-{n}")
    return found


def local_links(page: Path) -> list[str]:
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    return [target for target in LINK.findall(text)
            if not re.match(r"[a-z]+:", target) and not target.startswith("<")]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_each_link_between_the_pages_lands_on_a_file_and_heading_that_are_there(page):
    broken = []
    for target in local_links(page):
        path, _, anchor = target.partition("#")
        where = (page.parent / path).resolve() if path else page
        if not where.exists():
            broken.append(f"{target}: no file {os.path.relpath(where, REPO)}")
        elif anchor and where.suffix == ".md" and anchor not in anchors(where):
            broken.append(f"{target}: no such heading in {where.name}")
    assert not broken, "\n".join(broken)

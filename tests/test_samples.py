"""The committed sample charts are exactly what scripts/build_samples.py builds from the data
beside them (sample_charts/data), through the real import, layout and formatting."""

from __future__ import annotations

import importlib.util

import pytest

from workbench.io import load_chart

from .conftest import REPO

spec = importlib.util.spec_from_file_location("build_samples",
                                              REPO / "scripts" / "build_samples.py")
build_samples = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_samples)


@pytest.mark.parametrize("sample", build_samples.SAMPLE_CHARTS, ids=lambda s: s[0])
def test_committed_sample_matches_what_the_script_builds(sample):
    file_name, title, description, parts = sample
    built = build_samples.build(REPO / "sample_charts" / "data", file_name, title,
                                description, parts)
    committed = load_chart(REPO / "sample_charts" / file_name)
    assert committed.title == title and committed.description == description
    assert committed == built, f"{file_name} is stale: run python scripts/build_samples.py"
    assert committed.settings.get("formatting"), "samples ship with conditional formatting"

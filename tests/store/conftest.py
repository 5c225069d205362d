"""A store holding the three sample data sets and the Nov13 people, built once per session
(about four seconds); tests that change a store make their own."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA, REPO
from workbench.geo.places import place_namer
from workbench.io.importspec import load_spec
from workbench.store import DuckStore, open_store

SAMPLES = REPO / "sample_charts"
HERE = Path(__file__).resolve().parent
IMPORTS = [  # (spec, data file) in the order they go into the store
    (SAMPLES / "specs" / "call-records.yaml", SAMPLES / "data" / "vast2008_call_records.csv"),
    (SAMPLES / "specs" / "nov13-relationships.yaml",
     SAMPLES / "data" / "nov13_relationships.csv"),
    (SAMPLES / "specs" / "nov13-attackers.yaml", SAMPLES / "data" / "nov13_node_details.csv"),
    (SAMPLES / "specs" / "trafficking-routes.yaml",
     SAMPLES / "data" / "trafficking_routes_2008_2016.csv"),
    (HERE / "data" / "nov13-persons.yaml", DATA / "nov13_persons.csv"),
]


def version_2_store(name: str, folder: Path) -> Path:
    """A store as Workbench wrote format version 2 (made by that code from the files named
    in its name, kept gzipped in tests/store/data): ``samples`` holds IMPORTS, ``people``
    test_store_resolve.py's two sources."""
    path = folder / f"{name}-v2.wbstore"
    with gzip.open(HERE / "data" / f"{name}-v2.wbstore.gz", "rb") as src, \
            path.open("wb") as out:
        shutil.copyfileobj(src, out)
    return path


def import_into(store: DuckStore, spec: Path, data: Path, **options):
    """As ``workbench store import`` does it: Locations named by the gazetteer."""
    return store.import_files(load_spec(spec), spec.read_text(encoding="utf-8"), [data],
                              places=place_namer(), **options)


@pytest.fixture(scope="session")
def sample_store_path(tmp_path_factory) -> Path:
    if not DATA.is_dir():
        pytest.skip("../shared/data is not beside this checkout")
    path = tmp_path_factory.mktemp("store") / "samples.wbstore"
    with open_store(path, create=True) as store:
        for spec, data in IMPORTS:
            import_into(store, spec, data)
    return path


@pytest.fixture
def sample_store(sample_store_path: Path):
    with open_store(sample_store_path, read_only=True) as store:
        yield store

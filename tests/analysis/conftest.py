"""Charts built from the real data in ../shared/data, the way an analyst's import would."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from workbench.io import load_chart
from workbench.model import Chart, Direction, Entity, Kind, Link, Value, identity_key

from ..conftest import DATA, REPO

SAMPLE = REPO / "sample_charts" / "nov13-network.wbchart"
# ../shared/data beside the checkout; a worktree sits one level deeper (wt/NAME).
DATA = next((d for d in (DATA, REPO.parent.parent / "shared" / "data") if d.is_dir()), DATA)


def route_frame(data: Path) -> pd.DataFrame:
    """Route rows with an origin and a destination; the origin is in one of two columns,
    depending on the report year (the data's own messiness)."""
    df = pd.read_csv(data / "trafficking_routes_2008_2016.csv")
    df["origin"] = df["Origin_Country"].fillna(df["Origin Country/Region"])
    df = df.dropna(subset=["origin", "Destination_Country"]).copy()
    # one Country entity per country however it is spelt ("UK", "U.K.": its identity is the
    # ISO code), named by the first spelling met, as the chart built from these rows names it
    first: dict[str, str] = {}
    for o, d in zip(df["origin"], df["Destination_Country"], strict=True):
        for name in (o, d):
            first.setdefault(identity_key(Kind.COUNTRY, name), " ".join(name.split()))
    for column in ("origin", "Destination_Country"):
        df[column] = df[column].map(lambda n: first[identity_key(Kind.COUNTRY, n)])
    return df


def build_route_chart(data: Path) -> Chart:
    chart = Chart("Trafficking routes 2008-2016")
    links: list[Link] = []
    for row in route_frame(data).itertuples():
        origin = chart.make_entity("Country", " ".join(row.origin.split()), identity=row.origin)
        dest = chart.make_entity("Country", " ".join(row.Destination_Country.split()),
                                 identity=row.Destination_Country)
        attributes = {"Year": Value(Kind.NUMBER, int(row.Years))}
        if isinstance(row.Sector, str) and row.Sector.strip():
            attributes["Sector"] = Value(Kind.TEXT, row.Sector.strip())
        links.append(Link(chart.new_id("l"), origin.id, dest.id, "Trafficked to",
                          direction=Direction.FORWARD, attributes=attributes,
                          date=datetime(int(row.Years), 1, 1)))
    chart.add_links(links)  # one batch, as an importer does
    return chart


def build_call_chart(data: Path) -> Chart:
    """VAST 2008 call records: a Person per caller id, a Calls link per call, with its time."""
    chart = Chart("VAST 2008 calls")
    links: list[Link] = []
    df = pd.read_csv(data / "vast2008_call_records.csv", dtype={"From": str, "To": str})
    for row in df.itertuples(index=False):
        a = chart.make_entity("Person", f"Caller {row[0]}", identity=f"caller {row[0]}")
        b = chart.make_entity("Person", f"Caller {row[1]}", identity=f"caller {row[1]}")
        when = datetime.strptime(str(row[2]), "%Y%m%d %H%M")
        links.append(Link(chart.new_id("l"), a.id, b.id, "Calls", direction=Direction.FORWARD,
                          date=when, attributes={"Duration": Value(Kind.NUMBER, int(row[3]))}))
    chart.add_links(links)
    return chart


def random_chart(entities: int, links: int, seed: int = 4) -> Chart:
    """A random chart built in two batches (as an import is)."""
    import random

    rng = random.Random(seed)
    chart = Chart("random")
    chart.add_entities(Entity(f"e{i}", "Person", f"Person {i}") for i in range(entities))
    ids = list(chart.entities)
    chart.add_links(Link(f"l{i}", *rng.sample(ids, 2), "Associate") for i in range(links))
    return chart


def hub_chart(entities: int, seed: int = 11, arrows: bool = False) -> Chart:
    """Two links per entity by preferential attachment, as call and payment networks grow:
    a few hubs with thousands of links, most entities with one or two (the shape of
    benchmarks/bench_analysis.py's chart); with ``arrows`` most links have a direction."""
    import random

    rng = random.Random(seed)
    chart = Chart("hubs")
    chart.add_entities(Entity(f"e{i}", "Phone", f"Phone {i}") for i in range(entities))
    ends = [0, 1]
    links = []
    for i in range(2 * entities):
        a = i // 2
        b = rng.choice(ends) if rng.random() < 0.8 else rng.randrange(entities)
        b = (b + 1) % entities if a == b else b
        ends += [a, b]
        direction = Direction.FORWARD if arrows and i % 5 else Direction.NONE
        links.append(Link(f"l{i}", f"e{a}", f"e{b}", "Calls", direction=direction))
    chart.add_links(links)
    return chart


@pytest.fixture(scope="session")
def route_chart() -> Chart:
    if not DATA.is_dir():
        pytest.skip("../shared/data is not beside this checkout")
    return build_route_chart(DATA)


@pytest.fixture(scope="session")
def routes() -> pd.DataFrame:
    if not DATA.is_dir():
        pytest.skip("../shared/data is not beside this checkout")
    return route_frame(DATA)


@pytest.fixture(scope="session")
def call_chart() -> Chart:
    if not DATA.is_dir():
        pytest.skip("../shared/data is not beside this checkout")
    return build_call_chart(DATA)


@pytest.fixture
def shared_data() -> Path:
    """As tests/conftest.py's, but also found from a worktree (wt/NAME)."""
    if not DATA.is_dir():
        pytest.skip("../shared/data is not beside this checkout")
    return DATA


@pytest.fixture
def nov13() -> Chart:
    return load_chart(SAMPLE)

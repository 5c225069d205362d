"""Hostile text in every field that reaches a route map: it arrives as the same characters,
as data, and nothing in it runs (issue 11, item 1).

The map HTML used to be assembled by folium/branca, which compile the text they are given as
Jinja templates: a place called ``{{ 7*7 }}`` was drawn as "49" and a label could call
``os``. Each map here is built through ``workbench map`` and the Python API, and the page is
opened in a real headless Chromium with its network log on.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.geo import chromium
from tests.hostile.payloads import CONTROL_PAYLOADS, MARKUP_PAYLOADS, TEMPLATE_PAYLOADS
from workbench.cli import main
from workbench.geo.interactive import route_map_html, save_html
from workbench.geo.routes import RouteOptions, build_routes
from workbench.io import save_chart
from workbench.model import Chart, Direction, Kind, SourceRecord, Value

PAYLOADS = TEMPLATE_PAYLOADS + MARKUP_PAYLOADS
KIND = "{{ 7*7 }} <b>kind</b> {% raw %}"  # the name of the attribute routes are coloured by


def hostile_chart(payloads: tuple[str, ...], title: str = "{{ 7*7 }} chart") -> Chart:
    """One place per payload (named by it) with a route to Italy; the route's link type, label
    and source name are the payload too, and so are its attributes (named by every payload and
    by ``KIND``, each holding this route's payload)."""
    chart = Chart(title)
    italy = chart.make_entity("Country", "Italy", identity="Italy")
    for i, text in enumerate(payloads):
        source = [SourceRecord(source=text, file=f"{text}.csv")]
        place = chart.make_entity("Location", text, coordinates=(-30.0 + 4 * i, -60 + 9 * i),
                                  provenance=source)
        attributes = {name: Value(Kind.TEXT, text) for name in (KIND, *payloads)}
        chart.make_link(place.id, italy.id, text, direction=Direction.FORWARD,
                        label=text, attributes=attributes, provenance=source)
    return chart


def page_data(html: str) -> dict:
    """The page's data element, parsed as the page script parses it."""
    found = re.search(r'<script type="application/json" id="wb-data">(.*?)</script>', html,
                      re.S)
    assert found, "the page has no data element"
    return json.loads(found.group(1))


def assert_intact(html: str, payloads: tuple[str, ...], title: str, colour_by: str) -> None:
    """Every text reached the page's data as the same characters, and nothing ran."""
    data = page_data(html)
    assert data["title"] == title
    assert {s["label"] for s in data["spots"]} == {*payloads, "Italy"}
    assert data["legend"]["colourBy"] == colour_by
    shown = {item["text"] for item in data["legend"]["items"]} - {"3 other values"}
    assert shown <= set(payloads) and len(shown) == min(len(payloads), 12)
    tips = [line for route in data["routes"] for line in route["tip"]]
    for text in payloads:
        assert f"{text} → Italy" in tips
        assert f"{colour_by}: {text}" in tips
    assert os.getcwd() not in html  # "{{ cycler...os.getcwd() }}" did not run
    # Only our own four script elements: no markup from a label became an element.
    assert len(re.findall(r"<script\b", html)) == 4
    assert html.count("</script>") == 4


@pytest.mark.parametrize("colour_by", [KIND, "link type"])
def test_the_python_api_passes_every_text_as_data(colour_by: str, tmp_path: Path) -> None:
    chart = hostile_chart(PAYLOADS)
    routes = build_routes(chart, RouteOptions(link_types=PAYLOADS, colour_by=colour_by))
    for title in PAYLOADS:
        html = route_map_html(routes, title=title)
        assert_intact(html, PAYLOADS, title, colour_by)
        escaped = (title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                   .replace('"', "&quot;"))
        assert f"<title>{escaped}</title>" in html


def test_a_template_that_would_call_os_does_nothing(tmp_path: Path) -> None:
    owned = tmp_path / "owned"
    payload = f"{{{{ cycler.__init__.__globals__.os.mkdir({str(owned)!r}) }}}}"
    chart = hostile_chart((payload, "{% raw %}"), title=payload)
    page = save_html(build_routes(chart, RouteOptions(link_types=(payload, "{% raw %}"),
                                                      colour_by=KIND)),
                     tmp_path / "map.html", title=payload)
    assert not owned.exists()
    assert page_data(page.read_text(encoding="utf-8"))["title"] == payload


def test_control_characters_and_lone_surrogates_do_not_break_the_page(tmp_path: Path) -> None:
    chart = hostile_chart(CONTROL_PAYLOADS)
    routes = build_routes(chart, RouteOptions(link_types=CONTROL_PAYLOADS, colour_by=KIND))
    for title in CONTROL_PAYLOADS:
        page = save_html(routes, tmp_path / "control.html", title=title)
        html = page.read_text(encoding="utf-8")
        assert_intact(html, CONTROL_PAYLOADS, title, KIND)


@pytest.fixture(scope="module")
def chart_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hostile.wbchart"
    save_chart(hostile_chart(PAYLOADS), path)
    return path


@pytest.mark.parametrize("title", PAYLOADS)
def test_workbench_map_passes_every_text_as_data(title: str, chart_file: Path, tmp_path: Path,
                                                 capsys) -> None:
    out = tmp_path / "map.html"
    colour_by = title  # a colour attribute named by the payload, whose values are payloads
    code = main(["map", str(chart_file), "-o", str(out), "--title", title,
                 "--colour-by", colour_by, "--link-types", *PAYLOADS])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert "Traceback" not in printed.err
    assert_intact(out.read_text(encoding="utf-8"), PAYLOADS, title, colour_by)


def test_workbench_map_as_a_command_with_raw_blocks(chart_file: Path, tmp_path: Path) -> None:
    """``{% raw %}`` in a label crashed ``map`` with a traceback."""
    out = tmp_path / "raw.html"
    done = subprocess.run([sys.executable, "-m", "workbench", "map", str(chart_file), "-o",
                           str(out), "--title", "{% raw %}", "--colour-by", "link type",
                           "--link-types", *PAYLOADS],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert_intact(out.read_text(encoding="utf-8"), PAYLOADS, "{% raw %}", "link type")


# ----- in a real browser --------------------------------------------------------------------
PROBE_START = """<script>
window.wbProbe = {alerts: [], requests: []};
window.alert = window.confirm = window.prompt = function (m) { wbProbe.alerts.push(String(m)); };
var wbFetch = window.fetch;
window.fetch = function (u) {
  wbProbe.requests.push(String(u)); return wbFetch.apply(this, arguments);
};
</script>"""
PROBE_END = """<script>
window.addEventListener('load', function () {
  wbRoutes.routes.forEach(function (r) { r.arrow.openTooltip(); });
  function texts(selector) {
    return [].map.call(document.querySelectorAll(selector), function (e) { return e.textContent; });
  }
  var out = document.createElement('pre'); out.id = 'wb-probe';
  out.textContent = JSON.stringify({
    alerts: wbProbe.alerts, requests: wbProbe.requests, title: document.title,
    labels: texts('.wb-label'), legend: texts('.wb-legend span'), heading: texts('.wb-legend h4'),
    tips: texts('.leaflet-tooltip:not(.wb-label) .wb-tip > *'),
    images: document.images.length, scripts: document.scripts.length,
    bodyAttributes: document.body.attributes.length});
  document.body.appendChild(out);
});
</script>"""


def _probe(html: str) -> str:
    """The page with a probe: records alert/fetch calls from the first moment, then reads back
    what a reader sees (tooltips opened)."""
    head = html.index("<head>") + len("<head>")
    html = html[:head] + PROBE_START + html[head:]
    return html.replace("</body>", PROBE_END + "</body>")


def _page_requests(net_log: Path) -> list[str]:
    """Every URL the page asked for (Chromium's own update and time checks, made with "not an
    origin" as initiator, are not the page's), other than local files and data."""
    log = json.loads(net_log.read_text(encoding="utf-8"))
    kinds = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    urls: dict[int, str] = {}
    from_page: set[int] = set()
    for event in log["events"]:
        params, source = event.get("params", {}), event["source"]["id"]
        if "url" in params:
            urls.setdefault(source, params["url"])
        if kinds[event["type"]] == "URL_REQUEST_START_JOB" and \
                params.get("initiator", "not an origin") != "not an origin":
            from_page.add(source)
    return sorted(url for source, url in urls.items()
                  if source in from_page and not url.startswith(("file:", "data:")))


def test_the_network_log_sees_a_request_from_a_page(tmp_path: Path) -> None:
    """The check below is not blind: an image from the network is seen."""
    page = tmp_path / "leak.html"
    page.write_text('<img src="http://example.invalid/leak.png">', encoding="utf-8")
    net_log = tmp_path / "net.json"
    chromium.run(page, tmp_path / "profile", "--dump-dom", f"--log-net-log={net_log}",
                 budget_ms=2000)
    assert _page_requests(net_log) == ["http://example.invalid/leak.png"]


@pytest.mark.parametrize("payloads", [TEMPLATE_PAYLOADS, MARKUP_PAYLOADS],
                         ids=["template", "markup"])
def test_in_chromium_no_script_runs_and_no_request_leaves(payloads: tuple[str, ...],
                                                          tmp_path: Path) -> None:
    chart = hostile_chart(payloads)
    title = " | ".join(payloads)
    routes = build_routes(chart, RouteOptions(link_types=payloads, colour_by=KIND))
    page = tmp_path / "map.html"
    page.write_text(_probe(route_map_html(routes, title=title)), encoding="utf-8")
    net_log = tmp_path / "net.json"
    dom = chromium.run(page, tmp_path / "profile", "--dump-dom", f"--log-net-log={net_log}")
    found = re.search(r'<pre id="wb-probe">(.*?)</pre>', dom, re.S)
    assert found, "the page script did not finish"
    seen = json.loads(found.group(1).replace("&lt;", "<").replace("&gt;", ">")
                      .replace("&amp;", "&"))
    assert seen["alerts"] == [] and seen["requests"] == []
    assert _page_requests(net_log) == []
    assert seen["images"] == 0 and seen["scripts"] == 6 and seen["bodyAttributes"] == 0
    # A reader sees every text as the same characters.
    assert seen["title"] == title
    assert set(seen["labels"]) == {*payloads, "Italy"}
    assert seen["heading"] == [f"Routes by {KIND}"]
    assert set(payloads) <= set(seen["legend"])
    for text in payloads:
        assert f"{text} → Italy" in seen["tips"]
        assert f"{KIND}: {text}" in seen["tips"]
    assert "49" not in seen["labels"] and "49" not in seen["legend"]


def test_no_module_uses_a_library_that_compiles_page_text_as_a_template() -> None:
    """folium and branca compile the element text they are given as Jinja source; nothing in
    Workbench may hand them (or Jinja itself) text from a chart again."""
    banned = {"folium", "branca", "jinja2"}
    found = []
    for path in sorted((Path(__file__).parents[2] / "workbench").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.name}: {n}" for n in names if n.split(".")[0] in banned]
    assert found == []

"""Build the double-clickable app with PyInstaller, then smoke-test what was built.

    python packaging/build.py            # build for this platform and smoke-test it
    python packaging/build.py --smoke    # only smoke-test an existing build

Run it on Windows for Workbench.exe (then Inno Setup for the installer), on macOS for
Workbench.app, and on Linux to check the spec before anyone builds on the other two. Needs
`pip install -e ".[package]"`.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUILD = REPO / "build"
ICONS = BUILD / "icons"
DIST = BUILD / "dist" / "Workbench"
SAMPLE = REPO / "sample_charts" / "nov13-network.wbchart"
SIZES = (16, 32, 48, 64, 128, 256, 512, 1024)


def render_icons() -> None:
    """SVG (ours, in resources/icons) to PNG, ICO and ICNS for the installers."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer
    from PySide6.QtWidgets import QApplication

    _app = QApplication.instance() or QApplication([])
    ICONS.mkdir(parents=True, exist_ok=True)
    for name in ("workbench", "wbchart-file"):
        renderer = QSvgRenderer(str(REPO / "resources" / "icons" / f"{name}.svg"))
        pngs = []
        for size in SIZES:
            image = QImage(size, size, QImage.Format.Format_ARGB32)
            image.fill(QColor(0, 0, 0, 0))
            painter = QPainter(image)
            renderer.render(painter, QRectF(0, 0, size, size))
            painter.end()
            png = ICONS / f"{name}-{size}.png"
            image.save(str(png))
            pngs.append(png)
        biggest = Image.open(pngs[-1])
        biggest.save(ICONS / f"{name}.ico", sizes=[(s, s) for s in SIZES if s <= 256])
        biggest.save(ICONS / f"{name}.icns")


def build() -> None:
    render_icons()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
         "--distpath", str(BUILD / "dist"), "--workpath", str(BUILD / "work"),
         str(REPO / "packaging" / "workbench.spec")],
        check=True, cwd=REPO,
    )


def smoke_test() -> None:
    """The built program opens a sample chart headless and writes a picture of it."""
    cli = DIST / ("workbench-cli.exe" if os.name == "nt" else "workbench-cli")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with tempfile.TemporaryDirectory() as tmp:
        frozen_sample = DIST / "_internal" / "sample_charts" / SAMPLE.name
        chart = frozen_sample if frozen_sample.exists() else SAMPLE
        info = subprocess.run([str(cli), "info", "--json", str(chart)], env=env,
                              capture_output=True, text=True, timeout=300)
        if info.returncode != 0 or '"entities"' not in info.stdout:
            raise SystemExit(f"smoke test failed: info\n{info.stdout}\n{info.stderr}")
        print("info: ok")
        help_text = subprocess.run([str(cli), "--help"], env=env, capture_output=True,
                                   text=True, timeout=300).stdout
        if re.search(r"^\s+export\s", help_text, re.MULTILINE):
            png = Path(tmp) / "chart.png"
            done = subprocess.run([str(cli), "export", str(chart), "-o", str(png)], env=env,
                                  capture_output=True, text=True, timeout=300)
            if done.returncode != 0 or not png.exists() or png.read_bytes()[:4] != b"\x89PNG":
                raise SystemExit(f"smoke test failed: export\n{done.stdout}\n{done.stderr}")
            print(f"export: ok ({png.stat().st_size:,} bytes)")
        routes = DIST / "_internal" / "sample_charts" / "trafficking-routes.wbchart"
        html = Path(tmp) / "routes.html"
        done = subprocess.run([str(cli), "map", str(routes), "-o", str(html), "--min-count", "5"],
                              env=env, capture_output=True, text=True, timeout=300)
        if done.returncode != 0 or "L.map" not in html.read_text(encoding="utf-8"):
            raise SystemExit(f"smoke test failed: map\n{done.stdout}\n{done.stderr}")
        if "<script src=\"http" in html.read_text(encoding="utf-8"):
            raise SystemExit("smoke test failed: the map loads scripts from the network")
        print(f"map: ok ({html.stat().st_size:,} bytes, Leaflet embedded)")
        gui = DIST / ("Workbench.exe" if os.name == "nt" else "Workbench")
        window = subprocess.Popen([str(gui), str(chart)], env=env, stderr=subprocess.PIPE,
                                  text=True)
        try:
            _, errors = window.communicate(timeout=15)
            raise SystemExit(f"smoke test failed: the app quit at once\n{errors}")
        except subprocess.TimeoutExpired:
            window.kill()
            window.communicate()
        print("app: ok (still running with the sample chart after 15 s)")
    print(f"smoke test passed: {DIST}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="only smoke-test the build")
    args = parser.parse_args()
    if not args.smoke:
        build()
    smoke_test()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Vendor the dashboard's JavaScript (ECharts, topojson-client), its world map (world-atlas: Natural Earth
boundaries) and the API docs' Swagger UI: `npm ci` from the repo's lock file, then copy the minified files.

The copied files in src/communique/interfaces/web/static/vendor/ are committed, so people who
`pip install` communique need neither npm nor a network (and the dashboard uses no CDN).
Run this only to upgrade a library: edit package.json, run
`npm install --package-lock-only --ignore-scripts`, then `python3 scripts/vendor_js.py`.
npm runs in a temporary folder, so no node_modules/ is left in the working tree.

Example: python3 scripts/vendor_js.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "src" / "communique" / "interfaces" / "web" / "static" / "vendor"
# (file inside node_modules, name in static/vendor): the bundle and the licences of all it contains
FILES: tuple[tuple[str, str], ...] = (
    ("echarts/dist/echarts.min.js", "echarts.min.js"),
    ("echarts/LICENSE", "LICENSE-echarts.txt"),
    ("echarts/NOTICE", "NOTICE-echarts.txt"),
    ("zrender/LICENSE", "LICENSE-zrender.txt"),
    ("tslib/LICENSE.txt", "LICENSE-tslib.txt"),
    # the dashboard's map: Natural Earth country boundaries (1:110m, public domain) as TopoJSON, and its decoder
    ("world-atlas/countries-110m.json", "countries-110m.json"),
    ("world-atlas/LICENSE", "LICENSE-world-atlas.txt"),
    ("topojson-client/dist/topojson-client.min.js", "topojson-client.min.js"),
    ("topojson-client/LICENSE", "LICENSE-topojson-client.txt"),
    # Swagger UI for the API's /docs page (served by communique itself, not from a CDN)
    ("swagger-ui-dist/swagger-ui-bundle.js", "swagger-ui-bundle.js"),
    ("swagger-ui-dist/swagger-ui.css", "swagger-ui.css"),
    ("swagger-ui-dist/favicon-32x32.png", "swagger-favicon-32x32.png"),
    ("swagger-ui-dist/LICENSE", "LICENSE-swagger-ui.txt"),
    ("swagger-ui-dist/NOTICE", "NOTICE-swagger-ui.txt"),
)


def vendor(build: Path) -> list[Path]:
    """Install the locked packages into ``build`` and copy ``FILES`` into ``VENDOR``."""
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(ROOT / name, build / name)
    subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=build, check=True)
    VENDOR.mkdir(parents=True, exist_ok=True)
    copied = []
    for source, target in FILES:
        copied.append(Path(shutil.copy2(build / "node_modules" / source, VENDOR / target)))
    return copied


def main() -> int:
    if shutil.which("npm") is None:
        print("error: npm is not installed (it is needed only to upgrade the vendored files)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="communique-npm-") as tmp:
        for path in vendor(Path(tmp)):
            print(f"{path.relative_to(ROOT)}  {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Write resources/country_names.json: every country's ISO code with the names it goes by.

Run after upgrading countryinfo: ``python scripts/build_country_names.py``. The model reads the
file (it may not import countryinfo), so that a country typed in the window and one read from
a spreadsheet get the same identity, its ISO code. The names come from countryinfo (MIT):
the English name, the native name, alternative spellings and its translations; the aliases
and extra countries of resources/maps/regions.yaml are added when the file is read.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from countryinfo import all_countries

OUT = Path(__file__).resolve().parent.parent / "resources" / "country_names.json"
_CODE = re.compile(r"^[A-Z]{2,3}$")


def build() -> dict:
    countries = []
    for country in all_countries():
        info = country.info()
        code = (info.get("ISO") or {}).get("alpha2")
        if not code:
            continue
        names = [info["name"], info.get("nativeName") or "", *(info.get("altSpellings") or []),
                 *(info.get("translations") or {}).values()]
        names = list(dict.fromkeys(n for n in names if n and not _CODE.match(n)))
        countries.append({"code": code, "alpha3": info["ISO"].get("alpha3", ""),
                          "name": info["name"], "names": names})
    countries.sort(key=lambda c: c["code"])
    return {"format": "workbench-country-names", "version": 1,
            "source": "countryinfo (MIT licence), written by scripts/build_country_names.py",
            "countries": countries}


if __name__ == "__main__":
    data = build()
    rows = ",\n".join(json.dumps(c, ensure_ascii=False) for c in data.pop("countries"))
    head = json.dumps(data, ensure_ascii=False)[:-1]
    OUT.write_text(f'{head}, "countries": [\n{rows}\n]}}\n', encoding="utf-8")
    print(f"wrote {OUT}")

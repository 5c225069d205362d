"""Generated people with duplicates, as merged sources give them: typos, names written in
Cyrillic or Greek, "SURNAME, Given", short forms, a wrong or missing date of birth.

For the scale benchmark (a million records) and for the accuracy of the matcher on data
that is not FEBRL. Surnames are built from syllables so that a million people do not share a
few hundred names (real registers have hundreds of thousands of surnames); given names are
real, so short forms and transliterations apply.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from workbench.resolve.short_forms import SHORT_FORMS
from workbench.resolve.tables import Columns

_GIVEN = (
    "robert william james john michael david richard joseph thomas charles daniel matthew "
    "anthony andrew peter stephen edward patrick george henry samuel benjamin jacob oliver "
    "mary elizabeth margaret susan jennifer patricia linda barbara sarah karen nancy lisa "
    "anna maria olga natalia tatiana ekaterina irina svetlana elena ivan sergei dmitrii "
    "aleksandr aleksei mikhail nikolai vladimir yurii evgenii andrei pavel oleg igor "
    "muhammad ahmed ali omar hassan hussein yousef ibrahim khalid tariq fatima aisha "
    "amina layla zainab mariam hana nour samir karim rania leila farid nadia"
)
_SYLLABLES = ("ka ro mi sa ve lo du ni ta be ra ko li ma se po gu ne da fi "
              "shan tor vel mar din kov sky ber ton gar")
GIVEN, SYLLABLES = _GIVEN.split(), _SYLLABLES.split()
LATIN_TO_CYRILLIC = {**dict(zip("abvgdezijklmnoprstufhcyw", "абвгдезийклмнопрстуфхцыв",
                                strict=True)), "x": "кс", "q": "к", "j": "дж", "ch": "ч",
                     "sh": "ш", "th": "т", "ph": "ф", "kh": "х"}
LATIN_TO_GREEK = {**dict(zip("abgdeziklmnoprstufhcvwyqj", "αβγδεζικλμνοπρστυφχκββυκι",
                             strict=True)), "x": "ξ", "sh": "σ", "th": "θ", "ph": "φ",
                  "kh": "χ"}
LONG_FORMS: dict[str, list[str]] = {}
for _short, _long in SHORT_FORMS.items():
    LONG_FORMS.setdefault(_long, []).append(_short)

COLUMNS = Columns(id="id", name=("given", "surname"), dob="dob", phone="phone",
                  nationality="nationality")
NATIONALITIES = ("GB", "RO", "UA", "SY", "AF", "NG", "VN", "AL", "ER", "IQ")


def _script(text: str, table: dict[str, str]) -> str:
    """Letter by letter, pairs first ("sh" is one letter in Cyrillic and Greek)."""
    out, text, i = [], text.lower(), 0
    while i < len(text):
        pair = table.get(text[i:i + 2]) if len(text) > i + 1 else None
        out.append(pair or table.get(text[i], text[i]))
        i += 2 if pair else 1
    return "".join(out).title()


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.33:
        return word[:i] + word[i + 1:]  # a letter dropped
    if kind < 0.66:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]  # two letters swapped
    return word[:i] + rng.choice("aeioulnrst") + word[i + 1:]  # a letter replaced


def _variant(given: str, surname: str, rng: random.Random) -> tuple[str, str]:
    """How a second source writes the same name."""
    roll = rng.random()
    if roll < 0.3:
        return (_typo(given, rng), surname) if rng.random() < 0.5 else (given, _typo(surname, rng))
    if roll < 0.45:
        return _script(given, LATIN_TO_CYRILLIC), _script(surname, LATIN_TO_CYRILLIC)
    if roll < 0.5:
        return _script(given, LATIN_TO_GREEK), _script(surname, LATIN_TO_GREEK)
    if roll < 0.65:
        return "", f"{surname.upper()}, {given}"
    if roll < 0.75 and given.lower() in LONG_FORMS:
        return rng.choice(LONG_FORMS[given.lower()]).title(), surname
    return given, surname


def people(n: int, seed: int = 18) -> Iterator[tuple[dict[str, str], int]]:
    """``n`` rows and the number of the person each stands for; about one row in six is a
    second or third record of someone already generated."""
    rng = random.Random(seed)
    made: list[dict[str, str]] = []
    for i in range(n):
        if made and rng.random() < 0.17:
            person = rng.randrange(len(made))
            original = made[person]
            given, surname = _variant(original["given"], original["surname"], rng)
            dob = original["dob"]
            if rng.random() < 0.2:
                dob = ""
            elif rng.random() < 0.1:
                dob = dob[:-1] + str((int(dob[-1]) + 1) % 10)
            row = {"id": f"r{i}", "given": given, "surname": surname, "dob": dob,
                   "phone": original["phone"] if rng.random() < 0.5 else "",
                   "nationality": original["nationality"] if rng.random() < 0.7 else ""}
            yield row, person
            continue
        surname = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3)))).title()
        row = {"id": f"r{i}", "given": rng.choice(GIVEN).title(), "surname": surname,
               "dob": f"{rng.randrange(1945, 2006)}-{rng.randrange(1, 13):02d}-"
                      f"{rng.randrange(1, 29):02d}",
               "phone": f"+4477009{rng.randrange(10**5):05d}" if rng.random() < 0.4 else "",
               "nationality": rng.choice(NATIONALITIES)}
        made.append(row)
        yield row, len(made) - 1

"""How two records are compared, field by field: the levels Splink scores and a reviewer reads.

Each field is a ladder of levels from the strongest agreement down to a plain disagreement,
with a "missing" level first when either side does not know the field. Splink learns for every
level how often true matches land there (m) and how often strangers do (u); the ratio is that
level's weight of evidence. Every level also carries the verdict and the phrase the review
shows ("same after transliteration", "one digit differs"), so the evidence a reviewer reads
is exactly the level the model scored.

The SQL is DuckDB's (jaro_winkler_similarity, levenshtein, list functions); the same ladders
would run on Splink's Spark backend with its function names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.resolve.pairs import AGREE, DISAGREE, MISSING

# Lowest probability offered for review by default: a coin toss or better. Here, not beside
# the matcher, so that the command line can show it without loading Splink.
DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class Level:
    sql: str
    verdict: str
    detail: str
    m: float  # how often true matches land here: the start, kept when too little to train
    u: float  # how often strangers land here: the start, kept when too little to train


@dataclass(frozen=True, slots=True)
class Field:
    """One compared field: its evidence name, the record columns it needs, its ladder."""

    name: str
    columns: tuple[str, ...]
    levels: tuple[Level, ...]

    def splink(self) -> dict[str, Any]:
        """The comparison in Splink's settings dictionary form."""
        levels: list[dict[str, Any]] = []
        for level in self.levels:
            entry: dict[str, Any] = {"sql_condition": level.sql,
                                     "label_for_charts": level.detail}
            if level.verdict == MISSING:
                entry["is_null_level"] = True
            else:
                entry["m_probability"] = level.m
                entry["u_probability"] = level.u
            levels.append(entry)
        return {"output_column_name": self.column_name, "comparison_levels": levels,
                "comparison_description": self.name}

    @property
    def column_name(self) -> str:
        return self.name.replace(" ", "_")


def _null(*columns: str) -> Level:
    sql = " OR ".join(f'"{c}_l" IS NULL OR "{c}_r" IS NULL' for c in columns)
    return Level(sql, MISSING, "not known on both sides", 0.0, 0.0)


def _jw(column: str, at: float) -> str:
    return f'jaro_winkler_similarity("{column}_l", "{column}_r") >= {at}'


# The words only one side has (skeletons): "M." against "Mohammed" once "Al-Hassan" is shared.
_ONLY_L = 'list_filter("name_words_l", lambda w: NOT list_contains("name_words_r", w))'
_ONLY_R = 'list_filter("name_words_r", lambda w: NOT list_contains("name_words_l", w))'
# A shared name is strong evidence only when what is left over agrees too: nothing left on one
# side, an initial of the other's word, or the same word with a typo. A kunya alone ("Abu
# Muhammad al-Shimali" and "Abu Muhammad al-Adnani", two men) is at most a similar spelling.
_RESTS_AGREE = (
    f"(len({_ONLY_L}) = 0 OR len({_ONLY_R}) = 0 OR (len({_ONLY_L}) = 1 AND len({_ONLY_R}) = 1 "
    f"AND ((length({_ONLY_L}[1]) = 1 AND starts_with({_ONLY_R}[1], {_ONLY_L}[1])) "
    f"OR (length({_ONLY_R}[1]) = 1 AND starts_with({_ONLY_L}[1], {_ONLY_R}[1])) "
    f"OR jaro_winkler_similarity({_ONLY_L}[1], {_ONLY_R}[1]) >= 0.8)))")

# Whole-name spellings compare the sorted words, which puts a shared surname first: "haddad
# omar" and "haddad samir" look alike to Jaro-Winkler for the long start they share. When the
# names share a word, they are close or similar only if the word left on each side is alike
# too, compared as written (not as skeletons, where "omar" and "samir" are "mr" and "smr"): an
# initial of it, one letter off ("karen" and "kaen") or a Jaro-Winkler similarity of 0.8
# ("yanis" and "gianis"). Brothers' given names ("omar" and "samir": 0.67) are not.
_KEY_L, _KEY_R = "string_split(\"name_key_l\", ' ')", "string_split(\"name_key_r\", ' ')"
_REST_L = f"list_filter({_KEY_L}, lambda w: NOT list_contains({_KEY_R}, w))"
_REST_R = f"list_filter({_KEY_R}, lambda w: NOT list_contains({_KEY_L}, w))"
_SPELLING = (
    f"(NOT list_has_any({_KEY_L}, {_KEY_R}) OR len({_REST_L}) = 0 OR len({_REST_R}) = 0 "
    f"OR (len({_REST_L}) = 1 AND len({_REST_R}) = 1 "
    f"AND ((length({_REST_L}[1]) = 1 AND starts_with({_REST_R}[1], {_REST_L}[1])) "
    f"OR (length({_REST_R}[1]) = 1 AND starts_with({_REST_L}[1], {_REST_R}[1])) "
    f"OR levenshtein({_REST_L}[1], {_REST_R}[1]) <= 1 "
    f"OR jaro_winkler_similarity({_REST_L}[1], {_REST_R}[1]) >= 0.8)))")

NAME = Field("name", ("name_plain", "name_key", "name_skel", "name_initials", "name_words"), (
    _null("name_key"),
    Level('"name_plain_l" = "name_plain_r"', AGREE, "same name", 0.515, 0.0005),
    Level('"name_key_l" = "name_key_r"', AGREE,
          "same words (other order, short form or transliteration)", 0.15, 0.0002),
    Level('"name_skel_l" = "name_skel_r"', AGREE, "same after transliteration", 0.1, 0.0005),
    Level(f'{_jw("name_key", 0.92)} AND {_SPELLING}', AGREE, "close spelling (a typo)",
          0.1, 0.001),
    Level('"name_initials_l" = "name_initials_r" '
          'AND list_has_any("name_words_l", "name_words_r") AND ' + _RESTS_AGREE, AGREE,
          "initials agree and a name is shared", 0.05, 0.001),
    Level(f'({_jw("name_key", 0.8)} OR {_jw("name_skel", 0.88)}) AND {_SPELLING}', AGREE,
          "similar spelling", 0.05, 0.01),
    Level('list_has_any("name_words_l", "name_words_r")', DISAGREE,
          "one name shared, others differ", 0.03, 0.03),
    Level("ELSE", DISAGREE, "different names", 0.005, 0.9573),
))

_FULL_DATES = 'length("dob_l") = 10 AND length("dob_r") = 10'
DOB = Field("date of birth", ("dob",), (
    _null("dob"),
    Level('"dob_l" = "dob_r"', AGREE, "same", 0.83, 0.0003),
    Level(f'{_FULL_DATES} AND levenshtein("dob_l", "dob_r") <= 1', AGREE,
          "one digit differs", 0.08, 0.003),
    Level(f'{_FULL_DATES} AND substr("dob_l", 1, 4) = substr("dob_r", 1, 4) '
          'AND substr("dob_l", 6, 2) = substr("dob_r", 9, 2) '
          'AND substr("dob_l", 9, 2) = substr("dob_r", 6, 2)', AGREE,
          "day and month swapped", 0.03, 0.0001),
    Level('substr("dob_l", 1, 4) = substr("dob_r", 1, 4)', AGREE, "same year", 0.05, 0.015),
    Level("ELSE", DISAGREE, "different dates", 0.01, 0.9816),
))


def _shared(column: str, what: str) -> tuple[Level, ...]:
    # Strangers share a phone more often than chance says: a household, a controller's phone
    # given by the people he moves. One in a thousand pairs, not one in ten thousand.
    return (
        _null(column),
        Level(f'list_has_any("{column}_l", "{column}_r")', AGREE, f"a {what} in common",
              0.9, 0.001),
        Level("ELSE", DISAGREE, f"no {what} in common", 0.1, 0.999),
    )


PHONE = Field("phone", ("phones",), _shared("phones", "number"))
EMAIL = Field("e-mail", ("emails",), _shared("emails", "address"))
NATIONALITY = Field("nationality", ("nationality",), (
    _null("nationality"),
    Level('"nationality_l" = "nationality_r"', AGREE, "same", 0.95, 0.2),
    Level("ELSE", DISAGREE, "different", 0.05, 0.8),
))
ADDRESS = Field("address", ("address",), (
    _null("address"),
    Level('"address_l" = "address_r"', AGREE, "same", 0.6, 0.0005),
    Level(_jw("address", 0.9), AGREE, "close spelling", 0.2, 0.002),
    Level(_jw("address", 0.75), AGREE, "similar", 0.1, 0.05),
    Level("ELSE", DISAGREE, "different", 0.1, 0.9475),
))
ID_NUMBER = Field("id number", ("id_number",), (
    _null("id_number"),
    Level('"id_number_l" = "id_number_r"', AGREE, "same", 0.85, 0.0001),
    Level('levenshtein("id_number_l", "id_number_r") <= 1', AGREE,
          "one character differs", 0.1, 0.0005),
    Level("ELSE", DISAGREE, "different", 0.05, 0.9994),
))
NEIGHBOURS = Field("shared neighbours", ("neighbours",), (
    _null("neighbours"),
    Level('len(list_intersect("neighbours_l", "neighbours_r")) >= 2', AGREE,
          "two or more linked entities in common", 0.4, 0.001),
    Level('list_has_any("neighbours_l", "neighbours_r")', AGREE,
          "one linked entity in common", 0.3, 0.02),
    Level("ELSE", DISAGREE, "no linked entity in common", 0.3, 0.979),
))
PLACE = Field("place", ("place",), (
    _null("place"),
    Level('"place_l" = "place_r"', AGREE, "same place in the gazetteer", 0.9, 0.05),
    Level("ELSE", DISAGREE, "different places in the gazetteer", 0.1, 0.95),
))

FIELDS: tuple[Field, ...] = (NAME, DOB, PHONE, EMAIL, NATIONALITY, ADDRESS, ID_NUMBER,
                             NEIGHBOURS, PLACE)


def level_of(field: Field, gamma: int) -> Level:
    """The level a Splink comparison vector value (gamma) stands for: -1 is the null level,
    then the highest number is the first (strongest) level after it."""
    if gamma < 0:
        return field.levels[0]
    return field.levels[len(field.levels) - 1 - gamma]

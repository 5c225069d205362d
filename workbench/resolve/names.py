"""Names made comparable across sources: one spelling per person or firm, however written.

"Mohammed Al-Hassan", "AL HASSAN, Mohammed", "Мухаммед Аль-Хасан" and "محمد الحسن" are the
same man to an analyst and four strings to a computer. Before the matcher compares two names
each is transliterated to Latin (anyascii: Arabic, Cyrillic, Greek, Hebrew, CJK and more),
folded (case, accents, punctuation), and split into words; the comparisons then look at

- ``plain``: the folded words in the order written, run together ("mohammedalhassan"),
  so that "Mao Zedong" and "Mao Ze Dong" (from 毛泽东) agree;
- ``key``: the words sorted, short forms replaced ("alhassan muhammad"), so "AL HASSAN,
  Mohammed" and "Bob Smith" / "Robert Smith" agree;
- ``skeleton``: each word's consonants, with the letters that transliterations disagree on
  folded together ("lhsn mhmd"), so "Muhamad Alhassan", "Mukhammed Al'-Khasan" and the
  vowel-less Arabic "mhmd lhsn" agree;
- ``initials``: the first letters of the sorted words (short forms replaced, so "Bob" gives
  an R), so "M. Al Hassan" can agree with "Mohammed Al-Hassan" when a word is shared too.

Particles ("al", "bin", "van", "de") are joined to the next word ("Al Hassan", "Al-Hassan"
and "Alhassan" are one word), honorifics dropped, and for organisations the legal form ("Ltd",
"LLC", "GmbH", "S.A.") is removed. A birth year written into a label ("M. Al Hassan, b. 1985")
is taken out of the name and offered as a year of birth.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

from workbench.resolve.short_forms import SHORT_FORMS

PARTICLES = frozenset({
    "al", "el", "ul", "bin", "ben", "ibn", "bint", "abu", "abd", "van", "von", "de", "der",
    "den", "del", "della", "da", "di", "du", "dos", "das", "la", "le", "st",
})
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "sheikh",
                        "haji", "hajji"})
# Legal forms, folded and written without dots ("S.A." -> "s a" -> joined "sa").
LEGAL_FORMS = frozenset({
    "ltd", "limited", "llc", "llp", "lp", "plc", "inc", "incorporated", "corp",
    "corporation", "co", "company", "gmbh", "ag", "kg", "ohg", "ug", "sa", "sas", "sarl",
    "srl", "spa", "bv", "nv", "oy", "ab", "as", "aps", "sl", "sp", "zoo", "ooo", "oao",
    "zao", "pao", "ao", "kft", "doo", "sro", "pte", "pty", "bhd", "sdn", "fze", "fzco",
    "fzc", "fzllc", "wll", "ltda", "cv", "de", "and", "the",
})
_BIRTH = re.compile(r"[,;(]?\s*\b(?:b\.?|born|geb\.?|nee|née|dob:?)\s*((?:1[89]|20)\d\d)\b\)?",
                    re.IGNORECASE)
NAME_CACHE = 100_000  # labels repeat across sources; NameParts is frozen, so shared safely
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_SYLLABIC = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_VOWELS = re.compile(r"[aeiouy]+")
# Arabic waw inside a word and not before an alif (there it is the consonant: "مروان" Marwan),
# and a single Hebrew vav inside a word (doubled it is the consonant: "דייוויד" David).
_VOWEL_LETTER = re.compile("(?<=[\u0621-\u064a])\u0648(?![\u0622\u0623\u0627])"
                           "|(?<=[\u05d0-\u05ea])(?<!\u05d5)\u05d5(?!\u05d5)")
_DOUBLES = re.compile(r"([a-z])\1+")  # letters only: "22" and "222" stay apart
# Letters and pairs that transliteration systems write differently for one sound.
_SOUNDS = (("kh", "h"), ("gh", "g"), ("ch", "h"), ("sh", "s"), ("zh", "j"), ("dzh", "j"),
           ("dj", "j"), ("ph", "f"), ("th", "t"), ("ts", "s"), ("tz", "s"), ("ck", "k"),
           ("w", "v"), ("b", "v"), ("p", "f"), ("q", "k"), ("c", "k"), ("z", "s"), ("x", "ks"))


@dataclass(frozen=True, slots=True)
class NameParts:
    """One name ready for comparison; empty strings when nothing was left of it."""

    plain: str
    key: str
    skeleton: str
    initials: str
    words: tuple[str, ...]  # the sorted skeletons of the words, for "a word in common"
    birth_year: str | None = None


def to_latin(text: str) -> str:
    """Transliterated and folded: lower-case ASCII letters and digits in single spaces.

    Chinese, Japanese and Korean are written without spaces, and anyascii gives one
    capitalised syllable per character ("毛泽东" -> "MaoZeDong"); the syllables are kept
    apart so that the words can be compared ("mao ze dong").

    Arabic and Hebrew write few vowels, and the letter for w/v (و, ו) mostly stands for an o
    or u inside a word ("مياموتو" Miyamoto, "הוגו" Hugo); anyascii writes it w or v, which the
    skeletons keep as a consonant, so it is written u there (see ``_VOWEL_LETTER``)."""
    text = unicodedata.normalize("NFKC", text)
    text = _VOWEL_LETTER.sub("u", text)
    if _SYLLABIC.search(text):
        text = " ".join(anyascii(c) if _SYLLABIC.match(c) else c for c in text)
    latin = anyascii(text).lower().replace("'", "").replace("`", "")  # O'Brien, Il'ich
    return " ".join(_NOT_WORD.split(latin)).strip()


def _join_particles(words: list[str]) -> list[str]:
    out: list[str] = []
    carry = ""
    for word in words:
        if word in PARTICLES and not carry:
            carry = word
            continue
        out.append(carry + word)
        carry = ""
    if carry:
        out.append(carry)
    return out


def _join_letters(words: list[str]) -> list[str]:
    """Runs of single letters written with dots or spaces become one word ("s a" -> "sa")."""
    out: list[str] = []
    run = ""
    for word in words:
        if len(word) == 1:
            run += word
            continue
        if run:
            out.append(run)
            run = ""
        out.append(word)
    if run:
        out.append(run)
    return out


@lru_cache(maxsize=NAME_CACHE)
def skeleton(word: str) -> str:
    """A word's consonants after folding the letters transliterations disagree on."""
    for old, new in _SOUNDS:
        word = word.replace(old, new)
    bare = _VOWELS.sub("", word.rstrip("h")) or word
    return _DOUBLES.sub(r"\1", bare)


@lru_cache(maxsize=NAME_CACHE)
def person_name(label: str) -> NameParts:
    """A person's name: honorifics out, particles joined, short forms folded."""
    year = None
    found = _BIRTH.search(label)
    if found:
        year = found.group(1)
        label = label[: found.start()] + label[found.end():]
    words = [w for w in to_latin(label).split() if w not in HONORIFICS]
    return _parts(_join_particles(words), year)


@lru_cache(maxsize=NAME_CACHE)
def organisation_name(label: str) -> NameParts:
    """A firm's name with its legal form removed ("Acme Trading Ltd." is "acme trading")."""
    words = _join_letters(to_latin(label.replace("&", " and ")).split())
    kept = [w for w in words if w not in LEGAL_FORMS]
    return _parts(kept or words, None)


@lru_cache(maxsize=NAME_CACHE)
def plain_name(label: str) -> NameParts:
    """Any other entity's label (a place, a vehicle): transliterated and folded only."""
    return _parts(to_latin(label).split(), None)


def _parts(words: list[str], year: str | None) -> NameParts:
    if not words:
        return NameParts("", "", "", "", (), year)
    canonical = sorted(SHORT_FORMS.get(w, w) for w in words)
    skeletons = tuple(sorted(skeleton(w) for w in canonical))
    return NameParts(
        plain="".join(words),
        key=" ".join(canonical),
        skeleton=" ".join(skeletons),
        initials="".join(w[0] for w in canonical),
        words=skeletons,
        birth_year=year,
    )

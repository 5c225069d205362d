"""Names compared however the sources write them: scripts, order, particles, short forms,
legal forms of firms, and a birth year written into the label."""

from __future__ import annotations

from workbench.resolve.names import organisation_name, person_name, plain_name, to_latin


def test_five_spellings_of_one_recruiter_share_one_key_or_skeleton():
    spellings = ["Mohammed Al-Hassan", "Muhamad Alhassan", "Мухаммед Аль-Хасан",
                 "AL HASSAN, Mohammed", "محمد الحسن"]
    names = [person_name(s) for s in spellings]
    assert {n.skeleton for n in names} == {"lhsn mhmd"}
    assert names[0].key == names[1].key == names[3].key == "alhassan muhammad"


def test_initials_and_a_birth_year_in_the_label():
    short = person_name("M. Al Hassan, b. 1985")
    assert short.birth_year == "1985"
    assert short.initials == person_name("Mohammed Al-Hassan").initials == "am"
    assert "lhsn" in short.words


def test_short_forms_honorifics_and_word_order():
    assert person_name("Bob Smith").key == person_name("SMITH, Robert").key
    assert person_name("Dr. Sasha Petrova").key == person_name("Aleksandr Petrova").key
    assert person_name("Mr John Smith").plain == "johnsmith"


def test_legal_forms_are_not_part_of_a_firms_name():
    for label in ["Sunrise Travel Ltd", "SUNRISE TRAVEL LIMITED", "Sunrise Travel S.A.",
                  "Sunrise Travel GmbH & Co. KG", "Sunrise Travel, LLC"]:
        assert organisation_name(label).key == "sunrise travel", label
    assert organisation_name("Ltd").key == "ltd"  # a name that is only a legal form stays


def test_scripts_without_spaces_and_apostrophes():
    assert to_latin("毛泽东") == "mao ze dong"
    assert person_name("毛泽东").plain == person_name("Mao Zedong").plain
    assert to_latin("Пётр Ильич") == "petr ilich"
    assert to_latin("O'Brien") == "obrien"
    assert plain_name("Lagos, Nigeria").key == "lagos nigeria"


def test_nothing_left_of_a_name():
    empty = person_name("Dr.")
    assert empty.key == "" and empty.words == ()


def test_the_letter_for_w_inside_an_arabic_or_hebrew_word_is_read_as_a_vowel():
    """Arabic waw and Hebrew vav inside a word are mostly an o or u ("مياموتو" Miyamoto,
    "הוגו" Hugo); anyascii wrote them w and v, which the skeletons kept as consonants, so
    "محمود" was not "Mahmoud". Where the letter is a consonant it stays one: at the start of a
    word ("وليد" Walid), before an alif ("مروان" Marwan), doubled in Hebrew ("דייוויד" David)."""
    pairs = [("Mahmoud", "محمود"), ("Yusuf", "يوسف"), ("Miyamoto", "مياموتو"),
             ("Victor Hugo", "ויקטור הוגו"), ("Augusto", "אוגוסטו"), ("Walid", "وليد"),
             ("Marwan", "مروان"), ("David", "דייוויד"), ("Ivan", "איוואן")]
    for latin, other in pairs:
        assert person_name(latin).skeleton == person_name(other).skeleton, (latin, other)

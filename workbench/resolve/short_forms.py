"""Common short forms of given names ("Bob" is Robert, "Sasha" is Aleksandr).

A small table compiled for Workbench from everyday usage (English, and the Russian and
Arabic forms analysts meet in trafficking cases after transliteration); no third-party list
is copied. It is deliberately short: a short form that stands for two names ("Alex",
"Chris", "Sam", "Al") maps to none, because an over-eager table merges strangers, and typos and
spellings are the comparisons' job, not this table's. Keys and values are folded ASCII.
"""

from __future__ import annotations

SHORT_FORMS: dict[str, str] = {
    # English
    "abby": "abigail", "andy": "andrew", "drew": "andrew", "ben": "benjamin",
    "betty": "elizabeth", "beth": "elizabeth", "liz": "elizabeth", "lizzie": "elizabeth",
    "eliza": "elizabeth", "bill": "william", "billy": "william", "will": "william",
    "willy": "william", "bob": "robert", "bobby": "robert", "rob": "robert",
    "robbie": "robert", "bert": "robert", "charlie": "charles", "chuck": "charles",
    "dan": "daniel", "danny": "daniel", "dave": "david", "davy": "david", "dick": "richard",
    "rick": "richard", "ricky": "richard", "rich": "richard", "ed": "edward",
    "eddie": "edward", "ted": "edward", "teddy": "edward", "frank": "francis",
    "fred": "frederick", "freddie": "frederick", "greg": "gregory", "harry": "henry",
    "hank": "henry", "jack": "john", "johnny": "john", "jim": "james", "jimmy": "james",
    "jamie": "james", "jen": "jennifer", "jenny": "jennifer", "jeff": "jeffrey",
    "joe": "joseph", "joey": "joseph", "kate": "katherine", "katie": "katherine",
    "kathy": "katherine", "kath": "katherine", "catherine": "katherine",
    "larry": "lawrence", "maggie": "margaret", "meg": "margaret", "peggy": "margaret",
    "matt": "matthew", "mike": "michael", "mick": "michael", "mickey": "michael",
    "nick": "nicholas", "pat": "patrick", "paddy": "patrick", "pete": "peter",
    "phil": "philip", "ray": "raymond", "ron": "ronald", "ronnie": "ronald",
    "steve": "stephen", "steven": "stephen", "sue": "susan", "susie": "susan",
    "tom": "thomas", "tommy": "thomas", "tony": "anthony", "vicky": "victoria",
    "walt": "walter", "wally": "walter",
    # Russian (as transliterated)
    "sasha": "aleksandr", "alexander": "aleksandr", "alexandr": "aleksandr",
    "dima": "dmitrii", "dmitri": "dmitrii", "dmitry": "dmitrii", "dmitriy": "dmitrii",
    "volodya": "vladimir", "vova": "vladimir", "kolya": "nikolai", "nikolay": "nikolai",
    "misha": "mikhail", "seryozha": "sergei", "sergey": "sergei", "sergej": "sergei",
    "lyosha": "aleksei", "alexei": "aleksei", "alexey": "aleksei", "aleksey": "aleksei",
    "natasha": "natalia", "natalya": "natalia", "nataliya": "natalia", "tanya": "tatiana",
    "tatyana": "tatiana", "katya": "ekaterina", "yekaterina": "ekaterina",
    "masha": "maria", "mariya": "maria", "olya": "olga", "yura": "yurii", "yuri": "yurii",
    "yuriy": "yurii", "zhenya": "evgenii", "yevgeny": "evgenii", "evgeny": "evgenii",
    "evgeniy": "evgenii",
    # Arabic given names, common English spellings to one form
    "mohammed": "muhammad", "mohamed": "muhammad", "mohammad": "muhammad",
    "muhammed": "muhammad", "mohamad": "muhammad", "muhamad": "muhammad",
    "mukhammed": "muhammad", "mehmet": "muhammad", "ahmad": "ahmed", "akhmed": "ahmed",
    "yusuf": "yousef", "youssef": "yousef", "yusef": "yousef", "yousuf": "yousef",
}

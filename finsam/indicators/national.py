"""The national indicators shipped with finsam: the 15 + 1 of the NNS instrument
(`docs/indicators-and-reporting.md` §2.3 in the shared domain notes).

Only the three wordings of P1, P2 and P3 are confirmed in public sources (`verified`); the rest,
the items they read, the answers that count and the targets are placeholders to be replaced with
the NNS manual's by editing the rows (the admin), without a code change. 10 process indicators
(the working catalogue's "referral and access" dropped for the confirmed P3) and 5 effect
indicators, plus J16 on gender equality and equity.
"""

PARTICIPANT = ["nns-deltagare", "nns-deltagare-avslut"]
EXIT = ["nns-deltagare-avslut"]
STAFF = ["nns-personal"]
BOARD = ["nns-styrelse"]
MANAGERS = ["nns-chefer"]
REFERRERS = ["nns-remittent"]
AGREE_TOP_TWO = ["5", "6"]
EXTENT_TOP_TWO = ["3", "4"]

# (code, level, kind, questionnaires, items, positive codes, verified, Swedish name, English name)
NATIONAL_INDICATORS = [
    (
        "P1",
        "participant",
        "process",
        PARTICIPANT,
        ["D02"],
        AGREE_TOP_TWO,
        True,
        "Deltagare känner att de insatser som erbjuds är organiserade runt deras behov",
        "Participants feel that the support offered is organised around their needs",
    ),
    (
        "P2",
        "participant",
        "process",
        PARTICIPANT,
        ["D03"],
        AGREE_TOP_TWO,
        True,
        "Deltagarna upplever inflytande över rehabiliteringsprocessen",
        "Participants experience influence over the rehabilitation process",
    ),
    (
        "P3",
        "participant",
        "process",
        PARTICIPANT,
        ["D04"],
        AGREE_TOP_TWO,
        True,
        "En möjlighet att låta rehabiliteringsprocessen få ta den tid som behövs utifrån varje "
        "deltagares förutsättningar",
        "The rehabilitation process may take the time each participant's circumstances need",
    ),
    (
        "P4",
        "participant",
        "process",
        PARTICIPANT,
        ["D05"],
        AGREE_TOP_TWO,
        False,
        "En samordnande kontakt håller ihop deltagarens process",
        "One coordinating contact holds the participant's process together",
    ),
    (
        "P5",
        "participant",
        "process",
        EXIT,
        ["D11"],
        ["ja"],
        False,
        "Planerad övergång när stödet upphör",
        "A planned transition when the support ends",
    ),
    (
        "P6",
        "staff",
        "process",
        STAFF + REFERRERS,
        ["S01", "R01"],
        EXTENT_TOP_TWO,
        False,
        "Kunskap om varandras uppdrag och regelverk",
        "Knowledge of each other's remits and rules",
    ),
    (
        "P7",
        "staff",
        "process",
        STAFF + MANAGERS,
        ["S02", "C01"],
        EXTENT_TOP_TWO,
        False,
        "Mandat och stöd från den egna organisationen",
        "Mandate and backing from one's own organisation",
    ),
    (
        "P8",
        "organisation",
        "process",
        STAFF + MANAGERS,
        ["S03", "C02"],
        EXTENT_TOP_TWO,
        False,
        "Gemensam syn och gemensamma arbetssätt",
        "A common view and joint working methods",
    ),
    (
        "P9",
        "society",
        "process",
        BOARD + MANAGERS,
        ["B01", "C03"],
        EXTENT_TOP_TWO,
        False,
        "En gemensam behovsanalys styr prioriteringarna",
        "A shared needs analysis drives the priorities",
    ),
    (
        "P10",
        "society",
        "process",
        BOARD + MANAGERS,
        ["B02", "C04"],
        EXTENT_TOP_TWO,
        False,
        "Parternas engagemang i och förankring av förbundet",
        "The parties' commitment to and anchoring of the association",
    ),
    (
        "E1",
        "participant",
        "effect",
        EXIT,
        ["D09"],
        AGREE_TOP_TWO,
        False,
        "Deltagaren är närmare arbete eller studier",
        "The participant is closer to work or studies",
    ),
    (
        "E2",
        "participant",
        "effect",
        EXIT,
        ["D10"],
        AGREE_TOP_TWO,
        False,
        "Förbättrad livssituation, hälsa eller vardagsstruktur",
        "An improved life situation, health or everyday structure",
    ),
    (
        "E3",
        "organisation",
        "effect",
        MANAGERS + BOARD,
        ["C05", "B03"],
        EXTENT_TOP_TWO,
        False,
        "Lärdomar från insatserna tas in i ordinarie verksamhet",
        "Learning from the initiatives is taken into ordinary services",
    ),
    (
        "E4",
        "society",
        "effect",
        BOARD + MANAGERS,
        ["B04", "C06"],
        EXTENT_TOP_TWO,
        False,
        "Hållbara strukturer för samverkan",
        "Sustainable structures for cooperation",
    ),
    (
        "E5",
        "society",
        "effect",
        BOARD,
        ["B05"],
        EXTENT_TOP_TWO,
        False,
        "Effektivare gemensamt användande av parternas resurser",
        "More effective joint use of the parties' resources",
    ),
    (
        "J16",
        "organisation",
        "process",
        STAFF + MANAGERS,
        ["S04", "C07"],
        EXTENT_TOP_TWO,
        False,
        "Jämställdhet och jämlikhet",
        "Gender equality and equity",
    ),
]

# A placeholder target for every national indicator (seed 003's initiatives state "at least 90 %";
# 80 % is the lower of the field's usual targets), to be replaced like the rest.
DEFAULT_TARGET = 80
NOTE = (
    "Nationell indikator levererad med finsam. Formuleringen är bekräftad i offentliga källor "
    "men frågor, svar som räknas och mål är platshållare som ska ersättas med NNS manual."
)
NOTE_UNVERIFIED = (
    "Nationell indikator levererad med finsam: namn, frågor, svar som räknas och mål är "
    "platshållare (ej verifierade) som ska ersättas med NNS manual."
)


def rows():
    """The national indicators as field values of `Indicator`."""
    for order, (code, level, kind, questionnaires, items, positive, verified, sv, en) in enumerate(
        NATIONAL_INDICATORS, start=1
    ):
        yield {
            "association": None,
            "code": code,
            "order": order,
            "level": level,
            "kind": kind,
            "questionnaire_codes": list(questionnaires),
            "item_codes": list(items),
            "positive_codes": list(positive),
            "target_share": DEFAULT_TARGET,
            "target_comparison": "at_least",
            "verified": verified,
            "note": NOTE if verified else NOTE_UNVERIFIED,
            "texts": {"sv": {"text": sv}, "en": {"text": en}},
        }

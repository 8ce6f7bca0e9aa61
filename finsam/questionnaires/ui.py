"""The answering page's own words in every questionnaire language.

The site itself is translated with gettext into Swedish and English only; respondents answer in
more languages (`models.LANGUAGES`), so the few words of the answering page's frame are kept here
as data. Swedish and English go through gettext like every other string; a language without an
entry falls back to Swedish (the page then says that the translation is missing).
"""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

SWEDISH = {
    "next": _("Nästa"),
    "back": _("Tillbaka"),
    "submit": _("Skicka in svaren"),
    "page": _("Sida %(n)s av %(total)s"),
    "question": _("Fråga %(n)s av %(total)s"),
    "language": _("Språk"),
    "choose_language": _("Byt språk"),
    "missing": _("Frågan finns inte översatt än och visas på svenska."),
    "errors": _("Det finns fel i svaren"),
    "optional": _("Du kan hoppa över frågor du inte vill svara på."),
    "anonymous": _("Enkäten är anonym: svaren kan inte kopplas till dig."),
    "thanks": _("Tack för dina svar!"),
    "thanks_body": _("Dina svar är inskickade. Du kan stänga sidan."),
    "start": _("Börja"),
}
OTHER = {
    "sv-LL": {
        "next": "Nästa",
        "back": "Tillbaka",
        "submit": "Skicka svaren",
        "page": "Sida %(n)s av %(total)s",
        "question": "Fråga %(n)s av %(total)s",
        "language": "Språk",
        "choose_language": "Byt språk",
        "missing": "Frågan finns bara på vanlig svenska.",
        "errors": "Något blev fel",
        "optional": "Du behöver inte svara på alla frågor.",
        "anonymous": "Ingen kan se att det är du som har svarat.",
        "thanks": "Tack för dina svar!",
        "thanks_body": "Nu är svaren skickade. Du kan stänga sidan.",
        "start": "Börja",
    },
    "ar": {
        "next": "التالي",
        "back": "رجوع",
        "submit": "إرسال الإجابات",
        "page": "الصفحة %(n)s من %(total)s",
        "question": "السؤال %(n)s من %(total)s",
        "language": "اللغة",
        "choose_language": "تغيير اللغة",
        "missing": "هذا السؤال غير مترجم بعد ويظهر باللغة السويدية.",
        "errors": "توجد أخطاء في الإجابات",
        "optional": "يمكنك تخطي الأسئلة التي لا تريد الإجابة عليها.",
        "anonymous": "الاستبيان مجهول الهوية: لا يمكن ربط الإجابات بك.",
        "thanks": "شكراً على إجاباتك!",
        "thanks_body": "تم إرسال إجاباتك. يمكنك إغلاق الصفحة.",
        "start": "ابدأ",
    },
    "prs": {
        "next": "بعدی",
        "back": "برگشت",
        "submit": "فرستادن پاسخ‌ها",
        "page": "صفحهٔ %(n)s از %(total)s",
        "question": "سؤال %(n)s از %(total)s",
        "language": "زبان",
        "choose_language": "تغییر زبان",
        "missing": "این سؤال هنوز ترجمه نشده است و به زبان سویدنی نشان داده می‌شود.",
        "errors": "در پاسخ‌ها اشتباه وجود دارد",
        "optional": "می‌توانید از سؤال‌هایی که نمی‌خواهید پاسخ دهید بگذرید.",
        "anonymous": "این پرسشنامه بی‌نام است: پاسخ‌ها به شما ربط داده نمی‌شوند.",
        "thanks": "از پاسخ‌های شما سپاسگزاریم!",
        "thanks_body": "پاسخ‌های شما فرستاده شد. می‌توانید صفحه را ببندید.",
        "start": "شروع",
    },
    "so": {
        "next": "Xiga",
        "back": "Dib u noqo",
        "submit": "Dir jawaabaha",
        "page": "Bogga %(n)s ee %(total)s",
        "question": "Su'aasha %(n)s ee %(total)s",
        "language": "Luqadda",
        "choose_language": "Beddel luqadda",
        "missing": "Su'aashan weli lama turjumin, waxaana lagu muujinayaa iswiidhish.",
        "errors": "Jawaabaha waxaa ku jira khaladaad",
        "thanks": "Waad ku mahadsan tahay jawaabahaaga!",
        "start": "Bilow",
    },
}


def words(language: str) -> dict:
    """The frame's words in `language` (English and Swedish through gettext)."""
    with translation.override("en" if language == "en" else "sv"):
        out = {key: str(value) for key, value in SWEDISH.items()}
    out.update(OTHER.get(language, {}))
    return out

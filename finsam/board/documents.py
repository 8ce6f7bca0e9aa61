"""The board's documents, declared as blocks of the document layer (finsam.documents): the
meeting pack (möteshandlingar), the minutes (protokoll), the decision letter (beslutsbrev) and
the agreement (avtal). PDF through Typst, DOCX through python-docx (`finsam.documents.render`).

The pack's recommendation and reviews and the application's answers come from
`finsam.board.pack_sources`.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from finsam.applications.selectors import interested_users
from finsam.board import pack_sources
from finsam.board.models import Decision, Meeting, Outcome
from finsam.board.selectors import applied_by_year
from finsam.core.formats import sv_date, sv_kronor
from finsam.documents import blocks
from finsam.documents.render import render, renderers
from finsam.finance import compensation as compensation_rules
from finsam.reference.models import Municipality

FORMATS = ("pdf", "docx")


def content_type(extension: str) -> str:
    return renderers()[extension].content_type


def _name(user) -> str:
    return user.get_full_name() or user.email


def _names(users) -> str:
    return ", ".join(_name(u) for u in users)


def _amounts_table(caption: str, amounts: dict[int, int]) -> blocks.Table:
    rows = [[str(year), sv_kronor(amount)] for year, amount in sorted(amounts.items())]
    return blocks.Table(
        caption=caption,
        columns=[_("År"), _("Belopp")],
        rows=rows or [["–", "–"]],
        total=[_("Summa"), sv_kronor(sum(amounts.values()))] if len(rows) > 1 else None,
    )


def _municipality_names() -> dict[str, str]:
    return dict(Municipality.objects.values_list("code", "name"))


def _date(value) -> str:
    if not value:
        return "–"
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return sv_date(value)


def _period(start, end) -> str:
    if not start:
        return "–"
    return f"{_date(start)} – {_date(end)}" if end else _("från %(date)s") % {"date": _date(start)}


def _meeting_title(meeting: Meeting) -> str:
    return _("Styrelsemöte %(date)s") % {"date": sv_date(meeting.date)}


# --- The meeting pack ---------------------------------------------------------------------------


def _pack_item(item) -> blocks.Chapter:
    application = item.application
    facts = [
        _("Diarienummer: %(number)s") % {"number": application.diary_number or "–"},
        _("Sökande organisation: %(name)s") % {"name": application.organisation.name},
        _("Projektperiod: %(period)s")
        % {"period": _period(application.period_start, application.period_end)},
    ]
    parts: list[blocks.Block] = [blocks.Paragraph("\n".join(facts))]
    summary = pack_sources.answer_text(application, "summary")
    if summary:
        parts.append(blocks.Paragraph(summary))
    parts.append(_amounts_table(_("Sökt belopp per år"), applied_by_year(application)))
    sub = []
    recommendation = pack_sources.recommendation_for(application)
    sub.append(
        blocks.Chapter(
            title=_("Rekommendation"),
            anchor=f"rek-{item.pk}",
            blocks=[
                blocks.Paragraph(
                    "\n".join(filter(None, [recommendation.outcome, recommendation.text]))
                    if recommendation
                    else _("Ingen rekommendation är registrerad.")
                )
            ],
        )
    )
    reviews = pack_sources.reviews_for(application)
    sub.append(
        blocks.Chapter(
            title=_("Yttranden från beredningsgruppen"),
            anchor=f"ytt-{item.pk}",
            blocks=[
                blocks.Table(
                    caption=_("Yttranden"),
                    columns=[_("Granskare"), _("Bedömning"), _("Rekommendation"), _("Kommentar")],
                    rows=[[r.reviewer, r.score, r.recommendation, r.comment] for r in reviews],
                    numeric_from=4,
                )
                if reviews
                else blocks.Paragraph(_("Inga yttranden."))
            ],
        )
    )
    excluded = interested_users(application)
    sub.append(
        blocks.Chapter(
            title=_("Jäv"),
            anchor=f"jav-{item.pk}",
            blocks=[
                blocks.Paragraph(
                    _("%(names)s deltar inte i handläggningen på grund av jäv.")
                    % {"names": _names(excluded)}
                    if excluded
                    else _("Ingen har anmält jäv i ärendet.")
                )
            ],
        )
    )
    return blocks.Chapter(
        title=f"{item.paragraph_label} {application.title}",
        anchor=f"p{item.paragraph}",
        kicker=application.diary_number,
        blocks=parts,
        sub_chapters=sub,
    )


def meeting_pack(meeting: Meeting) -> blocks.Document:
    association = meeting.association.name
    items = list(
        meeting.items.select_related("application__organisation", "application__association")
    )
    agenda = blocks.Table(
        caption=_("Dagordning"),
        columns=[_("Paragraf"), _("Dnr"), _("Ärende"), _("Sökande"), _("Sökt belopp")],
        rows=[
            [
                i.paragraph_label,
                i.application.diary_number,
                i.application.title,
                i.application.organisation.name,
                sv_kronor(sum(applied_by_year(i.application).values())),
            ]
            for i in items
        ]
        or [["–", "", _("Inga ärenden"), "", ""]],
        numeric_from=4,
    )
    title = _("Möteshandlingar")
    return blocks.Document(
        title=f"{title} – {_meeting_title(meeting)}",
        author=association,
        subject=title,
        cover=blocks.Cover(
            title=_("Styrelsemöte"),
            organisation=association,
            kind=title,
            subtitle=" · ".join(filter(None, [sv_date(meeting.date), meeting.place])),
            lines=[_("Ärenden: %(count)s") % {"count": len(items)}],
        ),
        chapters=[
            blocks.Chapter(title=_("Dagordning"), anchor="dagordning", blocks=[agenda]),
            *[_pack_item(i) for i in items],
        ],
        header_left=association,
        footer_left=f"{title} {sv_date(meeting.date)}",
    )


# --- Decisions as text ------------------------------------------------------------------------


def _decision_blocks(decision: Decision, names: dict) -> list[blocks.Block]:
    out: list[blocks.Block] = []
    application = decision.application
    if decision.outcome == Outcome.GRANTED:
        out.append(
            blocks.Paragraph(
                _(
                    "Styrelsen beslutar att bevilja %(organisation)s medel för projektet "
                    "%(title)s under perioden %(period)s med sammanlagt %(total)s."
                )
                % {
                    "organisation": application.organisation.name,
                    "title": application.title,
                    "period": _period(decision.period_start, decision.period_end),
                    "total": sv_kronor(decision.granted_total),
                }
            )
        )
        out.append(
            _amounts_table(
                _("Beviljat belopp per år"), {a.year: int(a.amount) for a in decision.amounts.all()}
            )
        )
        lines = compensation_rules.describe(decision.compensation, names)
        if lines:
            out.append(blocks.Paragraph(_("Ersättningsmodell:") + "\n" + "\n".join(lines)))
    elif decision.outcome == Outcome.REJECTED:
        out.append(
            blocks.Paragraph(
                _(
                    "Styrelsen beslutar att avslå ansökan från %(organisation)s "
                    "om medel för %(title)s."
                )
                % {"organisation": application.organisation.name, "title": application.title}
            )
        )
    else:
        out.append(
            blocks.Paragraph(_("Styrelsen beslutar att bordlägga ärendet till ett senare möte."))
        )
    if decision.conditions:
        out.append(blocks.Paragraph(_("Villkor:") + "\n" + decision.conditions))
    excluded = list(decision.excluded.all())
    if excluded:
        out.append(
            blocks.Paragraph(
                _("%(names)s deltog inte i handläggningen på grund av jäv.")
                % {"names": _names(excluded)}
            )
        )
    return out


def minutes(meeting: Meeting) -> blocks.Document:
    association = meeting.association.name
    names = _municipality_names()
    decisions = list(
        Decision.objects.filter(item__meeting=meeting)
        .select_related("item", "application__organisation")
        .prefetch_related("amounts", "excluded")
        .order_by("item__paragraph")
    )
    title = _("Protokoll")
    approved = (
        _("Justerat %(date)s av %(names)s")
        % {"date": sv_date(meeting.minutes_approved_on), "names": meeting.adjusters}
        if meeting.minutes_approved
        else ""
    )
    sections = [
        blocks.Chapter(
            title=f"{d.item.paragraph_label} {d.application.title}",
            anchor=f"p{d.item.paragraph}",
            kicker=_("Dnr %(number)s") % {"number": d.application.diary_number},
            blocks=_decision_blocks(d, names),
        )
        for d in decisions
    ]
    if approved:
        sections.append(
            blocks.Chapter(
                title=_("Justering"), anchor="justering", blocks=[blocks.Paragraph(approved)]
            )
        )
    # One chapter with a section per paragraph: the minutes read on, page after page.
    chapters = [
        blocks.Chapter(
            title=_meeting_title(meeting),
            anchor="protokoll",
            kicker=title,
            blocks=[] if decisions else [blocks.Paragraph(_("Inga beslut."))],
            sub_chapters=sections,
        )
    ]
    return blocks.Document(
        title=f"{title} – {_meeting_title(meeting)}",
        author=association,
        subject=title,
        cover=blocks.Cover(
            title=_("Styrelsemöte"),
            organisation=association,
            kind=title,
            subtitle=" · ".join(filter(None, [sv_date(meeting.date), meeting.place])),
            lines=[approved] if approved else [],
        ),
        chapters=chapters
        or [
            blocks.Chapter(title=title, anchor="tomt", blocks=[blocks.Paragraph(_("Inga beslut."))])
        ],
        header_left=association,
        footer_left=f"{title} {sv_date(meeting.date)}",
        draft="" if meeting.minutes_approved else _("Ej justerat"),
    )


def decision_letter(decision: Decision) -> blocks.Document:
    meeting = decision.item.meeting
    association = meeting.association.name
    application = decision.application
    title = _("Beslut")
    body = [
        blocks.Paragraph(
            _("Till: %(organisation)s\nÄrende: %(title)s\nDiarienummer: %(number)s")
            % {
                "organisation": application.organisation.name,
                "title": application.title,
                "number": application.diary_number,
            }
        ),
        blocks.Paragraph(
            _("Styrelsen för %(association)s beslutade %(date)s, %(paragraph)s:")
            % {
                "association": association,
                "date": sv_date(decision.decided_on),
                "paragraph": decision.item.paragraph_label,
            }
        ),
        *_decision_blocks(decision, _municipality_names()),
    ]
    if decision.outcome == Outcome.GRANTED:
        body.append(
            blocks.Paragraph(
                _("Ett avtal om medlen skickas till er. Medlen betalas ut när avtalet är tecknat.")
            )
        )
    if meeting.minutes_approved_on:
        body.append(
            blocks.Paragraph(
                _("Protokollet justerades %(date)s.")
                % {"date": sv_date(meeting.minutes_approved_on)},
                note=True,
            )
        )
    return blocks.Document(
        title=f"{title} {application.diary_number}",
        author=association,
        subject=title,
        chapters=[
            blocks.Chapter(title=f"{title}: {application.title}", anchor="beslut", blocks=body)
        ],
        header_left=association,
        footer_left=f"{title} {application.diary_number}",
    )


INVOICING = {
    "fixed": _("Fakturering sker i efterskott per period enligt det fasta beloppet."),
    "per_participant_week": _(
        "Fakturering sker kvartalsvis i efterskott med underlag ur finsam (deltagarveckor)."
    ),
    "per_unit": _(
        "Fakturering sker kvartalsvis i efterskott med underlag över levererade enheter."
    ),
    "mixed": _(
        "Det fasta beloppet faktureras per period; deltagarveckorna kvartalsvis i efterskott "
        "med underlag ur finsam."
    ),
}


def agreement(decision: Decision) -> blocks.Document:
    meeting = decision.item.meeting
    association = meeting.association.name
    application = decision.application
    names = _municipality_names()
    title = _("Avtal om finansiering")
    reporting_rows = [
        [
            _("Slutrapport") if r["kind"] == "final" else _("Delrapport"),
            _date(r.get("covers_to")),
            _date(r["due"]),
        ]
        for r in decision.reporting_dates
    ]
    kind = decision.compensation.get("kind", "")
    chapters = [
        blocks.Chapter(
            title=_("Parter"),
            anchor="parter",
            blocks=[
                blocks.Paragraph(
                    _("Finansiär: %(association)s\nProjektägare: %(organisation)s")
                    % {"association": association, "organisation": application.organisation.name}
                ),
                blocks.Paragraph(
                    _(
                        "Avtalet gäller projektet %(title)s (dnr %(number)s) enligt styrelsens "
                        "beslut %(date)s, %(paragraph)s."
                    )
                    % {
                        "title": application.title,
                        "number": application.diary_number,
                        "date": sv_date(decision.decided_on),
                        "paragraph": decision.item.paragraph_label,
                    }
                ),
            ],
        ),
        blocks.Chapter(
            title=_("Period och belopp"),
            anchor="belopp",
            blocks=[
                blocks.Paragraph(
                    _("Avtalsperiod: %(period)s")
                    % {"period": _period(decision.period_start, decision.period_end)}
                ),
                _amounts_table(
                    _("Beviljat belopp per år"),
                    {a.year: int(a.amount) for a in decision.amounts.all()},
                ),
            ],
        ),
        blocks.Chapter(
            title=_("Ersättning och fakturering"),
            anchor="ersattning",
            blocks=[
                blocks.Paragraph(
                    "\n".join(compensation_rules.describe(decision.compensation, names))
                ),
                blocks.Paragraph(str(INVOICING.get(kind, ""))),
            ],
        ),
        blocks.Chapter(
            title=_("Rapportering"),
            anchor="rapportering",
            blocks=[
                blocks.Table(
                    caption=_("Rapportdatum"),
                    columns=[_("Rapport"), _("Avser tiden till"), _("Lämnas senast")],
                    rows=reporting_rows or [["–", "–", "–"]],
                    numeric_from=3,
                )
            ],
        ),
        blocks.Chapter(
            title=_("Projektägarens åtaganden"),
            anchor="ataganden",
            blocks=[
                blocks.Paragraph(
                    _(
                        "Projektägaren registrerar deltagare och insatser i finsam enligt "
                        "förbundets anvisningar."
                    )
                ),
                blocks.Paragraph(
                    _(
                        "Projektägaren ansvarar för att deltagarnas samtycke inhämtas, "
                        "dokumenteras och återkallas enligt förbundets rutiner, och är "
                        "personuppgiftsansvarig för sin egen verksamhet."
                    )
                ),
                blocks.Paragraph(
                    _(
                        "Medel som inte används enligt avtalet, eller som betalats ut på "
                        "felaktiga grunder, ska betalas tillbaka till förbundet."
                    )
                ),
                blocks.Paragraph(
                    _(
                        "Ändringar i projektets inriktning, period eller budget ska anmälas "
                        "till förbundet i förväg och kräver förbundets skriftliga godkännande."
                    )
                ),
                *(
                    [blocks.Paragraph(_("Villkor i beslutet:") + "\n" + decision.conditions)]
                    if decision.conditions
                    else []
                ),
            ],
        ),
        blocks.Chapter(
            title=_("Underskrifter"),
            anchor="underskrifter",
            blocks=[
                blocks.Paragraph(
                    _("För %(name)s\n\n____________________________\nOrt och datum")
                    % {"name": association}
                ),
                blocks.Paragraph(
                    _("För %(name)s\n\n____________________________\nOrt och datum")
                    % {"name": application.organisation.name}
                ),
            ],
        ),
    ]
    # One chapter with the sections as sub-chapters: an agreement reads on, page after page.
    main = blocks.Chapter(
        title=title,
        anchor="avtal",
        kicker=_("Dnr %(number)s") % {"number": application.diary_number},
        sub_chapters=chapters,
    )
    return blocks.Document(
        title=f"{title} {application.diary_number}",
        author=association,
        subject=title,
        cover=blocks.Cover(
            title=application.title,
            organisation=association,
            kind=title,
            subtitle=application.organisation.name,
            lines=[_("Dnr %(number)s") % {"number": application.diary_number}],
        ),
        chapters=[main],
        header_left=association,
        footer_left=f"{title} {application.diary_number}",
        draft="" if decision.agreement_signed_on else _("Att underteckna"),
    )


def file(document: blocks.Document, extension: str) -> bytes:
    return render(document, extension)

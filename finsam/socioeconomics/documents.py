"""An estimate as a document (PDF, DOCX) through the document layer: the same figures, the
arithmetic, the chart, the sensitivity table and every assumption with its source, labelled as an
estimate on every page."""

from __future__ import annotations

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from finsam.core import formats
from finsam.documents.blocks import Chapter, Chart, Cover, Document, Paragraph, Table
from finsam.socioeconomics import charts, selectors


def _value(a) -> str:
    if a.is_percent:
        return formats.sv_percent_value(a.value, decimals=2)
    return f"{formats.sv_amount(a.value)} {a.unit_label}"


def _source(a) -> str:
    parts = []
    if a.is_assumption:
        parts.append(_("Antagande."))
    if a.is_default:
        parts.append(_("Förval."))
    parts.append(a.source or "–")
    if a.source_url:
        parts.append(a.source_url)
    if a.source_date:
        parts.append(f"({a.source_date:%Y-%m-%d})")
    return " ".join(parts)


def _count(n) -> str:
    return "–" if n is None else str(n)


def estimate_document(result, sensitivity_rows: list[dict]) -> Document:
    estimate = result.estimate
    initiative = estimate.initiative
    kr = selectors.amount
    h = result.inputs.years
    label = _("Uppskattning – inte en effektutvärdering")
    summary = Table(
        caption=_("Resultat"),
        columns=[_("Uppgift"), _("Värde")],
        rows=[
            [_("Insatsens kostnad (kr)"), kr(result.inputs.cost)],
            [_("Deltagare som lämnar ersättning"), str(result.inputs.leavers)],
            [_("Offentlig vinst år 1 (kr)"), kr(result.gain_1)],
            [
                _("Offentlig vinst %(years)s år, diskonterad (kr)") % {"years": h},
                kr(result.gain_h),
            ],
            [_("Vinst minus kostnad (kr)"), kr(result.net_h)],
            [
                _("Deltagare som betalar insatsen: försörjningsstöd / staten"),
                f"{_count(result.break_even_municipality)} / {_count(result.break_even_state)}",
            ],
        ],
    )
    five = result.shows_5_years
    actors = Table(
        caption=_("Per aktör"),
        columns=[
            _("Aktör"),
            _("År 1 (kr)"),
            *([_("%(years)s år, diskonterat (kr)") % {"years": 5}] if five else []),
            _("%(years)s år, diskonterat (kr)") % {"years": h},
        ],
        rows=[
            [name, kr(one), *([kr(five_)] if five else []), kr(all_)]
            for name, one, five_, all_ in result.actors
        ],
        total=[
            _("Totalt"),
            kr(result.gain_1),
            *([kr(result.gain_5)] if five else []),
            kr(result.gain_h),
        ],
    )
    sensitivity = Table(
        caption=_("Känslighetsanalys"),
        columns=[
            _("Ändrat antagande"),
            _("Värde"),
            _("Offentlig vinst (kr)"),
            _("Vinst minus kostnad (kr)"),
        ],
        rows=[[r["label"], r["display"], kr(r["gain"]), kr(r["net"])] for r in sensitivity_rows],
        note=_("Ett antagande i taget ändras; övriga som ovan."),
    )
    assumptions = Table(
        caption=_("Antaganden i beräkningen"),
        columns=[_("Antagande"), _("Källa och datum"), _("Värde")],
        rows=[[a.label, _source(a), _value(a)] for a in result.used_assumptions],
        numeric_from=2,
    )
    source = charts.chart_source(result)
    chapters = [
        Chapter(
            title=_("Resultat"),
            anchor="resultat",
            blocks=[
                Paragraph(
                    _(
                        "Siffrorna visar vad det offentliga sparar om de deltagare som lämnar "
                        "ersättning står utan den, räknat med antagandena nedan. Det finns ingen "
                        "kontrollgrupp: vi vet inte hur många som hade lämnat ersättningen ändå, "
                        "utan insatsen."
                    )
                ),
                summary,
                actors,
                Chart(
                    title=_("Kostnad och offentlig vinst år för år"),
                    alt=source.alt,
                    source=source,
                    drawer=charts.LINE_CHARTS,
                ),
            ],
        ),
        Chapter(
            title=_("Så räknas det"),
            anchor="berakning",
            blocks=[
                *(
                    Paragraph(f"{n}. {line}")
                    for n, line in enumerate(selectors.arithmetic(result), 1)
                ),
                sensitivity,
            ],
        ),
        Chapter(
            title=_("Antaganden"),
            anchor="antaganden",
            blocks=[assumptions] + ([Paragraph(estimate.note)] if estimate.note else []),
        ),
    ]
    today = timezone.localdate()
    return Document(
        title=estimate.title,
        chapters=chapters,
        author=str(estimate.association),
        subject=label,
        cover=Cover(
            title=estimate.title,
            organisation=str(estimate.association),
            kind=_("Socioekonomisk uppskattning"),
            subtitle=initiative.name,
            lines=[label, today.isoformat()],
        ),
        header_left=initiative.name,
        footer_left=label,
        draft=_("Uppskattning"),
    )


def filename(estimate, extension: str) -> str:
    return f"uppskattning-{slugify(estimate.initiative.name)}-{estimate.pk}.{extension}"

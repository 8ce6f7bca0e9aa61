"""Demo reporting periods and reports (`reporting_periods` in `data/skaraborg.json`).

The reports are made the way a secretariat and its writers make them, through
`finsam.reports.services`: the period is opened, one report per initiative active in the period
is created (with sub-reports per municipality where the JSON asks for them), the texts are saved,
reports are submitted (which freezes the statistics block) and approved or returned with a
comment. The services stamp everything with the current time, so the dates of the JSON
(submitted, approved, returned, the period opened) are written onto the rows afterwards.

A period that already has reports is left as it is: the demo users may have worked on it.
"""

from __future__ import annotations

import datetime
import random
import re

from django.utils import timezone

from finsam.demo.generation import parse_date
from finsam.reports import services
from finsam.reports.models import InitiativeReport, ReportComment, ReportingPeriod, ReportStatus
from finsam.staff.access import build_access

ANALYSIS_FIELDS = ("analysis_success_factors", "analysis_cooperation", "analysis_goal_attainment")
TEXT_FIELDS = ("results", *ANALYSIS_FIELDS)
MUNICIPALITY_MARK = re.compile(r"^\[([^\]]+)\]\s*$", flags=re.MULTILINE)


def by_municipality(text: str) -> dict[str, str]:
    """ "[Falköping]\\n\\ntext\\n\\n[Hjo]\\n\\ntext" → {"Falköping": "text", "Hjo": "text"}."""
    parts = MUNICIPALITY_MARK.split(text or "")
    return {parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}


def split_analysis(text: str, cuts: list[int]) -> dict[str, str]:
    """Split an analysis answering the three questions in one text at paragraph boundaries:
    paragraphs [0, a) success factors, [a, b) intake and cooperation, [b, …) goal attainment.
    Joined again the parts are the text as written."""
    paragraphs = [p for p in (text or "").strip().split("\n\n")]
    a, b = cuts
    parts = (paragraphs[:a], paragraphs[a:b], paragraphs[b:])
    return {
        field: "\n\n".join(part).strip() for field, part in zip(ANALYSIS_FIELDS, parts, strict=True)
    }


def seed_texts(ini_spec: dict, key: str, municipality: str | None) -> dict[str, str]:
    """The results and analysis of an initiative's report as written in the seed (`key`), for
    the main report or one municipality's sub-report."""
    texts = ini_spec.get(key) or {}
    results, analysis = texts.get("results", ""), texts.get("analysis", "")
    cuts = texts.get("analysis_split")
    if municipality is not None:
        results = by_municipality(results).get(municipality, "")
        analysis = by_municipality(analysis).get(municipality, "")
        cuts = (cuts or {}).get(municipality)
    elif MUNICIPALITY_MARK.search(results):
        return {}  # written per municipality: the sub-reports carry it
    out = {"results": results.strip()}
    if cuts:
        out.update(split_analysis(analysis, cuts))
    else:
        out["analysis_success_factors"] = analysis.strip()
    return {k: v for k, v in out.items() if v}


def _at(day: datetime.date, hour: int, rng: random.Random) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, rng.randrange(60)))
    )


def load_reporting_periods(spec: dict, association, *, secretariat, writer, result) -> None:
    initiatives = {i.name: i for i in association.initiatives.all()}
    ini_specs = {i["name"]: i for i in spec["initiatives"]}
    for period_spec in spec.get("reporting_periods", []):
        period = ReportingPeriod.objects.filter(
            association=association, name=period_spec["name"]
        ).first()
        if period is None:
            period = services.period_create(
                access=build_access(secretariat, association.pk),
                association=association,
                name=period_spec["name"],
                kind=period_spec.get("kind", "interim"),
                start_date=parse_date(period_spec["start_date"]),
                end_date=parse_date(period_spec["end_date"]),
                deadline=parse_date(period_spec["deadline"]),
            )
            result.add("reportingperiod")
        elif period.reports.exists():
            continue
        _fill_period(period, period_spec, initiatives, ini_specs, secretariat, writer, result)


def _fill_period(period, spec, initiatives, ini_specs, secretariat, writer, result) -> None:
    rng = random.Random(f"finsam-demo:reports:{period.name}")
    secretariat = build_access(secretariat, period.association_id)
    writer_access = build_access(writer, period.association_id)
    services.reports_create_for_period(
        access=secretariat,
        period=period,
        sub_report_initiative_ids=[initiatives[name].pk for name in spec.get("sub_reports", [])],
    )
    reports = list(
        InitiativeReport.objects.filter(period=period)
        .select_related("initiative", "municipality", "period")
        .order_by("initiative__name", "municipality__name")
    )
    result.add("initiativereport", len(reports))
    opened = _at(parse_date(spec["opened_on"]), 9, rng)
    ReportingPeriod.objects.filter(pk=period.pk).update(created_at=opened, updated_at=opened)
    overrides = spec.get("reports", {})
    low, high = (parse_date(d) for d in spec.get("submitted_between", [spec["deadline"]] * 2))
    for report in reports:
        ini_spec = ini_specs.get(report.initiative.name, {})
        municipality = report.municipality.name if report.municipality_id else None
        key = report.initiative.name + (f" – {municipality}" if municipality else "")
        own = overrides.get(key, {})
        data = seed_texts(ini_spec, spec["texts"], municipality) if spec.get("texts") else {}
        if spec.get("texts") and ini_spec.get("period_as_written"):
            data["project_period"] = ini_spec["period_as_written"]
        data.update({k: v for k, v in own.items() if k in TEXT_FIELDS})
        # The demo's writer where assigned; the secretariat (who may write every report) else.
        writer = (
            writer_access
            if writer_access.can("report.write", initiative=report.initiative)
            else secretariat
        )
        if data:
            report = services.report_update(access=writer, report=report, data=data)
        if own.get("insert_summary"):
            report = services.report_insert_summary(access=writer, report=report)
        status = own.get("status", spec.get("status", ReportStatus.DRAFT))
        stamps = {"created_at": opened, "updated_at": opened}
        if status != ReportStatus.DRAFT:
            submitted = own.get("submitted_on")
            day = parse_date(submitted) if submitted else _day_between(rng, low, high)
            stamps["submitted_at"] = stamps["updated_at"] = _at(day, 10 + rng.randrange(6), rng)
            report = services.report_submit(access=writer, report=report)
            snapshot = dict(report.statistics_snapshot)
            if snapshot:
                snapshot["taken_at"] = stamps["submitted_at"].isoformat(timespec="seconds")
                stamps["statistics_snapshot"] = snapshot
        if status == ReportStatus.APPROVED:
            approved = own.get("approved_on")
            day = (
                parse_date(approved)
                if approved
                else stamps["submitted_at"].date() + datetime.timedelta(days=rng.randint(4, 16))
            )
            report = services.report_approve(access=secretariat, report=report)
            stamps["approved_at"] = stamps["updated_at"] = _at(day, 13, rng)
        elif status == ReportStatus.RETURNED:
            report = services.report_return(
                access=secretariat, report=report, comment=own["comment"]
            )
            returned = _at(parse_date(own["returned_on"]), 14, rng)
            stamps["updated_at"] = returned
            ReportComment.objects.filter(report=report).update(
                created_at=returned, updated_at=returned
            )
            result.add("reportcomment")
        InitiativeReport.objects.filter(pk=report.pk).update(**stamps)


def _day_between(rng: random.Random, low: datetime.date, high: datetime.date) -> datetime.date:
    return low + datetime.timedelta(days=rng.randrange((high - low).days + 1))

"""`manage.py compile_report`: the compiled report of an association's period, for scheduled runs.

    manage.py compile_report --association skaraborg --format pdf --output sammanstallning.pdf
    manage.py compile_report --association 3 --period "Delårsrapport januari–augusti 2021" \\
        --format docx --output -        # "-" writes to standard output
    manage.py compile_report --association skaraborg --approved-only --output godkanda.pdf
"""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from finsam.associations.models import Association
from finsam.reports.compile import FORMATS, latest_period_with_reports
from finsam.reports.models import ReportingPeriod, ReportStatus


def find_association(value: str) -> Association:
    """By slug, or by id when the value is a number."""
    value = value.strip()
    association = Association.objects.filter(slug=value).first()
    if association is None and value.isdigit():
        association = Association.objects.filter(pk=int(value)).first()
    if association is None:
        known = ", ".join(Association.objects.order_by("slug").values_list("slug", flat=True))
        raise CommandError(
            f"Unknown association {value!r}: give its slug or id"
            + (f" (known: {known})." if known else " (there are no associations).")
        )
    return association


def find_period(association: Association, value: str | None) -> ReportingPeriod:
    """By id or name within the association; by default the latest period that has reports."""
    periods = ReportingPeriod.objects.filter(association=association)
    if value is None:
        period = latest_period_with_reports(association)
        if period is None:
            raise CommandError(f"{association.slug} has no reporting period with reports.")
        return period
    value = value.strip()
    period = None
    if value.isdigit():
        period = periods.filter(pk=int(value)).first()
    if period is None:
        period = periods.filter(name__iexact=value).first()
    if period is None:
        known = "; ".join(f"{p.pk}: {p.name}" for p in periods.order_by("-end_date"))
        raise CommandError(
            f"Unknown period {value!r} for {association.slug}: give its id or name"
            + (f" (known: {known})." if known else " (the association has no periods).")
        )
    return period


class Command(BaseCommand):
    help = (
        "Compile the report of an association's reporting period (projektsammanställning: "
        "cover, contents, one chapter per initiative report, summary) as PDF or DOCX."
    )

    def add_arguments(self, parser):
        parser.add_argument("--association", required=True, help="Slug or id of the association.")
        parser.add_argument(
            "--period",
            help="Id or name of the reporting period (default: the latest one that has reports).",
        )
        parser.add_argument(
            "--format",
            choices=sorted(FORMATS),
            help="pdf or docx (default: from the output file's extension).",
        )
        parser.add_argument(
            "--output", required=True, help='File to write, or "-" for standard output.'
        )
        parser.add_argument(
            "--approved-only",
            action="store_true",
            help=(
                "Only the approved reports (godkända rapporter), naming on the cover and contents "
                "the initiatives whose reports are not approved yet."
            ),
        )

    def handle(self, *args, **options):
        output = options["output"]
        fmt = options["format"]
        if fmt is None:
            suffix = Path(output).suffix.lower().lstrip(".")
            if suffix not in FORMATS:
                raise CommandError(
                    "Give --format pdf or --format docx (or an output file name "
                    "ending in .pdf or .docx)."
                )
            fmt = suffix
        path = Path(output)
        if output != "-" and not path.parent.exists():
            raise CommandError(f"The folder {path.parent} does not exist.")
        association = find_association(options["association"])
        period = find_period(association, options["period"])
        started = time.perf_counter()
        compile_document, _content_type = FORMATS[fmt]
        approved_only = options["approved_only"]
        data = compile_document(association=association, period=period, approved_only=approved_only)
        seconds = time.perf_counter() - started
        if output == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        path.write_bytes(data)
        reports = period.reports.filter(parent__isnull=True)
        if approved_only:
            reports = reports.filter(status=ReportStatus.APPROVED)
        self.stdout.write(
            f"Wrote {path} ({fmt.upper()}, {len(data) / 1024:.0f} kB): {association.name}, "
            f"{period.name}, {reports.count()} {'approved ' if approved_only else ''}initiative "
            f"reports, compiled in {seconds:.1f} s."
        )

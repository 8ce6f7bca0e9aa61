"""Browsing the access log: who read or changed which participant's personal data, and when;
and the change log: who changed what (approved a report, changed a budget, assigned a registrar).

For the secretariat (and the operator, for the association chosen). The rows name participants
by pseudonym only, so the pages and the CSV never contain personal data.
"""

import csv

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from finsam.audit import selectors
from finsam.audit.filters import OBJECT_TYPES, AccessEventFilter, ChangeEventFilter
from finsam.audit.models import CHANGE_ACTIONS
from finsam.core.access import require
from finsam.core.htmx import render_partial_or_page
from finsam.core.roles import Role

PAGE_SIZE = 50
CHANNELS = {
    "web": gettext_lazy("Webb"),
    "api": gettext_lazy("API"),
    "import": gettext_lazy("Import"),
}


def _association(request):
    """The association whose logs are read (none chosen, as the operator may be: 403)."""
    if request.access.association is None:
        raise PermissionDenied
    return request.access.association


def _filterset(request) -> AccessEventFilter:
    association = _association(request)
    return AccessEventFilter(
        request.GET,
        queryset=selectors.access_events(association=association),
        initiatives=selectors.initiatives_of(association),
    )


def _role_label(code: str) -> str:
    try:
        return str(Role(code).label)
    except ValueError:
        return code or "–"


def _log_context(request, filterset, *, table_id: str, caption: str) -> dict:
    """The page of filtered events asked for, each with its role and channel labelled, and the
    id and label of the log's table (`audit/_log_table.html`; the filter form swaps it)."""
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    events = list(page.object_list)
    for event in events:
        event.role_label = _role_label(event.actor_role)
        event.channel_label = CHANNELS.get(event.channel, event.channel)
    return {
        "filter": filterset,
        "page": page,
        "events": events,
        "table_id": table_id,
        "caption": caption,
    }


@require_GET
@require("access_log.read")
def log(request):
    context = _log_context(
        request, _filterset(request), table_id="audit-table", caption=_("Åtkomstlogg")
    )
    return render_partial_or_page(request, "audit/_table.html", "audit/log.html", context)


class _Echo:
    def write(self, value):
        return value


def _cell(value) -> str:
    """Neutralise values a spreadsheet would run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


@require_GET
@require("access_log.read")
def log_csv(request):
    """The filtered log as CSV (semicolon-separated, UTF-8 with BOM: opens directly in Excel).

    One line per event and participant, so that a spreadsheet can filter the log per person;
    the event number groups the lines of one event (a list page shows many participants).
    """
    filterset = _filterset(request)
    writer = csv.writer(_Echo(), delimiter=";")
    header = [
        _("Händelse nr"),
        _("Tid"),
        _("Användare"),
        _("Roll"),
        _("Händelse"),
        _("Insats"),
        _("Pseudonym"),
        _("Uppgifter"),
        _("Kanal"),
    ]

    def rows():
        yield "\ufeff" + writer.writerow(header)
        for event in filterset.qs.iterator(chunk_size=2000):
            cells = [
                _cell(event.pk),
                _cell(timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S")),
                _cell(event.actor.email if event.actor else ""),
                _cell(_role_label(event.actor_role)),
                _cell(event.get_action_display()),
                _cell(event.initiative.name if event.initiative else ""),
            ]
            tail = [_cell(event.fields), _cell(CHANNELS.get(event.channel, event.channel))]
            # One line per participant the event showed (one line if it showed nobody).
            for pseudonym in event.pseudonyms or [""]:
                yield writer.writerow([*cells, _cell(pseudonym), *tail])

    filename = f"atkomstlogg-{request.access.association.slug}-{timezone.localdate():%Y%m%d}.csv"
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- The change log -------------------------------------------------------------------------


# A long text (a report section) is shown by its beginning: the log says that it changed.
VALUE_CHARS = 120


def _field(object_type: str, name: str):
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    try:
        return apps.get_model(object_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None


def _value(field, value) -> str:
    """A stored value as a person reads it: a choice by its label, a time in local time, a
    long text by its beginning."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("Ja") if value else _("Nej"))
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(value))
        if moment is not None:
            return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    return Truncator(str(value)).chars(VALUE_CHARS)


def _describe_changes(event) -> list[dict]:
    """The event's changes for the page: field, and old → new unless withheld (personal)."""
    rows = []
    for name, values in (event.changes or {}).items():
        field = _field(event.object_type, name)
        label = str(field.verbose_name) if field is not None else name
        row = {"field": label, "withheld": values is None}
        if values is not None:
            row["old"], row["new"] = _value(field, values[0]), _value(field, values[1])
        rows.append(row)
    return rows


@require_GET
@require("change_log.read")
def change_log(request):
    """The association's change log, newest first, filtered by object type, user and date."""
    filterset = ChangeEventFilter(
        request.GET, queryset=selectors.change_events(association=_association(request))
    )
    context = _log_context(request, filterset, table_id="changes-table", caption=_("Ändringslogg"))
    for event in context["events"]:
        event.type_label = OBJECT_TYPES.get(event.object_type, event.object_type)
        event.action_label = CHANGE_ACTIONS.get(event.action, event.action)
        event.change_rows = _describe_changes(event)
    return render_partial_or_page(
        request, "audit/_changes_table.html", "audit/changes.html", context
    )

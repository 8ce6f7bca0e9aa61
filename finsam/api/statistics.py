"""Statistics through the API: the tables of the statistics pages as JSON.

Same scopes (`finsam.statistics.scopes.scope_for`: 404 outside the user's reach, 403 for a kind
outside their role), same filters (the pages' form parses the query string) and the same
small-cell suppression: a suppressed count is `null`, and its row says `suppressed: true`.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.reverse import reverse

from finsam.api.views import ApiView
from finsam.statistics import engine
from finsam.statistics.forms import StatsFilterForm
from finsam.statistics.scopes import KINDS, available_scopes, scope_for

TABLE_PARAM = "table"

# --- Output ----------------------------------------------------------------------------------


KIND_HELP = "One of: " + ", ".join(KINDS) + "."
TABLE_CHOICES = ("headline", *engine.DIMENSIONS)


class StatisticsScopeOut(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KINDS, help_text=KIND_HELP)
    id = serializers.IntegerField(allow_null=True, help_text="Null for the whole country.")
    label = serializers.CharField()
    url = serializers.CharField(help_text="The scope's statistics endpoint.")


class StatisticsRowOut(serializers.Serializer):
    key = serializers.CharField(help_text="Code, bucket or municipality id of the row.")
    label = serializers.CharField()
    women = serializers.IntegerField(allow_null=True)
    men = serializers.IntegerField(allow_null=True)
    other = serializers.IntegerField(allow_null=True, help_text="Annat/ej angivet kön.")
    total = serializers.IntegerField(allow_null=True)
    suppressed = serializers.BooleanField(
        help_text="True when any count of the row is hidden (null) by the small-cell rule."
    )


class StatisticsTableOut(serializers.Serializer):
    dimension = serializers.ChoiceField(
        choices=TABLE_CHOICES, help_text="`headline` or one of the dimensions."
    )
    title = serializers.CharField()
    population = serializers.CharField(help_text="Which enrolments are counted.")
    suppressed = serializers.BooleanField(help_text="Whether the small-cell rule was applied.")
    multi_valued = serializers.BooleanField(
        help_text="A participant may count in several rows (rows may sum to more than total)."
    )
    rows = StatisticsRowOut(many=True)
    total = StatisticsRowOut()


class StatisticsFiltersOut(serializers.Serializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    initiative = serializers.ListField(child=serializers.IntegerField())
    target_group = serializers.ListField(child=serializers.IntegerField())
    municipality = serializers.ListField(child=serializers.IntegerField())


class StatisticsScopeInfoOut(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KINDS, help_text=KIND_HELP)
    id = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()
    suppressed = serializers.BooleanField()


class StatisticsOut(serializers.Serializer):
    scope = StatisticsScopeInfoOut()
    filters = StatisticsFiltersOut()
    suppression_text = serializers.CharField(
        allow_null=True, help_text="The small-cell rule in words (suppressed scopes only)."
    )
    headline = StatisticsTableOut(allow_null=True)
    tables = StatisticsTableOut(many=True)


def row_json(row: engine.Row) -> dict:
    return {
        "key": row.key,
        "label": row.label,
        "women": row.women.value,
        "men": row.men.value,
        "other": row.other.value,
        "total": row.total.value,
        "suppressed": any(c.value is None for c in row.cells),
    }


def table_json(table: engine.Table) -> dict:
    return {
        "dimension": table.dimension,
        "title": table.title,
        "population": table.population,
        "suppressed": table.suppressed,
        "multi_valued": table.multi_valued,
        "rows": [row_json(r) for r in table.rows],
        "total": row_json(table.total),
    }


# --- Views -----------------------------------------------------------------------------------


def scope_endpoint(request, kind, obj_id) -> str:
    version = request.version or "v1"
    if kind == "national":
        return reverse("api:statistics_national", kwargs={"version": version}, request=request)
    return reverse(
        "api:statistics", kwargs={"version": version, "kind": kind, "pk": obj_id}, request=request
    )


class StatisticsScopeListApi(ApiView):
    @extend_schema(
        responses=StatisticsScopeOut(many=True),
        summary="The statistics scopes the user may read",
        description=(
            "Initiatives the user sees; for the association-wide roles also the association, "
            "the regions (län) with associations and the whole country."
        ),
    )
    def get(self, request, version):
        access = self.get_access()
        data = [
            {
                "kind": kind,
                "id": obj_id,
                "label": label,
                "url": scope_endpoint(request, kind, obj_id),
            }
            for kind, obj_id, label in available_scopes(access)
        ]
        return Response(StatisticsScopeOut(data, many=True).data)


STATISTICS_PARAMETERS = [
    OpenApiParameter(
        "period_start",
        OpenApiTypes.DATE,
        description="Periodens första dag (ÅÅÅÅ-MM-DD). Utan period: innevarande år till i dag.",
    ),
    OpenApiParameter("period_end", OpenApiTypes.DATE, description="Periodens sista dag."),
    OpenApiParameter(
        "initiative",
        OpenApiTypes.INT,
        many=True,
        explode=True,
        description="Endast dessa insatser (upprepa parametern). Förbund och region.",
    ),
    OpenApiParameter(
        "target_group",
        OpenApiTypes.INT,
        many=True,
        explode=True,
        description="Insatser med någon av dessa målgrupper (id för målgruppskoder).",
    ),
    OpenApiParameter(
        "municipality",
        OpenApiTypes.INT,
        many=True,
        explode=True,
        description="Deltagare med någon av dessa hemkommuner (kommunens id).",
    ),
    OpenApiParameter(
        TABLE_PARAM,
        OpenApiTypes.STR,
        many=True,
        explode=True,
        enum=TABLE_CHOICES,
        description="Endast dessa tabeller (upprepa parametern). Standard: alla.",
    ),
]


KIND_PARAMETER = OpenApiParameter(
    "kind",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=("initiative", "association", "region"),
    description="Vilket slags urval `id` avser.",
)


class StatisticsApi(ApiView):
    has_filters = True

    @extend_schema(
        parameters=[KIND_PARAMETER, *STATISTICS_PARAMETERS],
        responses=StatisticsOut,
        summary="Statistics of an initiative, the association or a region",
        description=(
            "`kind` is `initiative`, `association` (the id of the current association) or "
            "`region` (the id of a region/län). Every table is split by gender. In region and "
            "national scopes counts below the small-cell limit (setting SMALL_CELL_LIMIT, "
            f"now {settings.SMALL_CELL_LIMIT}) are suppressed (null), and where a hidden count "
            "could be worked out from a total another count of the row or column is hidden too."
        ),
    )
    def get(self, request, version, kind, pk):
        return self.statistics(request, kind, pk)

    def statistics(self, request, kind, obj_id):
        access = self.get_access()
        scope = scope_for(access, kind, obj_id)
        wanted = request.query_params.getlist(TABLE_PARAM)
        unknown = [name for name in wanted if name not in TABLE_CHOICES]
        if unknown:
            raise serializers.ValidationError({TABLE_PARAM: [_("Okänd tabell.")]})
        form = StatsFilterForm(request.query_params, scope=scope)
        if not form.is_valid():
            # Like the initiative list: messages without the rejected values.
            raise serializers.ValidationError(
                {
                    field: [str(message) for message in messages]
                    if field == "__all__"
                    else [str(_("Ogiltigt värde för filtret."))]
                    for field, messages in form.errors.items()
                }
            )
        flt = form.to_filter()
        if wanted:
            headline = engine.headline(scope, flt) if "headline" in wanted else None
            tables = [
                engine.stats_table(scope, flt, name) for name in engine.DIMENSIONS if name in wanted
            ]
        else:
            headline, *tables = engine.all_tables(scope, flt)
        data = {
            "scope": {
                "kind": scope.kind,
                "id": obj_id,
                "label": scope.label,
                "suppressed": scope.suppress,
            },
            "filters": {
                "period_start": flt.period_start,
                "period_end": flt.period_end,
                "initiative": list(flt.initiative_ids),
                "target_group": list(flt.target_group_ids),
                "municipality": list(flt.municipality_ids),
            },
            "suppression_text": str(engine.SUPPRESSION_TEXT) if scope.suppress else None,
            "headline": table_json(headline) if headline else None,
            "tables": [table_json(t) for t in tables],
        }
        return Response(StatisticsOut(data).data)


class NationalStatisticsApi(StatisticsApi):
    @extend_schema(
        parameters=STATISTICS_PARAMETERS,
        responses=StatisticsOut,
        summary="Statistics of the whole country (association-wide roles)",
        description=(
            "Every association's enrolments, with counts below the small-cell limit "
            f"(SMALL_CELL_LIMIT, now {settings.SMALL_CELL_LIMIT}) suppressed (null)."
        ),
    )
    def get(self, request, version):
        return self.statistics(request, "national", None)

"""Indicator results through the API: the figures of the indicator pages as JSON.

Same scopes and permissions as the pages (`finsam.indicators.scoping.scope_for`: 404 outside the
user's reach, 403 without the action or for the association scope of an initiative manager),
same year and the same suppression: a hidden figure's `n`, `positive` and `share` are `null` and
`hidden` says why ("small", "secondary" or "pool").
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.reverse import reverse

from finsam.api.views import ApiView
from finsam.indicators import scoping, selectors

INDICATOR_KINDS = ("association", "initiative")


class IndicatorScopeOut(serializers.Serializer):
    scope = serializers.ChoiceField(choices=INDICATOR_KINDS)
    id = serializers.IntegerField()
    label = serializers.CharField()
    url = serializers.CharField(help_text="The scope's indicator endpoint.")


class FigureOut(serializers.Serializer):
    n = serializers.IntegerField(allow_null=True, help_text='Counted answers ("vet ej" not).')
    positive = serializers.IntegerField(allow_null=True)
    share = serializers.FloatField(allow_null=True, help_text="positive ÷ n, 0–1.")
    hidden = serializers.CharField(
        help_text="Empty when shown; `small` (fewer than the minimum), `secondary` (would "
        "reveal a small one from a total) or `pool` (would reveal another association's few)."
    )


class IndicatorResultOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    national = serializers.BooleanField()
    verified = serializers.BooleanField(help_text="False: a placeholder wording.")
    level = serializers.CharField()
    kind = serializers.CharField()
    minimum = serializers.IntegerField(help_text="Fewest counted answers shown.")
    target_share = serializers.FloatField(allow_null=True, help_text="Percent.")
    target_comparison = serializers.CharField()
    met = serializers.BooleanField(allow_null=True)
    total = FigureOut()
    women = FigureOut()
    men = FigureOut()
    other = FigureOut()
    by_group = serializers.DictField(child=FigureOut(), help_text="By respondent group.")
    previous_year = FigureOut()
    change_points = serializers.FloatField(allow_null=True)
    region = FigureOut(allow_null=True)
    installation = FigureOut(allow_null=True)


class IndicatorsOut(serializers.Serializer):
    scope = serializers.ChoiceField(choices=INDICATOR_KINDS)
    id = serializers.IntegerField()
    label = serializers.CharField()
    year = serializers.IntegerField()
    region_label = serializers.CharField(allow_null=True)
    indicators = IndicatorResultOut(many=True)


def figure_json(figure) -> dict | None:
    if figure is None:
        return None
    if figure.hidden:
        return {"n": None, "positive": None, "share": None, "hidden": figure.hidden}
    return {"n": figure.n, "positive": figure.positive, "share": figure.share, "hidden": ""}


def results_json(found) -> list[dict]:
    out = []
    for indicator, result in found.pairs():
        rule = result.rule
        out.append(
            {
                "code": indicator.code,
                "name": indicator.text(),
                "national": indicator.is_national,
                "verified": indicator.verified,
                "level": indicator.level,
                "kind": indicator.kind,
                "minimum": rule.minimum,
                "target_share": float(rule.target_share) if rule.target_share is not None else None,
                "target_comparison": "at_least" if rule.at_least else "at_most",
                "met": result.met,
                "total": figure_json(result.total),
                "women": figure_json(result.by_gender["woman"]),
                "men": figure_json(result.by_gender["man"]),
                "other": figure_json(result.by_gender["other"]),
                "by_group": {g: figure_json(f) for g, f in result.by_group.items() if f.n},
                "previous_year": figure_json(result.previous),
                "change_points": result.change,
                "region": figure_json(result.region),
                "installation": figure_json(result.installation),
            }
        )
    return out


def scope_endpoint(request, kind, obj_id) -> str:
    return reverse(
        "api:indicators",
        kwargs={"version": request.version or "v1", "kind": kind, "pk": obj_id},
        request=request,
    )


class IndicatorScopeListApi(ApiView):
    @extend_schema(
        responses=IndicatorScopeOut(many=True),
        summary="The indicator scopes the user may read",
        description="The association (association-wide roles) and the initiatives the user may "
        "read indicators of (initiative managers: their own).",
    )
    def get(self, request, version):
        access = self.get_access()
        data = [
            {"scope": kind, "id": pk, "label": label, "url": scope_endpoint(request, kind, pk)}
            for kind, pk, label in scoping.available_scopes(access)
        ]
        return Response(IndicatorScopeOut(data, many=True).data)


class IndicatorsApi(ApiView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=INDICATOR_KINDS,
                description="`association` (the current association's id) or `initiative`.",
            ),
            OpenApiParameter(
                "year",
                OpenApiTypes.INT,
                description="Mätår (ÅÅÅÅ). Standard: det senaste året med svar.",
            ),
        ],
        responses=IndicatorsOut,
        summary="Indicator results of the association or an initiative",
        description=(
            "Each indicator's counted answers, share positive and target, by gender and "
            "respondent group, against the year before; for the association also its region's "
            "and all associations' figures (national indicators). Figures with fewer answers "
            "than the indicator's minimum are hidden (null), and so is a figure that would "
            "reveal one."
        ),
    )
    def get(self, request, version, kind, pk):
        access = self.get_access()
        scope = scoping.scope_for(access, kind, pk)
        initiative_id = scope.initiative.pk if scope.initiative is not None else None
        raw = request.query_params.get("year", "").strip()
        if raw:
            if not (raw.isdigit() and 2000 <= int(raw) <= 2100):
                raise serializers.ValidationError({"year": [_("Ange året som fyra siffror.")]})
            year = int(raw)
        else:
            years = selectors.years_with_answers(scope.association.pk, initiative_id)
            from django.utils import timezone

            year = years[0] if years else timezone.localdate().year
        found = selectors.results(
            association=scope.association, year=year, initiative=scope.initiative
        )
        data = {
            "scope": kind,
            "id": scope.obj_id,
            "label": scope.label,
            "year": year,
            "region_label": found.region_label,
            "indicators": results_json(found),
        }
        return Response(IndicatorsOut(data).data)

"""The open feed of funded initiatives: `/api/v1/public/grants/`, anonymous and read-only.

One grant per *published* catalogue entry (`finsam.catalogue.scoping`), in the shape of the
360Giving Data Standard where it fits (https://standard.threesixtygiving.org/): `id`, `title`,
`description`, `currency`, `amountAwarded` (the sum of the initiative's yearly budgets),
`amountAppliedFor` (from the application, when known), `awardDate`, `plannedDates`,
`recipientOrganization`, `fundingOrganization`, `beneficiaryLocation` (the municipalities, with
their official codes), `url` and `dateModified`. The arrays are arrays as in the standard. Nothing
personal: the recipient is the owner organisation, the contact is not in the feed.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.text import slugify
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from finsam.api.views import ApiView, ListMixin
from finsam.associations.models import Association
from finsam.catalogue import selectors as catalogue

CURRENCY = "SEK"
# 360Giving identifiers: "360G-" for our own ids; a funder by its Swedish organisation number.
ID_PREFIX = "360G-finsam"
FUNDER_PREFIX = "SE-BLV"
# Swedish municipality codes (kommunkod, four digits) as given by SCB.
GEO_CODE_TYPE = "SE-KOMMUNKOD"


class GrantOrganizationOut(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()


class GrantPlannedDatesOut(serializers.Serializer):
    startDate = serializers.DateField()  # noqa: N815 (the standard's names)
    endDate = serializers.DateField(allow_null=True)  # noqa: N815


class GrantLocationOut(serializers.Serializer):
    name = serializers.CharField()
    countryCode = serializers.CharField()  # noqa: N815
    geoCode = serializers.CharField(help_text="Kommunkod.")  # noqa: N815
    geoCodeType = serializers.CharField()  # noqa: N815


class GrantOut(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    currency = serializers.CharField()
    amountAwarded = serializers.IntegerField(  # noqa: N815
        allow_null=True, help_text="Summan av insatsens budget per år (kr)."
    )
    amountAppliedFor = serializers.IntegerField(  # noqa: N815
        allow_null=True, help_text="Sökt belopp i ansökan (kr), när det är känt."
    )
    awardDate = serializers.DateField()  # noqa: N815
    plannedDates = GrantPlannedDatesOut(many=True)  # noqa: N815
    recipientOrganization = GrantOrganizationOut(many=True)  # noqa: N815
    fundingOrganization = GrantOrganizationOut(many=True)  # noqa: N815
    beneficiaryLocation = GrantLocationOut(many=True)  # noqa: N815
    status = serializers.ChoiceField(choices=["running", "finished"])
    url = serializers.URLField()
    dateModified = serializers.DateTimeField()  # noqa: N815


def grant(entry, request) -> dict:
    initiative = entry.initiative
    association = initiative.association
    amount = entry.amount_awarded
    applied = catalogue.applied_amount(initiative)
    path = reverse("catalogue:entry", args=[association.slug, entry.pk])
    return {
        "id": f"{ID_PREFIX}-{association.slug}-{initiative.pk}",
        "title": initiative.name,
        "description": entry.summary,
        "currency": CURRENCY,
        "amountAwarded": int(amount) if amount is not None else None,
        "amountAppliedFor": int(applied) if applied is not None else None,
        "awardDate": catalogue.award_date(initiative),
        "plannedDates": [{"startDate": initiative.start_date, "endDate": initiative.end_date}],
        "recipientOrganization": [
            {
                "id": f"{ID_PREFIX}-org-{slugify(initiative.owner_organisation)}",
                "name": initiative.owner_organisation,
            }
        ],
        "fundingOrganization": [
            {
                "id": f"{FUNDER_PREFIX}-{association.org_number.replace('-', '')}",
                "name": association.name,
            }
        ],
        "beneficiaryLocation": [
            {
                "name": m.name,
                "countryCode": "SE",
                "geoCode": m.code,
                "geoCodeType": GEO_CODE_TYPE,
            }
            for m in initiative.municipalities.all()
        ],
        "status": entry.public_status,
        "url": request.build_absolute_uri(path),
        "dateModified": entry.updated_at,
    }


class PublicGrantListApi(ListMixin, ApiView):
    """Anonymous: no credentials are read, so no session, CSRF or token applies."""

    authentication_classes = []
    permission_classes = [AllowAny]
    uses_association = False

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "association",
                str,
                description="Kortnamn (slug) för ett förbund: bara dess insatser.",
            )
        ],
        responses=GrantOut(many=True),
        summary="Funded initiatives of the public catalogue (360Giving shape), no login",
        auth=[],
    )
    def get(self, request, version):
        slug = request.query_params.get("association", "").strip()
        association = None
        if slug:
            association = Association.objects.filter(slug=slug).first()
            if association is None:
                raise Http404
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(catalogue.grants(association), request, view=self)
        data = GrantOut([grant(entry, request) for entry in page], many=True).data
        return paginator.get_paginated_response(data)

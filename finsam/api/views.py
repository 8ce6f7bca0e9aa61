"""The v1 JSON API: associations, initiatives and enrolments.

Each view resolves the request's `Access` once (`get_access`, after DRF authentication) and starts
every queryset from `finsam.core.access`, so the API has exactly the permissions of the pages:
objects outside the user's scope answer 404, actions outside the user's role 403, requests
without credentials 401. Writes go through the services, like the pages' forms.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from finsam.api import serializers as s
from finsam.api.access import ASSOCIATION_PARAM, api_access
from finsam.api.errors import api_exception_handler
from finsam.associations.models import Association
from finsam.audit.models import Action
from finsam.initiatives import services as initiative_services
from finsam.initiatives.filters import SORT_FIELDS, InitiativeFilter
from finsam.initiatives.models import FollowUp, Orientation, Status
from finsam.initiatives.scoping import (
    can_see_identity,
    editable_initiatives,
    follow_up_initiatives,
    get_initiative,
    in_scope,
    registrar_initiatives,
    visible_initiatives,
)
from finsam.initiatives.selectors import initiative_list
from finsam.participants import selectors as participant_selectors
from finsam.participants import variables
from finsam.participants.models import Enrolment

IDENTITY_FIELDS = "personal_number,name"
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

# --- Schema ----------------------------------------------------------------------------------

ASSOCIATION_PARAMETER = OpenApiParameter(
    ASSOCIATION_PARAM,
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    description=(
        "Id of the association to work in (one of `available_associations` in `/me/`). "
        "Default: the association chosen in the session, else the user's first association."
    ),
)


class FinsamAutoSchema(AutoSchema):
    """Adds the `association` query parameter and the error responses to every operation."""

    def get_override_parameters(self):
        params = super().get_override_parameters()
        if getattr(self.view, "uses_association", True):
            params = [*params, ASSOCIATION_PARAMETER]
        return params

    def get_serializer_name(self, serializer, direction):
        """Component names without the module's suffixes: `InitiativeOut` → `Initiative`,
        `InitiativeIn` → `InitiativeInput`."""
        name = super().get_serializer_name(serializer, direction)
        if name.endswith("Out"):
            return name[:-3]
        if name.endswith("In"):
            return name[:-2] + "Input"
        return name

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        # Any request can be malformed (400: e.g. too many query parameters); writes can also
        # conflict with the current state (409) or send a body that is not JSON (415).
        codes = ["400", "401", "403", "404"]
        if self.method in WRITE_METHODS:
            codes += ["409", "415"]
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(s.ErrorsOut, code)
        return responses


# --- Base ------------------------------------------------------------------------------------


class ApiView(APIView):
    """Two factors: a token is only created in a session that passed them (and is revoked when
    the authenticator app is removed); session requests are checked by
    `finsam.accounts.middleware.RequireTwoFactorMiddleware`."""

    # JSON only, both ways: no form-encoded bodies (nested input), no browsable HTML pages.
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]
    permission_classes = [IsAuthenticated]
    schema = FinsamAutoSchema()
    uses_association = True

    def get_exception_handler(self):
        return api_exception_handler

    def get_access(self):
        if not hasattr(self, "_access"):
            self._access = api_access(self.request)
        return self._access

    def paginate(self, queryset, serializer_class, **context):
        paginator = api_settings.DEFAULT_PAGINATION_CLASS()
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        data = serializer_class(page, many=True, context={"request": self.request, **context}).data
        return page, paginator.get_paginated_response(data)


class ListMixin:
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS


def initiative_in_scope(access, pk, scope):
    """The initiative if the user may act on it through `scope`; 404 if the user cannot see it
    at all, 403 if they can see it but their role does not allow the action."""
    initiative = get_initiative(access, pk)
    if not in_scope(access, initiative.pk, scope):
        raise PermissionDenied
    return initiative


def validated(serializer_class, data, **kwargs):
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- Me and associations ---------------------------------------------------------------------


class MeApi(ApiView):
    @extend_schema(responses=s.MeOut, summary="The current user, roles and associations")
    def get(self, request, version):
        return Response(s.MeOut.from_access(self.get_access()))


class AssociationListApi(ListMixin, ApiView):
    uses_association = False

    @extend_schema(responses=s.AssociationOut(many=True), summary="The user's associations")
    def get(self, request, version):
        access = self.get_access()
        ids = [a.pk for a in access.available_associations]
        queryset = Association.objects.filter(pk__in=ids).order_by("name")
        return self.paginate(queryset, s.AssociationOut)[1]


class AssociationDetailApi(ApiView):
    uses_association = False

    @extend_schema(
        responses=s.AssociationDetailOut,
        summary="One association with its municipalities and members",
    )
    def get(self, request, version, pk):
        access = self.get_access()
        if pk not in {a.pk for a in access.available_associations}:
            raise Http404
        association = Association.objects.prefetch_related(
            "municipalities", "members__municipality", "members__region"
        ).get(pk=pk)
        return Response(s.AssociationDetailOut(association).data)


# --- Initiatives -----------------------------------------------------------------------------


INITIATIVE_FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description="Söker i namn, projektägare och diarienummer."),
    OpenApiParameter("status", str, enum=Status.values),
    OpenApiParameter("orientation", str, enum=Orientation.values),
    OpenApiParameter("follow_up", str, enum=FollowUp.values),
    OpenApiParameter("target_group", int, description="Id för en målgruppskod."),
    OpenApiParameter("municipality", int, description="Id för en kommun i förbundet."),
    OpenApiParameter("year", int, description="Insatser vars period överlappar året."),
    OpenApiParameter(
        "o",
        str,
        description="Sortering: "
        + ", ".join(key for _f, key in SORT_FIELDS)
        + " (- för fallande).",
    ),
]


def initiative_queryset(access):
    """The initiatives the user may see, with what a row shows (the list page's selector)."""
    return initiative_list(access=access).prefetch_related("municipalities")


def initiative_out(access, initiative):
    return s.InitiativeOut(initiative_queryset(access).get(pk=initiative.pk)).data


class InitiativeListApi(ListMixin, ApiView):
    has_filters = True

    @extend_schema(
        parameters=INITIATIVE_FILTER_PARAMETERS,
        responses=s.InitiativeOut(many=True),
        summary="Initiatives the user may see, with the list page's filters",
    )
    def get(self, request, version):
        access = self.get_access()
        filterset = InitiativeFilter(
            request.query_params,
            queryset=initiative_queryset(access).order_by("name", "pk"),
            association=access.association,
        )
        if not filterset.is_valid():
            # The form's messages repeat the rejected value: answer without it.
            raise serializers.ValidationError(
                {field: [_("Ogiltigt värde för filtret.")] for field in filterset.errors}
            )
        return self.paginate(filterset.qs, s.InitiativeOut)[1]

    @extend_schema(
        request=s.InitiativeIn,
        responses={201: s.InitiativeOut},
        summary="Create an initiative (secretariat)",
    )
    def post(self, request, version):
        access = self.get_access()
        access.require("initiative.create")
        data = validated(s.InitiativeIn, request.data)
        initiative = initiative_services.initiative_create(
            access=access, association=access.association, **data
        )
        return Response(initiative_out(access, initiative), status=status.HTTP_201_CREATED)


class InitiativeDetailApi(ApiView):
    @extend_schema(responses=s.InitiativeOut, summary="One initiative")
    def get(self, request, version, pk):
        access = self.get_access()
        return Response(initiative_out(access, get_initiative(access, pk)))

    @extend_schema(
        request=s.InitiativeIn,
        responses=s.InitiativeOut,
        summary="Change an initiative (secretariat, its initiative managers)",
    )
    def patch(self, request, version, pk):
        access = self.get_access()
        initiative = initiative_in_scope(access, pk, editable_initiatives)
        data = validated(s.InitiativeIn, request.data, partial=True)
        initiative_services.initiative_update(access=access, initiative=initiative, data=dict(data))
        return Response(initiative_out(access, initiative))


# --- Enrolments ------------------------------------------------------------------------------


class Conflict(APIException):
    """409: the request lost a race with another one (the person was registered meanwhile)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def enrolment_queryset(queryset, *, identity=False):
    """Everything an enrolment row shows in a constant number of queries. The participant (and
    its encrypted identity) is loaded only when the identity will be shown."""
    queryset = (
        queryset.select_related(
            "home_municipality",
            *(v.name for v in variables.VARIABLES if v.is_code and not v.multiple),
            "consent",
        )
        .prefetch_related(*(v.name for v in variables.VARIABLES if v.multiple))
        .annotate(participant_pseudonym=F("participant__pseudonym"))
    )
    if identity:
        queryset = queryset.select_related("participant")
    return queryset


def enrolment_serializer(access, initiative_id):
    return s.EnrolmentOut if can_see_identity(access, initiative_id) else s.PseudonymousEnrolmentOut


def log_identity_read(access, initiative, enrolments, action):
    participant_selectors.log_identity_read(
        access, initiative, enrolments, action=action, fields=IDENTITY_FIELDS, channel="api"
    )


def enrolment_in_scope(access, enrolment_uuid, scope=follow_up_initiatives):
    """The enrolment if the user may act on it through `scope`; 404 if its initiative is not
    visible to the user, 403 if visible but the user's role does not allow the action."""
    candidates = Enrolment.objects.filter(
        initiative__in=visible_initiatives(access), uuid=enrolment_uuid
    )
    initiative_id = candidates.values_list("initiative_id", flat=True).first()
    if initiative_id is None:
        raise Http404
    if not in_scope(access, initiative_id, scope):
        raise PermissionDenied
    identity = can_see_identity(access, initiative_id)
    return enrolment_queryset(candidates, identity=identity).select_related("initiative").get()


class InitiativeEnrolmentListApi(ListMixin, ApiView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "active", OpenApiTypes.BOOL, description="true: pågående, false: avslutade."
            )
        ],
        responses=s.EnrolmentOut(many=True),
        summary="Enrolments of an initiative (pseudonymous; identity for its registrars)",
    )
    def get(self, request, version, pk):
        access = self.get_access()
        initiative = initiative_in_scope(access, pk, follow_up_initiatives)
        identity = can_see_identity(access, initiative.pk)
        queryset = Enrolment.objects.filter(initiative=initiative)
        active = request.query_params.get("active")
        if active in ("true", "false"):
            queryset = queryset.filter(end_date__isnull=active == "true")
        queryset = enrolment_queryset(queryset, identity=identity).order_by("-start_date", "id")
        page, response = self.paginate(queryset, enrolment_serializer(access, initiative.pk))
        if identity:
            log_identity_read(access, initiative, page, Action.LIST)
        return response

    @extend_schema(
        request=s.EnrolmentIn,
        responses={201: s.EnrolmentOut, 409: s.ErrorsOut},
        summary="Register a participant in (the initiative's registrars)",
    )
    def post(self, request, version, pk):
        from finsam.participants import services as participant_services

        access = self.get_access()
        initiative = initiative_in_scope(access, pk, registrar_initiatives)
        data = validated(s.EnrolmentIn, request.data)
        consent = data.pop("consent", None)
        try:
            enrolment = participant_services.enrolment_register(
                access=access,
                initiative=initiative,
                data=participant_services.EnrolmentInput(
                    **data,
                    consent=participant_services.ConsentInput(**consent) if consent else None,
                ),
                channel="api",
            )
        except participant_services.RegistrationConflict as exc:
            raise Conflict(exc.messages[0]) from None
        as_read = registered_as_read(enrolment, data)
        return Response(s.EnrolmentOut(as_read).data, status=status.HTTP_201_CREATED)


def _prefetched(queryset, objects) -> None:
    """`queryset` as if prefetched: it answers with `objects` without a query."""
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    return queryset


def registered_as_read(enrolment, data):
    """The enrolment `enrolment_register` just wrote from `data` (the validated input),
    shaped as `enrolment_queryset(..., identity=True)` would read it back, without reading it
    (three queries less per registration): everything the response shows was written from these
    very objects.
    `test_the_response_equals_the_enrolment_read_back` compares the two.
    """
    from finsam.reference.models import Code

    participant = enrolment.participant
    if participant is not None:
        enrolment.participant_pseudonym = participant.pseudonym
        if participant.name == "":
            participant.name = None  # stored as NULL (the encrypted field), read back as None
    else:
        enrolment.participant_pseudonym = None
        if not Enrolment.consent.is_cached(enrolment):
            Enrolment.consent.related.set_cached_value(enrolment, None)
    # Each code set in the code list's order, as the prefetch reads it.
    enrolment._prefetched_objects_cache = {
        v.name: _prefetched(
            Code.objects.all(),
            sorted(
                dict.fromkeys(data.get(v.name) or []),
                key=lambda c: (c.code_list, c.sort_order, c.code),
            ),
        )
        for v in variables.VARIABLES
        if v.multiple
    }
    return enrolment


class EnrolmentDetailApi(ApiView):
    @extend_schema(responses=s.EnrolmentOut, summary="One enrolment")
    def get(self, request, version, uuid):
        access = self.get_access()
        enrolment = enrolment_in_scope(access, uuid)
        serializer = enrolment_serializer(access, enrolment.initiative_id)
        if serializer is s.EnrolmentOut:
            log_identity_read(access, enrolment.initiative, [enrolment], Action.VIEW)
        return Response(serializer(enrolment).data)


class EnrolmentExitApi(ApiView):
    @extend_schema(
        request=s.ExitIn,
        responses={200: s.EnrolmentOut},
        summary="Register a participant out (the initiative's registrars)",
    )
    def post(self, request, version, uuid):
        from finsam.participants import services as participant_services

        access = self.get_access()
        enrolment = enrolment_in_scope(access, uuid, registrar_initiatives)
        data = validated(s.ExitIn, request.data)
        participant_services.enrolment_exit(
            access=access,
            enrolment=enrolment,
            data=participant_services.ExitInput(**data),
            channel="api",
        )
        enrolment = enrolment_queryset(Enrolment.objects.filter(pk=enrolment.pk), identity=True)
        return Response(s.EnrolmentOut(enrolment.get()).data)

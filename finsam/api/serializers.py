"""Serializers of the v1 API.

`*Out` serializers render, `*In` serializers only parse and type-check input; the business rules
live in the services the views call. Codes are given and shown as their slugs (`Code.code`),
municipalities as their official code (kommunkod). No error message repeats the value it rejects,
so personal data typed in the wrong field is never echoed back.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from finsam.associations.models import MEMBER_FIELDS, Association, Member
from finsam.core.roles import Role
from finsam.core.validators import DATE_VALIDATORS, LONG_TEXT_VALIDATORS, TEXT_VALIDATORS
from finsam.initiatives.models import FollowUp, Initiative, Orientation, Status
from finsam.initiatives.services import INITIATIVE_FIELDS, M2M_FIELDS
from finsam.participants import variables
from finsam.participants.models import AnonymousReason, ConsentMethod, Gender
from finsam.reference import codes
from finsam.reference.models import Code, CodeList, Municipality

INVALID_CHOICE = {"invalid_choice": _("Ogiltigt val.")}


def choice_field(choices, **kwargs):
    """A choice field whose error message does not repeat the rejected value."""
    return serializers.ChoiceField(choices=choices, error_messages=INVALID_CHOICE, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class CodeOut(serializers.SlugRelatedField):
    """A code, or a municipality or region, shown as its code."""


def code_out(**kwargs):
    return CodeOut(slug_field="code", read_only=True, **kwargs)


# --- Input fields ---------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class CodeField(serializers.RelatedField):
    """An active code of one code list, given as its slug.

    The codes are looked up in the process's code book (`code_book`): no query once loaded.
    """

    def __init__(self, code_list, **kwargs):
        self.code_list = code_list
        kwargs.setdefault("help_text", f"Kod (slug) ur kodlistan {code_list}.")
        super().__init__(queryset=Code.objects.filter(code_list=code_list, active=True), **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError(_("Ange koden som text."))
        code = code_book(self).get((self.code_list, data.strip()))
        if code is None:
            raise serializers.ValidationError(
                _("Okänd kod i kodlistan %(list)s.") % {"list": codes.list_name(self.code_list)}
            )
        return code

    def to_representation(self, value):
        return value.code


def code_book(field: CodeField) -> dict[tuple[str, str], Code]:
    """The active codes by (code list, code): loaded with one query the first time a code field
    parses a value, then kept by the process (`finsam.reference.codes`, at most a minute)."""
    return codes.active_codes()


@extend_schema_field(OpenApiTypes.STR)
class MunicipalityField(serializers.RelatedField):
    """A municipality, given as its official four-digit code (kommunkod)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Kommunkod, fyra siffror (t.ex. 1496).")
        super().__init__(queryset=Municipality.objects.all(), **kwargs)

    def to_internal_value(self, data):
        found = codes.municipalities().get(str(data).strip())
        if found is None:
            raise serializers.ValidationError(_("Okänd kommunkod."))
        return found

    def to_representation(self, value):
        return value.code


# --- Associations and the current user -------------------------------------------------------


class MunicipalityOut(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["code", "name"]


class MemberOut(serializers.ModelSerializer):
    municipality = code_out(allow_null=True, help_text="Kommunkod (null för en region).")
    region = code_out(allow_null=True, help_text="Länskod (null för en kommun).")

    class Meta:
        model = Member
        fields = ["id", *MEMBER_FIELDS]


class AssociationOut(serializers.ModelSerializer):
    class Meta:
        model = Association
        fields = ["id", "name", "slug", "org_number", "start_date", "end_date"]


class AssociationDetailOut(AssociationOut):
    municipalities = MunicipalityOut(many=True, read_only=True)
    members = MemberOut(many=True, read_only=True)

    class Meta(AssociationOut.Meta):
        fields = [
            *AssociationOut.Meta.fields,
            "description",
            "address",
            "contact_person",
            "contact_email",
            "municipalities",
            "members",
        ]


class AssociationRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AssignedInitiativesOut(serializers.Serializer):
    initiative_manager = serializers.ListField(child=serializers.IntegerField())
    registrar = serializers.ListField(child=serializers.IntegerField())
    applicant = serializers.ListField(child=serializers.IntegerField())


class MeOut(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    is_operator = serializers.BooleanField()
    association = AssociationRefOut(allow_null=True, help_text="Det aktuella förbundet.")
    roles = serializers.ListField(
        child=choice_field(Role.choices), help_text="Roller i det aktuella förbundet."
    )
    assigned_initiatives = AssignedInitiativesOut(
        help_text="Insatser (id) som användaren har uppdrag i, per roll."
    )
    available_associations = AssociationRefOut(many=True)

    @staticmethod
    def from_access(access):
        user = access.user

        def ref(association):
            return {"id": association.pk, "name": association.name}

        assigned = {
            role: sorted(access.assigned_to(role))
            for role in (Role.INITIATIVE_MANAGER, Role.REGISTRAR, Role.APPLICANT)
        }
        return {
            "id": user.pk,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "is_operator": access.is_operator,
            "association": ref(access.association) if access.association else None,
            "roles": sorted(str(role) for role in access.roles),
            "assigned_initiatives": {str(role): ids for role, ids in assigned.items()},
            "available_associations": [ref(a) for a in access.available_associations],
        }


# --- Initiatives -----------------------------------------------------------------------------


class InitiativeOut(serializers.ModelSerializer):
    association = serializers.PrimaryKeyRelatedField(read_only=True)
    specific_orientation = code_out(allow_null=True)
    target_groups = code_out(many=True)
    municipalities = code_out(many=True, help_text="Kommunkoder.")
    active_participants = serializers.IntegerField(
        read_only=True, help_text="Pågående deltaganden (utan slutdatum)."
    )

    class Meta:
        model = Initiative
        fields = ["id", "association", *INITIATIVE_FIELDS, *M2M_FIELDS, "active_participants"]


def long_text():
    return serializers.CharField(required=False, allow_blank=True, validators=LONG_TEXT_VALIDATORS)


class InitiativeIn(serializers.Serializer):
    """An initiative's attributes; on PATCH every field is optional."""

    name = serializers.CharField(max_length=200, validators=TEXT_VALIDATORS)
    diary_number = serializers.CharField(
        max_length=50, required=False, allow_blank=True, validators=TEXT_VALIDATORS
    )
    owner_organisation = serializers.CharField(max_length=300, validators=TEXT_VALIDATORS)
    orientation = choice_field(Orientation.choices, required=False)
    specific_orientation = CodeField(CodeList.SPECIFIC_ORIENTATION, required=False, allow_null=True)
    follow_up = choice_field(FollowUp.choices, required=False)
    target_groups = CodeField(CodeList.TARGET_GROUP, many=True, required=False)
    municipalities = MunicipalityField(many=True, required=False)
    esf_funded = serializers.BooleanField(required=False)
    start_date = serializers.DateField(validators=DATE_VALIDATORS)
    end_date = serializers.DateField(required=False, allow_null=True, validators=DATE_VALIDATORS)
    status = choice_field(Status.choices, required=False)
    planned_participants = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    steering_group = long_text()
    background = long_text()
    purpose = long_text()
    goals = long_text()
    target_group_description = long_text()
    method = long_text()
    referral = long_text()
    follow_up_description = long_text()
    economy = long_text()


# --- Enrolments ------------------------------------------------------------------------------


# The registration variables (`finsam.participants.variables`) of one phase as fields, in
# registration order. A serializer class adds them to its body with `locals().update(...)`
# where they belong: fields are ordered by creation.


def variable_outputs(phase: str) -> dict:
    fields = {}
    for v in variables.of_phase(phase):
        if v.is_extent:
            fields[v.name] = serializers.IntegerField(allow_null=True)
        else:
            fields[v.name] = code_out(many=True) if v.multiple else code_out(allow_null=True)
    return fields


def variable_inputs(phase: str) -> dict:
    fields = {}
    for v in variables.of_phase(phase):
        optional = {} if v.required else {"required": False}
        if v.is_extent:
            fields[v.name] = serializers.IntegerField(
                min_value=0, max_value=100, allow_null=True, **optional
            )
        elif v.multiple:
            fields[v.name] = CodeField(v.code_list, many=True, **optional)
        else:
            nullable = {} if v.required else {"allow_null": True}
            fields[v.name] = CodeField(v.code_list, **optional, **nullable)
    return fields


class ConsentOut(serializers.Serializer):
    given_on = serializers.DateField()
    method = choice_field(ConsentMethod.choices)
    form_version = serializers.CharField()
    language = serializers.CharField()
    withdrawn_on = serializers.DateField(allow_null=True)


class PseudonymousEnrolmentOut(serializers.Serializer):
    """One enrolment as everyone but the initiative's registrars sees it: no identity.

    Expects the queryset of `finsam.api.views.enrolment_queryset` (codes prefetched, the
    participant's pseudonym annotated, the participant itself not loaded).
    """

    uuid = serializers.UUIDField()
    initiative = serializers.IntegerField(source="initiative_id")
    pseudonym = serializers.SerializerMethodField()
    anonymous = serializers.SerializerMethodField()
    anonymous_reason = serializers.CharField(help_text="Tom för identifierade deltagare.")
    gender = choice_field(Gender.choices)
    age_at_start = serializers.IntegerField(allow_null=True)
    home_municipality = code_out(allow_null=True, help_text="Kommunkod.")
    start_date = serializers.DateField()
    locals().update(variable_outputs(variables.IN))
    end_date = serializers.DateField(allow_null=True)
    locals().update(variable_outputs(variables.OUT))
    consent = serializers.SerializerMethodField()

    def get_pseudonym(self, enrolment) -> str:
        if enrolment.participant_id is None:
            return enrolment.pseudonym  # derived from the uuid, no query
        return enrolment.participant_pseudonym

    def get_anonymous(self, enrolment) -> bool:
        return enrolment.participant_id is None

    @extend_schema_field(ConsentOut(allow_null=True))
    def get_consent(self, enrolment):
        consent = getattr(enrolment, "consent", None)
        return ConsentOut(consent).data if consent else None


class IdentityField(serializers.Field):
    """An identity attribute of the enrolment's participant; null for anonymous enrolments."""

    def __init__(self, attribute, **kwargs):
        self.attribute = attribute
        # Output only; not marked read-only so that the schema shows it as optional.
        super().__init__(source="*", required=False, **kwargs)

    def to_representation(self, enrolment):
        if enrolment.participant_id is None:
            return None
        return getattr(enrolment.participant, self.attribute)


@extend_schema_field(OpenApiTypes.STR)
class _IdentityStr(IdentityField):
    pass


class EnrolmentOut(PseudonymousEnrolmentOut):
    """One enrolment. `personal_number` and `name` are present only in responses to a registrar
    assigned to the enrolment's initiative; every such response is written to the access log."""

    personal_number = _IdentityStr(
        "personal_number",
        allow_null=True,
        help_text="Personnummer (ÅÅÅÅMMDDNNNN). Bara för insatsens deltagaransvariga.",
    )
    name = _IdentityStr(
        "name", allow_null=True, help_text="Namn. Bara för insatsens deltagaransvariga."
    )


class ConsentIn(serializers.Serializer):
    given_on = serializers.DateField(validators=DATE_VALIDATORS)
    method = choice_field(ConsentMethod.choices)
    form_version = serializers.CharField(max_length=50, validators=TEXT_VALIDATORS)
    language = serializers.CharField(
        max_length=32, required=False, default="svenska", validators=TEXT_VALIDATORS
    )


class EnrolmentIn(serializers.Serializer):
    """In-registration. Identified: `personal_number` and `consent` are required. Anonymous
    (no consent or protected identity): leave them out, give `anonymous_reason`, `gender`
    and `age_at_start`."""

    start_date = serializers.DateField(validators=DATE_VALIDATORS)
    personal_number = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="Personnummer eller samordningsnummer, ÅÅÅÅMMDD-NNNN.",
    )
    name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, validators=TEXT_VALIDATORS
    )
    anonymous_reason = choice_field(
        [
            (AnonymousReason.NO_CONSENT.value, AnonymousReason.NO_CONSENT.label),
            (AnonymousReason.PROTECTED_IDENTITY.value, AnonymousReason.PROTECTED_IDENTITY.label),
        ],
        required=False,
        allow_blank=True,
    )
    gender = choice_field(
        Gender.choices,
        required=False,
        allow_blank=True,
        help_text="Tomt: härleds ur personnumret. Krävs för anonyma deltagare.",
    )
    age_at_start = serializers.IntegerField(
        min_value=0, max_value=120, required=False, allow_null=True
    )
    home_municipality = MunicipalityField(required=False, allow_null=True)
    locals().update(variable_inputs(variables.IN))
    consent = ConsentIn(required=False, allow_null=True)


class ExitIn(serializers.Serializer):
    end_date = serializers.DateField(validators=DATE_VALIDATORS)
    locals().update(variable_inputs(variables.OUT))


# --- Errors ----------------------------------------------------------------------------------


class ErrorsOut(serializers.Serializer):
    """Every error response: `{"errors": {"<field>": ["<Swedish message>", ...]}}`; errors that
    belong to no field (and 401/403/404) use the key `__all__`."""

    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from finsam.associations.models import Association, Member, MemberKind
from finsam.associations.tests.factories import AssociationFactory, MemberFactory
from finsam.initiatives.tests.factories import InitiativeFactory
from finsam.reference.models import Municipality, Region

pytestmark = pytest.mark.django_db

A_ROLES = ["operator", "secretariat", "manager", "registrar", "board", "applicant", "analyst"]


def url(name, *args):
    # The members and their shares are a section of the association's page served by finance.
    namespace = "finance" if name.startswith("member_") else "associations"
    return reverse(f"{namespace}:{name}", args=args)


def full_members(association):
    """A complete, correct set of members: FK 25 + AF 25, region 25, two municipalities 25."""
    skovde = Municipality.objects.get(code="1496")
    hjo = Municipality.objects.get(code="1497")
    region = Region.objects.get(code="14")
    return [
        MemberFactory(
            association=association,
            kind=MemberKind.FORSAKRINGSKASSAN,
            name="Försäkringskassan",
            contribution_share=25,
        ),
        MemberFactory(
            association=association,
            kind=MemberKind.ARBETSFORMEDLINGEN,
            name="Arbetsförmedlingen",
            contribution_share=25,
        ),
        MemberFactory(
            association=association,
            kind=MemberKind.REGION,
            name="Västra Götalandsregionen",
            region=region,
            contribution_share=25,
        ),
        MemberFactory(
            association=association,
            kind=MemberKind.MUNICIPALITY,
            name="Skövde kommun",
            municipality=skovde,
            contribution_share=20,
        ),
        MemberFactory(
            association=association,
            kind=MemberKind.MUNICIPALITY,
            name="Hjo kommun",
            municipality=hjo,
            contribution_share=5,
        ),
    ]


def association_post(**overrides):
    data = {
        "name": "Samordningsförbundet Skaraborg",
        "slug": "skaraborg",
        "org_number": "2220001834",
        "start_date": "2008-01-01",
        "end_date": "",
        "description": "",
        "address": "Box 1, 541 83 Skövde",
        "contact_person": "Anna Andersson",
        "contact_email": "anna@example.se",
        "municipalities": [
            m.pk for m in Municipality.objects.filter(code__in=["1496", "1499", "1495"])
        ],
    }
    data.update(overrides)
    return data


def member_post(**overrides):
    data = {
        "kind": MemberKind.MUNICIPALITY,
        "name": "",
        "municipality": Municipality.objects.get(code="1499").pk,
        "region": "",
        "contribution_share": "10",
        "is_financier": "on",
        "valid_from": "",
        "valid_to": "",
    }
    data.update(overrides)
    return data


HX = {"HTTP_HX_REQUEST": "true"}


# --- Operator list --------------------------------------------------------------------------


def test_the_operator_lists_all_associations_with_counts(world, client_for):
    full_members(world.a)
    world.a.municipalities.set(Municipality.objects.filter(code__in=["1496", "1497"]))

    response = client_for(world.operator).get(url("list"))

    assert response.status_code == 200
    rows = {a.name: a for a in response.context["associations"]}
    a = rows["Samordningsförbundet A"]
    assert (a.municipality_count, a.member_count, a.initiative_count) == (2, 5, 2)
    b = rows["Samordningsförbundet B"]
    assert (b.municipality_count, b.member_count, b.initiative_count) == (0, 0, 1)
    assert "Samordningsförbundet B" in response.content.decode()


def _make(n):
    municipalities = list(Municipality.objects.all()[:3])
    for _i in range(n):
        association = AssociationFactory()
        association.municipalities.set(municipalities)
        MemberFactory(association=association)
        MemberFactory(association=association)
        InitiativeFactory(association=association)


def test_the_operator_list_uses_a_constant_number_of_queries(world, client_for):
    client = client_for(world.operator)
    _make(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("list")).status_code == 200
    _make(27)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("list"))
    assert len(response.context["associations"]) == 32
    assert len(many) == len(few)


@pytest.mark.parametrize("role", A_ROLES[1:] + ["b_secretariat", "no_role"])
def test_only_the_operator_lists_and_creates_associations(world, client_for, role):
    client = client_for(getattr(world, role))
    assert client.get(url("list")).status_code == 403
    assert client.get(url("create")).status_code == 403
    assert client.post(url("create"), association_post()).status_code == 403
    assert not Association.objects.filter(slug="skaraborg").exists()


# --- Create ---------------------------------------------------------------------------------


def test_the_operator_creates_an_association(world, client_for):
    client = client_for(world.operator)
    page = client.get(url("create"))
    assert page.status_code == 200
    assert "Västra Götalands län" in page.content.decode()

    response = client.post(url("create"), association_post())

    assert response.status_code == 302
    association = Association.objects.get(slug="skaraborg")
    assert association.org_number == "222000-1834"
    assert {m.code for m in association.municipalities.all()} == {"1496", "1499", "1495"}


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"org_number": "222000-1835"}, "kontrollsiffran (sista siffran) stämmer inte"),
        ({"org_number": "22-1834"}, "tio siffror i formen NNNNNN-NNNN"),
        ({"municipalities": []}, "Välj minst en kommun som förbundet omfattar."),
        (
            {"name": "Samordningsförbundet A"},
            "Det finns redan ett samordningsförbund med det namnet",
        ),
        ({"end_date": "2000-01-01"}, "Slutdatum kan inte vara före startdatum."),
    ],
)
def test_bad_association_input_gives_a_swedish_message_and_saves_nothing(
    world, client_for, overrides, message
):
    response = client_for(world.operator).post(url("create"), association_post(**overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Association.objects.count() == 2


# --- Detail ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["operator", "secretariat", "board"])
def test_readers_see_the_current_association(world, client_for, role):
    full_members(world.a)
    world.a.municipalities.set(Municipality.objects.filter(code__in=["1496", "1497"]))

    response = client_for(getattr(world, role)).get(url("detail"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Samordningsförbundet A" in html
    assert world.a.org_number in html
    assert "Skövde kommun" in html and "Hjo" in html and "Västra Götalands län" in html
    assert response.context["share_check"].ok
    assert "Andelarna stämmer" in html
    can_edit = role != "board"
    assert (url("edit") in html) is can_edit
    assert (url("member_add") in html) is can_edit


@pytest.mark.parametrize("role", ["manager", "registrar", "applicant", "analyst", "no_role"])
def test_other_roles_may_not_read_the_association_page(world, client_for, role):
    assert client_for(getattr(world, role)).get(url("detail")).status_code == 403


def test_b_sees_its_own_association_only(world, client_for):
    MemberFactory(association=world.a, name="Hemlig medlem i A")

    response = client_for(world.b_secretariat).get(url("detail"))

    html = response.content.decode()
    assert "Samordningsförbundet B" in html
    assert "Samordningsförbundet A" not in html
    assert "Hemlig medlem i A" not in html


def test_the_detail_page_warns_when_shares_are_off(world, client_for):
    members = full_members(world.a)
    Member.objects.filter(pk=members[0].pk).update(contribution_share=30)  # state 55 %

    html = client_for(world.secretariat).get(url("detail")).content.decode()

    assert "alert-warning" in html
    assert "Medlemmarnas andelar är tillsammans 105 %, inte 100 %." in html
    assert "Andelen för staten (Försäkringskassan och Arbetsförmedlingen) är 55 %" in html
    assert "ska den vara 50 %" in html


def test_the_share_check_ignores_members_no_longer_valid(world, client_for):
    full_members(world.a)
    MemberFactory(
        association=world.a,
        kind=MemberKind.MUNICIPALITY,
        name="Gammal kommun",
        contribution_share=25,
        valid_to=datetime.date(2010, 12, 31),
    )
    response = client_for(world.secretariat).get(url("detail"))
    assert response.context["share_check"].ok


def test_the_detail_page_uses_a_constant_number_of_queries(world, client_for):
    client = client_for(world.secretariat)
    full_members(world.a)
    with CaptureQueriesContext(connection) as few:
        client.get(url("detail"))
    for i in range(20):
        MemberFactory(association=world.a, name=f"Kommun {i}", contribution_share=0)
    world.a.municipalities.set(Municipality.objects.all()[:30])
    with CaptureQueriesContext(connection) as many:
        client.get(url("detail"))
    assert len(many) == len(few)


# --- Edit -----------------------------------------------------------------------------------


def test_the_secretariat_edits_its_association_but_not_the_start_date(world, client_for):
    client = client_for(world.secretariat)
    start = world.a.start_date
    page = client.get(url("edit"))
    assert page.status_code == 200
    assert "start_date" not in page.context["form"].fields

    response = client.post(
        url("edit"),
        association_post(name="Samordningsförbundet A-län", slug="a", start_date="1999-01-01"),
    )

    assert response.status_code == 302
    world.a.refresh_from_db()
    assert world.a.name == "Samordningsförbundet A-län"
    assert world.a.start_date == start
    assert world.a.municipalities.count() == 3
    world.b.refresh_from_db()
    assert world.b.name == "Samordningsförbundet B"


def test_the_operator_may_change_the_start_date(world, client_for):
    response = client_for(world.operator).post(
        url("edit"), association_post(name="Samordningsförbundet A", slug="a")
    )
    assert response.status_code == 302
    world.a.refresh_from_db()
    assert world.a.start_date == datetime.date(2008, 1, 1)


def test_bad_edit_input_saves_nothing(world, client_for):
    response = client_for(world.secretariat).post(
        url("edit"), association_post(name="", org_number="111")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Uppgifterna sparades inte" in html
    assert "Organisationsnumret ska ha tio siffror" in html
    world.a.refresh_from_db()
    assert world.a.name == "Samordningsförbundet A"


@pytest.mark.parametrize("role", ["manager", "registrar", "board", "applicant", "analyst"])
def test_other_roles_may_not_edit(world, client_for, role):
    client = client_for(getattr(world, role))
    assert client.get(url("edit")).status_code == 403
    assert client.post(url("edit"), association_post(slug="a")).status_code == 403
    world.a.refresh_from_db()
    assert world.a.name == "Samordningsförbundet A"


def test_b_secretariat_edits_only_b(world, client_for):
    client_for(world.b_secretariat).post(
        url("edit"), association_post(name="Ändrat av B", slug="b")
    )
    world.a.refresh_from_db()
    world.b.refresh_from_db()
    assert world.a.name == "Samordningsförbundet A"
    assert world.b.name == "Ändrat av B"


# --- Members --------------------------------------------------------------------------------


def test_adding_a_member_inline_returns_the_form_row_then_the_section(world, client_for):
    client = client_for(world.secretariat)

    form_row = client.get(url("member_add"), **HX)
    assert form_row.status_code == 200
    html = form_row.content.decode()
    assert html.strip().startswith("<tr")
    assert "<html" not in html
    assert 'hx-include="closest tr"' in html

    response = client.post(url("member_add"), member_post(), **HX)

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#members"
    assert response["HX-Reswap"] == "outerHTML"
    assert 'id="members"' in response.content.decode()
    member = world.a.members.get()
    assert (member.name, member.kind, member.contribution_share) == (
        "Falköpings kommun",
        MemberKind.MUNICIPALITY,
        Decimal("10"),
    )
    assert member.is_financier


def test_adding_a_member_without_htmx_uses_a_page_and_redirects(world, client_for):
    client = client_for(world.operator)
    page = client.get(url("member_add"))
    assert page.status_code == 200
    assert "<html" in page.content.decode()

    response = client.post(url("member_add"), member_post())

    assert response.status_code == 302
    assert world.a.members.count() == 1


def test_cancelling_a_new_row_removes_it(world, client_for):
    response = client_for(world.secretariat).get(url("member_add") + "?cancel=1", **HX)
    assert response.content == b""


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"municipality": ""}, "En kommun som medlem måste ha en kommun vald."),
        (
            {"kind": MemberKind.REGION, "municipality": "", "name": "Regionen"},
            "En region som medlem måste ha en region vald.",
        ),
        ({"contribution_share": "101"}, "Andelen ska vara mellan 0 och 100 procent."),
        ({"contribution_share": ""}, "Ange medlemmens andel i procent."),
        ({"contribution_share": "80"}, "de får inte överstiga 100 %"),
    ],
)
def test_bad_member_input_returns_the_form_row_with_a_swedish_message(
    world, client_for, overrides, message
):
    MemberFactory(association=world.a, name="Försäkringskassan", contribution_share=25)

    response = client_for(world.secretariat).post(url("member_add"), member_post(**overrides), **HX)

    assert response.status_code == 200
    assert "HX-Retarget" not in response
    html = response.content.decode()
    assert html.strip().startswith("<tr")
    assert message in html
    assert "is-invalid" in html
    assert world.a.members.count() == 1


def test_editing_a_member_inline_swaps_the_row_to_a_form_and_back(world, client_for):
    member = MemberFactory(
        association=world.a,
        kind=MemberKind.FORSAKRINGSKASSAN,
        name="Försäkringskassan",
        contribution_share=25,
    )
    client = client_for(world.secretariat)

    form_row = client.get(url("member_edit", member.pk), **HX)
    assert form_row.status_code == 200
    assert 'value="Försäkringskassan"' in form_row.content.decode()
    cancel = client.get(url("member_row", member.pk), **HX)
    assert f'id="member-{member.pk}"' in cancel.content.decode()

    response = client.post(
        url("member_edit", member.pk),
        member_post(
            kind=MemberKind.FORSAKRINGSKASSAN,
            name="Försäkringskassan",
            contribution_share="50",
            is_financier="",
        ),
        **HX,
    )

    assert response.status_code == 200
    member.refresh_from_db()
    assert member.contribution_share == 50
    assert member.is_financier is False
    assert member.municipality is None


def test_removing_a_member(world, client_for):
    member = MemberFactory(association=world.a)
    response = client_for(world.secretariat).post(url("member_delete", member.pk), **HX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#members"
    assert not Member.objects.filter(pk=member.pk).exists()


def test_removing_needs_post(world, client_for):
    member = MemberFactory(association=world.a)
    response = client_for(world.secretariat).get(url("member_delete", member.pk))
    assert response.status_code == 405
    assert Member.objects.filter(pk=member.pk).exists()


@pytest.mark.parametrize("role", ["manager", "registrar", "board", "applicant", "analyst"])
def test_other_roles_may_not_change_members(world, client_for, role):
    member = MemberFactory(association=world.a, contribution_share=5)
    client = client_for(getattr(world, role))

    assert client.get(url("member_add"), **HX).status_code == 403
    assert client.post(url("member_add"), member_post(), **HX).status_code == 403
    assert client.get(url("member_edit", member.pk), **HX).status_code == 403
    assert client.post(url("member_edit", member.pk), member_post(), **HX).status_code == 403
    assert client.post(url("member_delete", member.pk), **HX).status_code == 403
    member.refresh_from_db()
    assert member.contribution_share == 5
    assert world.a.members.count() == 1


def test_b_cannot_reach_a_member_of_a(world, client_for):
    member = MemberFactory(association=world.a, contribution_share=5)
    client = client_for(world.b_secretariat)

    assert client.get(url("member_row", member.pk), **HX).status_code == 404
    assert client.get(url("member_edit", member.pk), **HX).status_code == 404
    assert client.post(url("member_edit", member.pk), member_post(), **HX).status_code == 404
    assert client.post(url("member_delete", member.pk), **HX).status_code == 404

    member.refresh_from_db()
    assert member.contribution_share == 5
    assert not world.b.members.exists()


def test_a_member_id_that_does_not_exist_is_404(world, client_for):
    assert client_for(world.secretariat).get(url("member_edit", 999999)).status_code == 404


def test_the_board_reads_members_but_sees_no_edit_buttons(world, client_for):
    member = MemberFactory(association=world.a, name="Skövde kommun")
    client = client_for(world.board)
    html = client.get(url("detail")).content.decode()
    assert "Skövde kommun" in html
    assert url("member_edit", member.pk) not in html
    assert client.get(url("member_row", member.pk), **HX).status_code == 200


def test_members_are_listed_in_the_order_of_the_law(world, client_for):
    full_members(world.a)
    response = client_for(world.board).get(url("detail"))
    names = [m.name for m in response.context["members"]]
    assert names == [
        "Försäkringskassan",
        "Arbetsförmedlingen",
        "Västra Götalandsregionen",
        "Hjo kommun",
        "Skövde kommun",
    ]

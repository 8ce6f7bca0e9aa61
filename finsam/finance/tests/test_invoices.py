"""Invoices (issue 12): submitting against the basis, the two approvals, payment and its hold,
sending back, bad input, permissions for every role, double submits, the exports."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from finsam.audit.models import AccessedPseudonym, AccessEvent, ChangeEvent
from finsam.conftest import make_user
from finsam.core.roles import Role
from finsam.finance import invoices, invoicing, sie
from finsam.finance.models import Invoice, InvoiceLine, InvoiceStatus, InvoicingSettings
from finsam.finance.tests.test_invoicing import SEED_002_CAPS, make_model
from finsam.participants.tests.factories import EnrolmentFactory
from finsam.reference.models import Municipality
from finsam.staff.access import build_access

pytestmark = pytest.mark.django_db
YEAR = 2024
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def access_of(user, association):
    return build_access(user, association.pk)


@pytest.fixture
def setup(world):
    """Stärka individen's model on A's initiative; Hjo has 10 participants all year (130 weeks a
    quarter: the cap of 192 000 kr is reached in Q1), Skövde one (13 a quarter)."""
    initiative = world.a_initiative
    make_model(initiative, year=YEAR, caps=SEED_002_CAPS)
    hjo = Municipality.objects.get(code="1497")
    skovde = Municipality.objects.get(code="1496")
    for _ in range(10):
        EnrolmentFactory(
            initiative=initiative, home_municipality=hjo, start_date=datetime.date(2023, 12, 1)
        )
    EnrolmentFactory(
        initiative=initiative, home_municipality=skovde, start_date=datetime.date(2023, 12, 1)
    )
    world.finance = make_user(world.a, Role.FINANCE, email="ekonomi@example.se")
    return world


def submit(world, period=1, amount=None, user=None, **kwargs):
    user = user or world.applicant
    if amount is None:
        amount = invoicing.basis(world.a_initiative, YEAR, period).total_available
    return invoices.invoice_submit(
        access=access_of(user, world.a),
        initiative=world.a_initiative,
        year=YEAR,
        period=period,
        amount=amount,
        **kwargs,
    )


def test_the_whole_way_submit_approve_approve_finance_pay(setup):
    world = setup
    invoice = submit(world, comment="Q1", attachments=[("f.pdf", PDF)])
    # Hjo capped at 192 000; Skövde 13 weeks × 1 500.
    assert invoice.amount == 192_000 + 19_500
    lines = {line.municipality.code: int(line.amount) for line in invoice.lines.all()}
    assert lines == {"1497": 192_000, "1496": 19_500}
    invoice = invoices.invoice_approve(access=access_of(world.manager, world.a), invoice=invoice)
    invoice = invoices.invoice_approve_finance(
        access=access_of(world.finance, world.a), invoice=invoice
    )
    invoice = invoices.invoice_pay(access=access_of(world.finance, world.a), invoice=invoice)
    assert invoice.status == InvoiceStatus.PAID
    assert invoices.paid_total(world.a_initiative, YEAR) == 211_500
    actions = list(
        ChangeEvent.objects.filter(object_type="finance.invoice", object_id=str(invoice.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "invoice.submit",
        "invoice.approve",
        "invoice.approve_finance",
        "invoice.pay",
    ]
    # Hjo has nothing left for the rest of the year; Skövde its own weeks.
    q2 = invoicing.basis(world.a_initiative, YEAR, 2)
    by_code = {line.municipality_id: line.available for line in q2.lines}
    assert by_code[Municipality.objects.get(code="1497").pk] == 0
    assert by_code[Municipality.objects.get(code="1496").pk] == 19_500


def test_an_invoice_above_the_basis_or_cap_is_refused_and_nothing_is_saved(setup):
    world = setup
    with pytest.raises(ValidationError) as exc:
        submit(world, amount=211_501)
    assert "högst 211\u00a0500 kr" in exc.value.message_dict["amount"][0]
    for bad, message in (
        ("-5", "Beloppet kan inte vara negativt."),
        ("0", "Beloppet ska vara större än noll."),
        ("12,5", "Ange beloppet i hela kronor, t.ex. 42000."),
        ("abc", "Ange beloppet i hela kronor, t.ex. 42000."),
    ):
        with pytest.raises(ValidationError) as exc:
            submit(world, amount=bad)
        assert exc.value.message_dict["amount"] == [message]
    with pytest.raises(ValidationError) as exc:
        submit(world, attachments=[("f.pdf", b"GIF89a not a pdf")])
    assert "inte en PDF-fil" in exc.value.message_dict["attachments"][0]
    assert not Invoice.objects.exists() and not InvoiceLine.objects.exists()


def test_a_period_already_invoiced_is_refused_and_a_returned_one_may_be_invoiced_again(setup):
    world = setup
    first = submit(world, amount=1000)
    with pytest.raises(ValidationError) as exc:
        submit(world, amount=1000)
    assert exc.value.message_dict["period"] == ["Perioden är redan fakturerad."]
    with pytest.raises(ValidationError) as exc:
        invoices.invoice_return(
            access=access_of(world.secretariat, world.a), invoice=first, comment=" "
        )
    assert exc.value.message_dict["return_comment"] == ["Skriv varför fakturan skickas tillbaka."]
    invoices.invoice_return(
        access=access_of(world.secretariat, world.a), invoice=first, comment="Fel belopp"
    )
    again = submit(world)
    assert again.amount == 211_500
    assert Invoice.objects.filter(status=InvoiceStatus.RETURNED).count() == 1


def test_approved_invoices_are_read_only_and_steps_keep_their_order(setup):
    world = setup
    invoice = submit(world)
    with pytest.raises(ValidationError):
        invoices.invoice_approve_finance(access=access_of(world.finance, world.a), invoice=invoice)
    with pytest.raises(PermissionDenied):
        invoices.invoice_approve(access=access_of(world.applicant, world.a), invoice=invoice)
    invoice = invoices.invoice_approve(
        access=access_of(world.secretariat, world.a), invoice=invoice
    )
    with pytest.raises(ValidationError):  # a double click: already approved
        invoices.invoice_approve(access=access_of(world.secretariat, world.a), invoice=invoice)
    invoice = invoices.invoice_approve_finance(
        access=access_of(world.finance, world.a), invoice=invoice
    )
    with pytest.raises(ValidationError) as exc:
        invoices.invoice_return(
            access=access_of(world.finance, world.a), invoice=invoice, comment="x"
        )
    assert exc.value.message_dict["status"] == ["En godkänd eller betald faktura kan inte ändras."]


def test_the_submitter_cannot_approve_their_own_invoice(setup):
    world = setup
    invoice = submit(world, user=world.manager)
    with pytest.raises(ValidationError) as exc:
        invoices.invoice_approve(access=access_of(world.manager, world.a), invoice=invoice)
    assert "själv" in exc.value.message_dict["status"][0]


def test_payment_waits_for_the_periods_interim_report_where_the_association_says_so(setup):
    from finsam.reports.tests.reporting import InitiativeReportFactory, ReportingPeriodFactory

    world = setup
    InvoicingSettings.objects.create(association=world.a, hold_until_report_approved=True)
    invoice = submit(world)
    invoices.invoice_approve(access=access_of(world.secretariat, world.a), invoice=invoice)
    invoices.invoice_approve_finance(access=access_of(world.finance, world.a), invoice=invoice)
    with pytest.raises(ValidationError) as exc:
        invoices.invoice_pay(access=access_of(world.finance, world.a), invoice=invoice)
    assert exc.value.message_dict["status"] == [
        "Betalningen väntar tills periodens delrapport är godkänd."
    ]
    period = ReportingPeriodFactory(
        association=world.a,
        start_date=datetime.date(YEAR, 1, 1),
        end_date=datetime.date(YEAR, 6, 30),
        deadline=datetime.date(YEAR, 8, 31),
    )
    InitiativeReportFactory(period=period, initiative=world.a_initiative, status="approved")
    assert (
        invoices.invoice_pay(access=access_of(world.finance, world.a), invoice=invoice).status
        == "paid"
    )


ROLES = [
    "operator",
    "secretariat",
    "manager",
    "registrar",
    "board",
    "applicant",
    "analyst",
    "reviewer",
    "finance",
]
MAY = {
    "invoice.submit": {"manager", "applicant"},
    "invoice.approve": {"secretariat", "manager"},
    "invoice.approve_finance": {"finance"},
    "invoice.pay": {"finance"},
    "invoice.read": {"secretariat", "manager", "applicant", "finance", "operator"},
}


@pytest.mark.parametrize("who", ROLES)
def test_permissions_for_every_role(setup, who):
    world = setup
    user = world.finance if who == "finance" else world.user(who)
    access = access_of(user, world.a)
    for action, allowed in MAY.items():
        assert access.can(action, initiative=world.a_initiative) == (who in allowed), (who, action)
        # Never for the other association's initiative.
        assert not access.can(action, initiative=world.b_initiative) or who == "operator"
    if who not in MAY["invoice.submit"]:
        with pytest.raises(PermissionDenied):
            submit(world, user=user, amount=100)
    invoice = submit(world, amount=100, user=world.applicant)
    if who not in MAY["invoice.approve"]:
        with pytest.raises(PermissionDenied):
            invoices.invoice_approve(access=access, invoice=invoice)


@pytest.mark.parametrize(
    "who", ["secretariat", "manager", "applicant", "finance", "board", "registrar", "analyst"]
)
def test_pages_answer_by_role(setup, client, client_for, who):
    world = setup
    user = world.finance if who == "finance" else world.user(who)
    client_for(user)
    url = reverse("invoicing:basis_period", args=[world.a_initiative.pk, YEAR, 1])
    response = client.get(url)
    readers = MAY["invoice.read"]
    assert response.status_code == (200 if who in readers else 403 if who != "registrar" else 403)
    if who in readers:
        body = response.content.decode()
        assert "Hjo" in body and "192\u00a0000" in body and "Taket nått" in body
    foreign = reverse("invoicing:basis_period", args=[world.b_initiative.pk, YEAR, 1])
    assert client.get(foreign).status_code == 404


def test_weeks_page_shows_pseudonyms_only_and_logs_the_read(setup, client, client_for):
    world = setup
    client_for(world.secretariat)
    hjo = Municipality.objects.get(code="1497")
    url = reverse("invoicing:weeks", args=[world.a_initiative.pk, YEAR, 1, hjo.pk])
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    enrolment = (
        world.a_initiative.enrolments.filter(home_municipality=hjo)
        .select_related("participant")
        .first()
    )
    assert enrolment.participant.pseudonym in body
    assert enrolment.participant.name not in body
    assert enrolment.participant.personal_number not in body
    event = AccessEvent.objects.get(action="list", fields__startswith="invoice basis weeks")
    assert AccessedPseudonym.objects.filter(event=event).count() == 10


def test_submit_page_double_post_makes_one_invoice(setup, client, client_for):
    world = setup
    client_for(world.applicant)
    url = reverse("invoicing:invoice_new", args=[world.a_initiative.pk, YEAR, 1])
    first = client.post(url, {"amount": "1000", "comment": "Q1"})
    assert first.status_code == 302
    second = client.post(url, {"amount": "1000", "comment": "Q1"})
    assert second.status_code in (403, 422)
    assert Invoice.objects.count() == 1
    bad = client.post(
        reverse("invoicing:invoice_new", args=[world.a_initiative.pk, YEAR, 2]), {"amount": "-3"}
    )
    assert bad.status_code == 422
    assert "Beloppet kan inte vara negativt." in bad.content.decode()
    assert 'href="#id_amount"' in bad.content.decode()


def test_actions_through_the_pages(setup, client, client_for):
    world = setup
    invoice = submit(world)
    client_for(world.secretariat)
    url = reverse("invoicing:invoice_action", args=[invoice.pk, "approve"])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 422  # a second click: a message, no 500
    client_for(world.finance)
    assert (
        client.post(
            reverse("invoicing:invoice_action", args=[invoice.pk, "approve-finance"])
        ).status_code
        == 302
    )
    assert (
        client.post(reverse("invoicing:invoice_action", args=[invoice.pk, "pay"])).status_code
        == 302
    )
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID


def test_sie4_export(setup):
    world = setup
    invoice = submit(world)
    invoices.invoice_approve(access=access_of(world.secretariat, world.a), invoice=invoice)
    invoices.invoice_approve_finance(access=access_of(world.finance, world.a), invoice=invoice)
    invoices.invoice_pay(access=access_of(world.finance, world.a), invoice=invoice)
    data = sie.sie4(world.a, YEAR)
    text = data.decode("cp437")
    lines = text.split("\r\n")
    assert lines[:3] == ["#FLAGGA 0", "#FORMAT PC8", "#SIETYP 4"]
    assert f"#RAR 0 {YEAR}0101 {YEAR}1231" in lines
    assert '#KONTO 4590 "Kostnader för insatser"' in lines
    assert "#TRANS 4590 {} 211500.00" in lines and "#TRANS 2440 {} -211500.00" in lines
    assert "#TRANS 1930 {} -211500.00" in lines
    assert text.count("#VER") == 2
    # CP437: ö is one byte 0x94.
    assert b"f\x94r" in data
    assert sie.invoices_xlsx(world.a, YEAR)[:2] == b"PK"


def test_settings_and_model_pages(setup, client, client_for):
    world = setup
    client_for(world.finance)
    url = reverse("invoicing:settings")
    bad = client.post(
        url,
        {
            "period_kind": "half_year",
            "expense_account": "45",
            "payable_account": "2440",
            "bank_account": "1930",
        },
    )
    assert bad.status_code == 422 and "fyra siffror" in bad.content.decode()
    ok = client.post(
        url,
        {
            "period_kind": "half_year",
            "expense_account": "4010",
            "payable_account": "2440",
            "bank_account": "1930",
            "hold_until_report_approved": "on",
        },
    )
    assert ok.status_code == 302
    settings = InvoicingSettings.objects.get(association=world.a)
    assert (
        settings.period_kind,
        settings.expense_account,
        settings.hold_until_report_approved,
    ) == ("half_year", "4010", True)
    client_for(world.secretariat)
    other = world.a_other
    model_url = reverse("invoicing:model", args=[other.pk, YEAR])
    assert client.get(model_url).status_code == 200
    response = client.post(
        model_url,
        {
            "kind": "per_participant_week",
            "rate_per_week": "1500",
            "counting_rule": "enrolled_weeks",
        },
    )
    assert response.status_code == 302
    assert other.compensation_models.get(year=YEAR).rate_per_week == 1500


def test_delivered_units_entered_by_the_owner_are_the_basis_and_freeze_once_invoiced(world):
    from finsam.finance.models import CompensationModel

    initiative = world.a_other
    CompensationModel.objects.create(
        initiative=initiative,
        year=YEAR,
        kind="per_unit",
        unit_name="hälsoskola",
        unit_price=74_000,
    )
    owner = make_user(world.a, Role.APPLICANT, [initiative], "agare@example.se")
    access = access_of(owner, world.a)
    with pytest.raises(ValidationError) as exc:
        invoices.units_set(access=access, initiative=initiative, year=YEAR, period=2, units="-1")
    assert exc.value.message_dict["units"] == ["Antalet kan inte vara negativt."]
    invoices.units_set(access=access, initiative=initiative, year=YEAR, period=2, units="2")
    found = invoicing.basis(initiative, YEAR, 2)
    assert found.total_available == 148_000
    with pytest.raises(PermissionDenied):
        invoices.units_set(
            access=access_of(world.applicant, world.a),
            initiative=initiative,
            year=YEAR,
            period=2,
            units="9",
        )
    invoice = invoices.invoice_submit(
        access=access, initiative=initiative, year=YEAR, period=2, amount=148_000
    )
    assert invoice.lines.get().kind == "units"
    with pytest.raises(ValidationError) as exc:
        invoices.units_set(access=access, initiative=initiative, year=YEAR, period=2, units="3")
    assert exc.value.message_dict["units"] == ["Perioden är redan fakturerad."]


def test_home_lists_the_years_with_models_and_the_invoices(setup, client, client_for):
    world = setup
    submit(world, amount=1000)
    client_for(world.finance)
    response = client.get(reverse("invoicing:home") + f"?year={YEAR}")
    body = response.content.decode()
    assert response.status_code == 200
    assert f"?year={YEAR}" in body and world.a_initiative.name in body
    assert "1\u00a0000\u00a0kr" in body
    assert reverse("invoicing:export_sie") in body
    client_for(world.board)
    assert client.get(reverse("invoicing:home")).status_code == 403


def test_sending_back_twice_answers_with_a_message(setup, client, client_for):
    world = setup
    invoice = submit(world, amount=1000)
    client_for(world.secretariat)
    url = reverse("invoicing:invoice_action", args=[invoice.pk, "return"])
    assert client.post(url, {"return_comment": ""}).status_code == 422
    assert client.post(url, {"return_comment": "Fel period"}).status_code == 302
    again = client.post(url, {"return_comment": "Fel period"})
    assert again.status_code == 422
    assert "Fakturan är redan skickad tillbaka." in again.content.decode()
    assert Invoice.objects.get().status == InvoiceStatus.RETURNED

import datetime
from collections import Counter
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.core.management import CommandError, call_command
from django.db.models import Q, Sum

from finsam.accounts.models import InitiativeAssignment, RoleAssignment, User
from finsam.applications.models import Application
from finsam.applications.workflow import Status as ApplicationStatus
from finsam.associations.models import Association, Member
from finsam.associations.services import municipality_member_name
from finsam.board.models import Decision
from finsam.core.roles import Role
from finsam.demo.loading import (
    LOGINS,
    OPERATOR_TOTP_SECRET,
    PASSWORD,
    REGISTRAR_TOTP_SECRET,
    current_totp_code,
    load_demo,
    read_data,
)
from finsam.demo.reports import by_municipality
from finsam.finance.models import AssociationYear, InitiativeBudget, MemberContribution
from finsam.finance.selectors import year_rows
from finsam.initiatives.models import HeadCount, Initiative, Status
from finsam.participants.identity import parse_personal_number
from finsam.participants.models import Consent, Enrolment, Participant
from finsam.participants.selectors import missing_rules
from finsam.reports.models import InitiativeReport, ReportComment, ReportingPeriod, ReportStatus

REPORT_DATE = datetime.date(2021, 8, 31)
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def loaded(db):
    """The registrations (reporting periods and finance years left out: faster)."""
    return load_demo(today=TODAY, reports_and_finance=False)


@pytest.fixture
def loaded_all(db):
    return load_demo(today=TODAY)


def _active_on(enrolments, day):
    """Enrolled on `day` and still enrolled the day after (exited later or not at all)."""
    return enrolments.filter(start_date__lte=day).filter(Q(end_date=None) | Q(end_date__gt=day))


def _counts():
    models = [
        Association,
        Member,
        Initiative,
        InitiativeBudget,
        HeadCount,
        Participant,
        Enrolment,
        Consent,
        User,
        RoleAssignment,
        InitiativeAssignment,
        Authenticator,
        Initiative.history.model,
        Enrolment.history.model,
        ReportingPeriod,
        InitiativeReport,
        ReportComment,
        AssociationYear,
        MemberContribution,
    ]
    return {m.__name__: m.objects.count() for m in models}


def test_it_creates_both_associations_and_every_initiative_of_the_data_file(loaded):
    data = read_data()
    for spec in data["associations"]:
        association = Association.objects.get(slug=spec["slug"])
        assert association.name == spec["name"]
        names = set(association.initiatives.values_list("name", flat=True))
        assert names == {i["name"] for i in spec["initiatives"]}
        shares = association.members.aggregate(total=Sum("contribution_share"))["total"]
        assert shares == 100
        assert association.municipalities.count() == len(spec["municipalities"])
    assert (
        Association.objects.filter(
            name__in=["Samordningsförbundet Skaraborg", "Samordningsförbundet Östra Skaraborg"]
        ).count()
        == 2
    )


def test_municipalities_are_named_in_the_nominative_and_a_corrected_name_replaces_the_old(
    loaded,
):
    members = Member.objects.filter(municipality__isnull=False).select_related("municipality")
    assert {m.name for m in members} >= {"Skövde kommun", "Hjo kommun", "Falköpings kommun"}
    for member in members:
        assert member.name == municipality_member_name(member.municipality)
    count = Member.objects.count()
    members.filter(name="Skövde kommun").update(name="Skövdes kommun")
    load_demo(today=TODAY, reports_and_finance=False)
    assert Member.objects.count() == count
    assert not Member.objects.filter(name="Skövdes kommun").exists()


def test_cresco_create_has_the_figures_of_its_interim_report(loaded):
    cresco = Initiative.objects.get(association__slug="skaraborg", name="Cresco Create")
    enrolments = Enrolment.objects.filter(initiative=cresco, start_date__lte=REPORT_DATE)
    assert enrolments.count() == 119
    assert Counter(enrolments.values_list("gender", flat=True)) == {"woman": 60, "man": 59}
    # 71 % aged 19–34; 60 % social assistance, 26 % sickness benefit, 14 % activity
    # compensation, 5 % sickness compensation, 5 % activity support, 1 % no public support.
    assert enrolments.filter(age_at_start__gte=19, age_at_start__lte=34).count() == 84
    sources = Counter(enrolments.values_list("income_sources_before__code", flat=True))
    assert sources == {
        "forsorjningsstod": 71,
        "sjukpenning": 31,
        "aktivitetsersattning": 17,
        "sjukersattning": 6,
        "aktivitetsstod": 6,
        "ingen-offentlig-forsorjning": 1,
    }
    assert cresco.start_date == datetime.date(2021, 1, 1)
    assert cresco.end_date == datetime.date(2023, 2, 28)
    assert cresco.owner_organisation == "Samordningsförbundet Skaraborg"


def test_other_seed_figures_are_reproduced_exactly(loaded):
    gullspang = Enrolment.objects.filter(initiative__name="Prerehab Gullspång")
    assert gullspang.count() == 12
    assert Counter(gullspang.values_list("gender", flat=True)) == {"woman": 5, "man": 7}
    exits = Counter(
        gullspang.filter(end_date__lte=REPORT_DATE).values_list("exit_reason__code", "gender")
    )
    assert exits == {
        ("overgang-annan-insats", "woman"): 1,
        ("overgang-annan-insats", "man"): 1,
        ("arbete", "woman"): 1,
        ("arbete", "man"): 1,
    }
    friskvagen = Enrolment.objects.filter(initiative__name="Friskvågen")
    assert friskvagen.count() == 84
    assert _active_on(friskvagen, REPORT_DATE).count() == 19
    assert _active_on(friskvagen, REPORT_DATE).filter(gender="man").count() == 2
    startgrid = Enrolment.objects.filter(initiative__name="Startgrid")
    assert startgrid.count() == 6
    exited_by_then = startgrid.filter(end_date__lte=REPORT_DATE)
    assert list(exited_by_then.values_list("exit_reason__code", flat=True)) == ["flyttat"]
    kick_off = HeadCount.objects.filter(initiative__name="Kick Off")
    totals = kick_off.aggregate(women=Sum("women"), men=Sum("men"))
    assert totals["women"] + totals["men"] == 500
    budget = InitiativeBudget.objects.get(
        initiative__association__slug="ostra-skaraborg", initiative__name="Stärka individen"
    )
    assert (budget.year, budget.amount, budget.rate_per_participant_week) == (2020, 3000000, 1500)


def test_generated_people_are_valid_and_identified_ones_have_consent(loaded):
    for participant in Participant.objects.all():
        number = parse_personal_number(participant.personal_number)
        assert number.normalized == participant.personal_number
        assert number.legal_gender == participant.gender
        assert number.birth_date.year == participant.birth_year
    identified = Enrolment.objects.exclude(participant=None).select_related("participant")
    for enrolment in identified:
        number = parse_personal_number(enrolment.participant.personal_number)
        assert enrolment.age_at_start == number.age_on(enrolment.start_date)
    assert Consent.objects.count() == identified.count()
    anonymous = Enrolment.objects.filter(participant=None)
    assert not Consent.objects.filter(enrolment__in=anonymous).exists()
    share = anonymous.count() / Enrolment.objects.count()
    assert 0.07 < share < 0.13
    assert not Enrolment.objects.filter(end_date__isnull=False, exit_reason=None).exists()
    # Two persons of Stärka individen in Karlsborg moved on to Cresco Create.
    moved = Participant.objects.filter(enrolments__initiative__name="Cresco Create").filter(
        enrolments__initiative__name="Stärka individen"
    )
    assert moved.count() == 2


def test_a_second_run_changes_nothing(loaded_all):
    before = _counts()
    result = load_demo()
    assert _counts() == before
    assert not any(result.created.values())


def test_every_role_has_a_demo_login(loaded, client):
    roles = set(RoleAssignment.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    for login in LOGINS:
        user = User.objects.get(email=login.email)
        assert user.check_password(PASSWORD)
        assert user.role_assignments.filter(role=login.role).exists()
        assert user.initiative_assignments.count() == len(login.initiatives)
    registrar = User.objects.get(email="registrator@skaraborg.demo.finsam.se")
    totp = Authenticator.objects.get(user=registrar, type=Authenticator.Type.TOTP)
    assert decrypt(totp.data["secret"]) == REGISTRAR_TOTP_SECRET
    operator = User.objects.get(email="operator@demo.finsam.se")
    totp = Authenticator.objects.get(user=operator, type=Authenticator.Type.TOTP)
    assert decrypt(totp.data["secret"]) == OPERATOR_TOTP_SECRET
    assert set(registrar.initiative_assignments.values_list("initiative__name", flat=True)) >= {
        "Cresco Create"
    }
    assert client.login(email="styrelse@skaraborg.demo.finsam.se", password=PASSWORD)
    assert len(current_totp_code()) == 6


def test_the_command_prints_the_logins_and_refuses_without_debug(db, settings):
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    for login in LOGINS:
        assert login.email in text
    assert PASSWORD in text
    assert REGISTRAR_TOTP_SECRET in text
    assert OPERATOR_TOTP_SECRET in text
    settings.DEBUG = False
    settings.TESTING = False
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=StringIO())


def test_the_demo_registrar_and_secretariat_can_open_cresco_create(loaded, client_for):
    from django.urls import reverse

    cresco = Initiative.objects.get(association__slug="skaraborg", name="Cresco Create")
    registrar = User.objects.get(email="registrator@skaraborg.demo.finsam.se")
    response = client_for(registrar).get(
        reverse("participants:initiative_participants", kwargs={"initiative_id": cresco.pk})
    )
    assert response.status_code == 200
    assert "Cresco Create" in response.content.decode()
    secretariat = User.objects.get(email="kansli@skaraborg.demo.finsam.se")
    response = client_for(secretariat).get(
        reverse("participants:initiative_follow_up", kwargs={"initiative_id": cresco.pk})
    )
    assert response.status_code == 200


# --- The demo runs on from the snapshot dates to today ------------------------------------


def _stärka_individen():
    return Initiative.objects.get(association__slug="skaraborg", name="Stärka individen")


def test_status_follows_the_dates_and_only_stärka_individen_goes_on(loaded):
    ongoing = Initiative.objects.exclude(status=Status.ENDED)
    assert list(ongoing.values_list("association__slug", "name", "status", "end_date")) == [
        # Lund's seed 004, granted in the demo's board meeting, starts in September 2026.
        (
            "lund",
            "Kraft – förlängt projekt för 0-placerade inom Lunds kommun",
            Status.PLANNED,
            datetime.date(2027, 8, 31),
        ),
        ("skaraborg", "Stärka individen", Status.ACTIVE, None),
    ]
    for initiative in Initiative.objects.filter(status=Status.ENDED):
        assert initiative.end_date < TODAY
    # Periods as written are kept for every other initiative.
    cresco = Initiative.objects.get(name="Cresco Create")
    assert (cresco.start_date, cresco.end_date) == (
        datetime.date(2021, 1, 1),
        datetime.date(2023, 2, 28),
    )
    assert cresco.get_status_display() == "Avslutad"


def test_ended_initiatives_have_nobody_left_and_everyone_left_in_time(loaded):
    stärka = _stärka_individen()
    assert not Enrolment.objects.filter(end_date=None).exclude(initiative=stärka).exists()
    for initiative in Initiative.objects.filter(status=Status.ENDED, follow_up="individual"):
        late = initiative.enrolments.filter(end_date__gt=initiative.end_date)
        assert not late.exists(), initiative.name
    assert not Enrolment.objects.filter(end_date__gt=TODAY).exists()
    assert not Enrolment.objects.filter(start_date__gt=TODAY).exists()


def test_those_active_on_the_report_date_stay_active_on_it(loaded):
    """Exits after the snapshot never come before it: the seed's active counts still hold."""
    for spec in read_data()["associations"]:
        as_of = datetime.date.fromisoformat(spec["as_of"])
        for ini in spec["initiatives"]:
            groups = (ini.get("participants") or {}).get("groups", [])
            if not groups:
                continue
            active = sum(g.get("active", g["total"]) for g in groups)
            enrolments = Enrolment.objects.filter(
                initiative__association__slug=spec["slug"], initiative__name=ini["name"]
            )
            if spec["slug"] == "skaraborg":
                assert _active_on(enrolments, as_of).count() == active, ini["name"]
            else:
                # Östra Skaraborg's snapshot is the last day of most of its initiatives: those
                # enrolled then leave on that very day.
                on_the_day = enrolments.filter(start_date__lte=as_of).filter(
                    Q(end_date=None) | Q(end_date__gte=as_of)
                )
                assert on_the_day.count() >= active >= _active_on(enrolments, as_of).count()
    cresco = Enrolment.objects.filter(initiative__name="Cresco Create")
    assert _active_on(cresco, REPORT_DATE).count() == 113


def test_exits_after_the_snapshot_have_realistic_reasons_and_outcomes(loaded):
    later = Enrolment.objects.filter(
        Q(initiative__association__slug="skaraborg", end_date__gt=REPORT_DATE)
        | Q(
            initiative__association__slug="ostra-skaraborg",
            end_date__gte=datetime.date(2020, 12, 31),
        )
    )
    reasons = Counter(later.values_list("exit_reason__code", flat=True))
    n = later.count()
    assert n > 400
    share = {reason: count / n for reason, count in reasons.items()}
    assert 0.18 < share["arbete"] < 0.32
    assert 0.10 < share["studier"] < 0.22
    assert 0.22 < share["avslutad-enligt-plan"] + share["overgang-annan-insats"] < 0.40
    assert 0.05 < share["avbruten-av-deltagaren"] + share["avbruten-ohalsa"] < 0.25
    assert 0 < share["flyttat"] < 0.08
    # Outcomes match the reasons: work → employed with a salary, studies → student finance.
    work = later.filter(exit_reason__code="arbete")
    assert set(work.values_list("occupation_after__category", flat=True)) <= {"work", None}
    assert set(work.values_list("income_sources_after__code", flat=True)) <= {"lon", None}
    studies = later.filter(exit_reason__code="studier")
    assert set(studies.values_list("occupation_after__code", flat=True)) <= {"studier", None}
    # Only a few recent exits of the living initiative lack the out-registration.
    without = later.filter(occupation_after=None)
    assert without.count() <= 10
    assert set(without.values_list("initiative__name", flat=True)) <= {"Stärka individen"}


def test_stärka_individen_has_a_steady_flow_up_to_today(loaded):
    stärka = _stärka_individen()
    enrolments = stärka.enrolments.all()
    active = enrolments.filter(end_date=None)
    assert 30 <= active.count() <= 45
    assert not active.filter(start_date__lte=REPORT_DATE).exists()
    assert active.filter(start_date__gte=TODAY - datetime.timedelta(days=28)).count() >= 3
    # Starts in every year since the snapshot, across its six municipalities.
    years = set(
        enrolments.filter(start_date__gt=REPORT_DATE).values_list("start_date__year", flat=True)
    )
    assert years == set(range(2021, TODAY.year + 1))
    homes = set(
        enrolments.filter(start_date__gt=REPORT_DATE).values_list(
            "home_municipality__name", flat=True
        )
    )
    assert homes == {"Falköping", "Hjo", "Karlsborg", "Skövde", "Tibro", "Tidaholm"}
    # The seed figures of its municipal chapters are untouched.
    assert enrolments.filter(start_date__lte=REPORT_DATE).count() == 52
    assert _active_on(enrolments, REPORT_DATE).count() == 33
    # Identified ones have consent before they start; about 10 % are anonymous.
    later = enrolments.filter(start_date__gt=REPORT_DATE)
    assert not later.filter(participant__isnull=False, consent=None).exists()
    assert 0.05 < later.filter(participant=None).count() / later.count() < 0.15
    # The registrar has something to complete.
    missing = {r.key: active.filter(r.condition).count() for r in missing_rules(TODAY)}
    assert sum(v for k, v in missing.items() if k != "long_running") >= 3
    registrar = User.objects.get(email="registrator@skaraborg.demo.finsam.se")
    assert registrar.initiative_assignments.filter(initiative=stärka, role=Role.REGISTRAR).exists()


def test_volume_initiatives_count_heads_only_within_their_period(loaded):
    for initiative in Initiative.objects.filter(follow_up="volume"):
        months = list(initiative.head_counts.values_list("month", flat=True))
        first_month = initiative.start_date.replace(day=1)
        assert all(first_month <= m <= initiative.end_date for m in months), initiative.name
    # Those that ended after the snapshot are counted up to their last month.
    rehabforum = HeadCount.objects.filter(initiative__name="Rehabforum").order_by("month")
    assert rehabforum.last().month == datetime.date(2022, 3, 1)
    assert rehabforum.first().month == datetime.date(2020, 4, 1)


def test_a_later_rerun_changes_nothing_more(loaded_all):
    before = _counts()
    load_demo(today=TODAY + datetime.timedelta(days=40))
    assert _counts() == before


def test_the_demo_registrar_sees_what_is_missing_in_stärka_individen(loaded, client_for):
    from django.urls import reverse

    stärka = _stärka_individen()
    registrar = User.objects.get(email="registrator@skaraborg.demo.finsam.se")
    response = client_for(registrar).get(
        reverse("participants:initiative_participants", kwargs={"initiative_id": stärka.pk})
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Stärka individen" in page
    assert "Pågående" in page


# --- Reporting periods and finance years (issue 3) -----------------------------------------

PERIOD_2021 = "Delårsrapport januari–augusti 2021"
PERIOD_2026 = "Delårsrapport januari–augusti 2026"
STÄRKA_MUNICIPALITIES = ["Falköping", "Hjo", "Karlsborg", "Skövde", "Tibro", "Tidaholm"]


def test_the_2021_interim_reports_are_those_of_seed_003(loaded_all):
    period = ReportingPeriod.objects.get(association__slug="skaraborg", name=PERIOD_2021)
    assert (period.start_date, period.end_date, period.deadline) == (
        datetime.date(2021, 1, 1),
        datetime.date(2021, 8, 31),
        datetime.date(2021, 9, 20),
    )
    main = period.reports.filter(parent=None)
    assert main.count() == 23
    seed = {i["name"]: i for i in read_data()["associations"][0]["initiatives"]}
    assert set(main.values_list("initiative__name", flat=True)) == set(seed)
    subs = period.reports.exclude(parent=None).order_by("municipality__name")
    assert list(subs.values_list("municipality__name", flat=True)) == STÄRKA_MUNICIPALITIES
    assert set(subs.values_list("initiative__name", flat=True)) == {"Stärka individen"}
    statuses = Counter(period.reports.values_list("status", flat=True))
    assert statuses == {
        ReportStatus.APPROVED: 24,
        ReportStatus.SUBMITTED: 2,
        ReportStatus.RETURNED: 2,
        ReportStatus.DRAFT: 1,
    }
    assert main.get(initiative__name="Kick Off").status == ReportStatus.DRAFT
    # The seed's texts: sections, results, and the analysis split without losing a word.
    cresco = main.get(initiative__name="Cresco Create")
    written = seed["Cresco Create"]
    assert cresco.project_period == written["period_as_written"]
    assert cresco.background == written["sections"]["background"]
    assert cresco.results == written["interim_report_2021"]["results"]
    for report in main.exclude(initiative__name="Stärka individen"):
        analysis = seed[report.initiative.name]["interim_report_2021"]["analysis"]
        parts = [
            report.analysis_success_factors,
            report.analysis_cooperation,
            report.analysis_goal_attainment,
        ]
        assert "\n\n".join(p for p in parts if p) == analysis.strip(), report.initiative.name
    falkoping = subs.get(municipality__name="Falköping")
    assert (
        falkoping.results
        == by_municipality(seed["Stärka individen"]["interim_report_2021"]["results"])["Falköping"]
    )
    # Submitted in September 2021, approved after, statistics frozen with the seed's figures.
    assert cresco.status == ReportStatus.APPROVED
    assert datetime.date(2021, 9, 6) <= cresco.submitted_at.date() <= datetime.date(2021, 9, 20)
    assert cresco.submitted_at < cresco.approved_at
    assert (
        "119 deltagare totalt, varav 60 kvinnor och 59 män"
        in (cresco.statistics_snapshot["summary"])
    )
    assert cresco.statistics_snapshot["taken_at"].startswith("2021-09")
    locked = period.reports.exclude(status=ReportStatus.DRAFT)
    assert all(report.statistics_snapshot.get("tables") for report in locked)
    # Sent back with the secretariat's comment.
    returned = period.reports.filter(status=ReportStatus.RETURNED)
    assert set(returned.values_list("project_name", flat=True)) == {
        "AFI/Sötåsen",
        "Stärka individen – Tibro",
    }
    comments = ReportComment.objects.filter(report__in=returned)
    assert comments.count() == 2
    assert set(comments.values_list("author__email", flat=True)) == {
        "kansli@skaraborg.demo.finsam.se"
    }
    assert all(c.created_at.year == 2021 for c in comments)


def test_the_current_period_has_drafts_past_their_deadline(loaded_all, client_for):
    from django.urls import reverse

    period = ReportingPeriod.objects.get(association__slug="skaraborg", name=PERIOD_2026)
    assert period.deadline < TODAY
    statuses = dict(
        period.reports.values_list("municipality__name", "status").order_by("municipality__name")
    )
    assert statuses == {
        None: ReportStatus.DRAFT,
        "Falköping": ReportStatus.APPROVED,
        "Hjo": ReportStatus.RETURNED,
        "Karlsborg": ReportStatus.DRAFT,
        "Skövde": ReportStatus.SUBMITTED,
        "Tibro": ReportStatus.DRAFT,
        "Tidaholm": ReportStatus.DRAFT,
    }
    main = period.reports.get(parent=None)
    assert "Den 31 augusti 2026 hade Stärka individen" in main.results
    assert not main.statistics_snapshot
    secretariat = User.objects.get(email="kansli@skaraborg.demo.finsam.se")
    response = client_for(secretariat).get(reverse("reports:period", kwargs={"pk": period.pk}))
    assert response.status_code == 200
    assert "Stärka individen" in response.content.decode()


def test_finance_years_split_the_funds_by_the_members_shares(loaded_all):
    expected = {
        ("skaraborg", 2020): (18600000, "below"),
        ("skaraborg", 2021): (19200000, "ok"),
        ("ostra-skaraborg", 2020): (7200000, "above"),
        ("ostra-skaraborg", 2021): (7200000, "ok"),
        # A plan year of seed 002's operational plan (finsam/demo/plan.py): equity not yet known.
        ("ostra-skaraborg", 2022): (7200000, "unknown"),
    }
    seen = {}
    for association in Association.objects.all():
        for row in year_rows(association):
            seen[(association.slug, row.year.year)] = (row.year.funds, row.equity.status)
            by_kind = Counter()
            for c in row.year.contributions.select_related("member"):
                by_kind[c.member.kind] += c.amount
            funds = row.year.funds
            assert by_kind["fk"] + by_kind["af"] == funds / 2
            assert by_kind["region"] == funds / 4
            assert by_kind["municipality"] == funds / 4
            assert row.year.contributions.count() == association.members.count()
    assert seen == expected
    ostra_2021 = AssociationYear.objects.get(association__slug="ostra-skaraborg", year=2021)
    ostra_2020 = AssociationYear.objects.get(association__slug="ostra-skaraborg", year=2020)
    assert ostra_2021.equity_at_start == ostra_2020.equity_at_end


def test_östra_skaraborg_has_seed_002s_operational_plan(loaded_all):
    from finsam.finance.equity import equity_position
    from finsam.finance.plan import operational_plan

    association = Association.objects.get(slug="ostra-skaraborg")
    operational = operational_plan(association, 2020)
    assert [y.year for y in operational.years] == [2020, 2021, 2022]
    totals = operational.current.budget_totals
    assert totals["initiatives"] == 6_737_000
    assert totals["activity"] + totals["reserve"] == 910_000
    assert totals["reserve"] == 800_000
    assert totals["funds"] == 7_200_000
    assert totals["admin"] == 1_350_000
    assert totals["result"] == 0  # balanced with the equity used
    skovde = next(line for line in operational.current.contributions if "Skövde" in line.label)
    assert skovde.budget == 782_004  # the population key on SCB's 2019 figures
    year = operational.current.association_year
    position = equity_position(year, totals["funds"])
    assert (position.end.band.lower, position.end.band.upper) == (10, 20)
    assert position.end.status == "above"


def test_the_demo_operator_logs_in_with_two_factors_and_keeps_the_code_lists(loaded, client):
    from django.urls import reverse

    response = client.post(
        reverse("account_login"), {"login": "operator@demo.finsam.se", "password": PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    code = current_totp_code(OPERATOR_TOTP_SECRET)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    for path in ("/admin/reference/code/", "/admin/reference/municipality/"):
        assert client.get(path).status_code == 200


def test_seed_004_goes_from_the_open_round_to_a_granted_initiative(loaded_all, client_for):
    """Issue 11's demo: seed 004 submitted in Lund's open round, reviewed, recommended, decided
    at a board meeting with approved minutes, and so an initiative with its budgets; beside it an
    application waiting for a supplement and a draft."""
    kraft = Application.objects.get(title__startswith="Kraft – förlängt projekt")
    assert kraft.round.is_open() and kraft.round.closes_on is None
    assert kraft.status == ApplicationStatus.GRANTED and kraft.diary_number.endswith("/001")
    assert kraft.amount_applied == 1096000
    assert kraft.reviews.filter(submitted_at__isnull=False).count() == 2
    decision = Decision.objects.get(application=kraft)
    assert decision.took_effect_at is not None
    budgets = dict(
        InitiativeBudget.objects.filter(initiative=kraft.initiative).values_list("year", "amount")
    )
    assert budgets == {2026: 1096000}
    statuses = set(
        Application.objects.filter(association__slug="lund").values_list("status", flat=True)
    )
    assert statuses == {
        ApplicationStatus.GRANTED,
        ApplicationStatus.SUPPLEMENT_REQUESTED,
        ApplicationStatus.DRAFT,
    }
    page = client_for(User.objects.get(email="ansokan@lund.demo.finsam.se")).get(
        f"/applications/{kraft.pk}/"
    )
    assert "Beslutsbrev (PDF)" in page.content.decode()

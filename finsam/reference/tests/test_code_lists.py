"""Code lists as versioned data: versions, the rule that a code never changes meaning,
translations, an association's own wording, and the lookups (`finsam.reference.codes`)."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from finsam.participants.tests.factories import EnrolmentFactory
from finsam.reference import codes
from finsam.reference.loading import (
    DATA_DIR,
    CodeListError,
    load_code_list,
    read_code_list,
    reword_code,
)
from finsam.reference.models import (
    Code,
    CodeList,
    CodeListKey,
    CodeListVersion,
    CodeTranslation,
    SourceStatus,
)
from finsam.reference.templatetags.codes import as_registered
from finsam.statistics.engine import Scope, StatsFilter, stats_table

pytestmark = pytest.mark.django_db

D = datetime.date
EDUCATION = DATA_DIR / "code_lists" / "education.json"


def education(**changes) -> dict:
    """The shipped education list, changed: `codes` maps a code to its new labels (None drops
    it from the file), other keys replace the file's."""
    data = read_code_list(EDUCATION)
    new_labels = changes.pop("codes", {})
    rows = []
    for row in data["codes"]:
        if row["code"] in new_labels:
            if new_labels[row["code"]] is None:
                continue
            row = {**row, "labels": new_labels[row["code"]]}
        rows.append(row)
    return {**data, "valid_from": "2027-01-01", **changes, "codes": rows}


def test_the_migration_made_the_shipped_lists_version_one():
    national = CodeList.objects.filter(owner=None)
    assert sorted(national.values_list("key", flat=True)) == sorted(CodeListKey.values)
    for code_list in national:
        (version,) = code_list.versions.all()
        assert version.number == 1
        assert code_list.status == SourceStatus.PLACEHOLDER
        assert "participant-follow-up.md" in code_list.source_document
        assert code_list.source_date == D(2026, 11, 23)
    code = Code.objects.get(code_list=CodeList.EXIT_REASON, code="felregistrering")
    assert code.labels == {"sv": "Felregistrering", "en": "Registered by mistake"}
    assert code.version == 1
    assert set(code.translations.values_list("language", "label")) == {
        ("sv", "Felregistrering"),
        ("en", "Registered by mistake"),
    }


def test_the_shipped_files_are_what_the_migration_loaded():
    for path in sorted((DATA_DIR / "code_lists").glob("*.json")):
        data = read_code_list(path)
        assert data["status"] in SourceStatus.values, path.name
        assert data["source"]["document"] and data["source"]["date"], path.name
        assert data["notes"], path.name
        assert load_code_list(data).version is None, path.name
    assert not CodeListVersion.objects.filter(number__gt=1).exists()


def test_a_new_wording_is_a_new_version_and_old_enrolments_keep_theirs(world):
    gymnasial = Code.objects.get(code_list=CodeList.EDUCATION, code="gymnasial")
    old = EnrolmentFactory(
        initiative=world.a_initiative,
        education=gymnasial,
        start_date=D(2026, 3, 1),
        code_versions={CodeList.EDUCATION: 1},
        gender="woman",
    )
    scope = Scope(
        kind="association",
        label="A",
        initiative_ids=None,
        association_ids=frozenset({world.a.pk}),
        suppress=False,
    )
    period = StatsFilter(period_start=D(2026, 1, 1), period_end=D(2026, 12, 31))

    def counts():
        return {r.key: r.total.value for r in stats_table(scope, period, "education").rows}

    before = counts()
    new = {"sv": "Gymnasieutbildning", "en": "Upper secondary school"}

    result = load_code_list(
        education(codes={"gymnasial": new}, wording_changes=["gymnasial"]), today=D(2027, 1, 1)
    )

    assert result.version == 2
    gymnasial.refresh_from_db()
    assert (str(gymnasial), gymnasial.version) == ("Gymnasieutbildning", 2)
    assert codes.label(CodeList.EDUCATION, "gymnasial") == "Gymnasieutbildning"
    assert codes.label(CodeList.EDUCATION, "gymnasial", version=1) == "Gymnasial utbildning"
    assert as_registered(old, "education") == "Gymnasial utbildning"
    with translation.override("en"):
        assert as_registered(old, "education") == "Upper secondary education"
    # Counting is by code: the new wording changes no figure.
    assert counts() == before and before["gymnasial"] == 1
    first, second = CodeListVersion.objects.filter(code_list__key=CodeList.EDUCATION)
    assert (first.valid_from, first.valid_to) == (D(2004, 1, 1), D(2026, 12, 31))
    assert (second.valid_from, second.valid_to) == (D(2027, 1, 1), None)
    assert codes.version_on(CodeList.EDUCATION, D(2026, 6, 1)) == 1
    assert codes.version_on(CodeList.EDUCATION, D(2027, 6, 1)) == 2
    # The old enrolment still shows in the wording it was registered with on its own page.
    assert old.code_versions == {CodeList.EDUCATION: 1}


def test_a_code_reused_with_another_meaning_is_refused_in_swedish():
    with pytest.raises(CodeListError) as refused:
        load_code_list(education(codes={"gymnasial": {"sv": "Folkhögskola", "en": "Folk high"}}))
    message = str(refused.value)
    assert "”gymnasial”" in message and "”Gymnasial utbildning”" in message
    assert "får aldrig återanvändas med en annan betydelse" in message
    assert "nytt kodvärde" in message
    data = education()
    data["codes"][0] = {**data["codes"][0], "category": "post_secondary"}
    with pytest.raises(CodeListError, match="räknas redan som"):
        load_code_list(data)
    # Nothing was written.
    assert CodeListVersion.objects.filter(code_list__key=CodeList.EDUCATION).count() == 1
    assert str(Code.objects.get(code_list=CodeList.EDUCATION, code="gymnasial")) == (
        "Gymnasial utbildning"
    )


def test_a_code_missing_from_a_file_is_deactivated_never_deleted_and_keeps_its_meaning():
    load_code_list(education(codes={"okand": None}))

    okand = Code.objects.get(code_list=CodeList.EDUCATION, code="okand")
    assert okand.active is False
    assert "okand" not in dict(codes.choices(CodeList.EDUCATION))
    assert codes.label(CodeList.EDUCATION, "okand") == "Okänd"
    assert "okand" in dict(codes.choices(CodeList.EDUCATION, on=D(2026, 1, 1)))
    # Back in a later version, with the same meaning only.
    with pytest.raises(CodeListError):
        load_code_list(
            education(valid_from="2028-01-01", codes={"okand": {"sv": "Gymnasial påbyggnad"}})
        )
    load_code_list(education(valid_from="2028-01-01"))
    okand.refresh_from_db()
    assert okand.active is True


def test_translations_in_any_language_follow_the_active_language():
    arabic = "التعليم الثانوي"
    load_code_list(
        education(
            codes={
                "gymnasial": {"sv": "Gymnasial utbildning", "ar": arabic, "fa-AF": "تحصیلات"},
            },
            names={"sv": "Utbildningsnivå", "ar": "المستوى التعليمي"},
        )
    )
    gymnasial = Code.objects.get(code_list=CodeList.EDUCATION, code="gymnasial")
    with translation.override("ar"):
        assert str(gymnasial) == arabic
        assert codes.label(CodeList.EDUCATION, "gymnasial") == arabic
        assert codes.list_name(CodeList.EDUCATION) == "المستوى التعليمي"
        # A code without Arabic falls back to Swedish.
        assert codes.label(CodeList.EDUCATION, "okand") == "Okänd"
    assert codes.label(CodeList.EDUCATION, "gymnasial", language="fa-AF") == "تحصیلات"
    assert codes.label(CodeList.EDUCATION, "gymnasial", language="fa-af") == "تحصیلات"
    assert codes.label(CodeList.EDUCATION, "gymnasial", language="so") == "Gymnasial utbildning"
    # English was dropped from this version's wording of the code: Swedish instead.
    assert codes.label(CodeList.EDUCATION, "gymnasial", language="en") == "Gymnasial utbildning"
    assert codes.label(CodeList.EDUCATION, "gymnasial", version=1, language="en") == (
        "Upper secondary education"
    )
    assert [codes.direction(lang) for lang in ("ar", "fa-AF", "prs", "sv", "ti", "so")] == [
        "rtl",
        "rtl",
        "rtl",
        "ltr",
        "ltr",
        "ltr",
    ]


def test_an_associations_own_wording_shows_for_that_association_only(world):
    own = {
        "key": CodeList.EDUCATION,
        "names": {"sv": "Utbildning"},
        "status": "confirmed",
        "source": {"document": "Förbundets blankett 2027", "date": "2027-01-15"},
        "codes": [{"code": "gymnasial", "labels": {"sv": "Gymnasiet", "en": "High school"}}],
    }

    result = load_code_list(own, association=world.a, today=D(2027, 2, 1))

    assert result.version == 1
    own_list = CodeList.objects.get(key=CodeList.EDUCATION, owner=world.a)
    assert own_list.status == SourceStatus.CONFIRMED
    assert codes.label(CodeList.EDUCATION, "gymnasial", association=world.a) == "Gymnasiet"
    assert codes.label(CodeList.EDUCATION, "gymnasial", association=world.a.pk) == "Gymnasiet"
    assert codes.label(CodeList.EDUCATION, "okand", association=world.a) == "Okänd"
    assert codes.label(CodeList.EDUCATION, "gymnasial", association=world.b) == (
        "Gymnasial utbildning"
    )
    assert codes.label(CodeList.EDUCATION, "gymnasial") == "Gymnasial utbildning"
    assert dict(codes.choices(CodeList.EDUCATION, association=world.a))["gymnasial"] == "Gymnasiet"
    assert dict(codes.choices(CodeList.EDUCATION, association=world.b))["gymnasial"] == (
        "Gymnasial utbildning"
    )
    # The national rows and statistics labels are untouched.
    gymnasial = Code.objects.get(code_list=CodeList.EDUCATION, code="gymnasial")
    assert (str(gymnasial), gymnasial.version) == ("Gymnasial utbildning", 1)
    with translation.override("en"):
        assert codes.label(CodeList.EDUCATION, "gymnasial", association=world.a) == "High school"
    # Its own wording keeps its meaning too.
    changed = {**own, "codes": [{"code": "gymnasial", "labels": {"sv": "Komvux"}}]}
    with pytest.raises(CodeListError, match="aldrig återanvändas"):
        load_code_list(changed, association=world.a)


def test_an_association_cannot_add_codes_or_categories(world):
    base = {"key": CodeList.EDUCATION, "codes": [{"code": "egen-kod", "labels": {"sv": "Egen"}}]}
    with pytest.raises(CodeListError, match="finns inte i den nationella kodlistan"):
        load_code_list(base, association=world.a)
    recategorised = {
        **base,
        "codes": [{"code": "gymnasial", "category": "compulsory", "labels": {"sv": "Gymnasiet"}}],
    }
    with pytest.raises(CodeListError, match="rapportkategori"):
        load_code_list(recategorised, association=world.a)
    assert not CodeList.objects.filter(owner=world.a).exists()


def test_the_command_loads_a_file_for_an_association(world, tmp_path):
    path = tmp_path / "education.json"
    path.write_text(
        json.dumps(
            {"key": "education", "codes": [{"code": "gymnasial", "labels": {"sv": "Gymnasiet"}}]}
        ),
        encoding="utf-8",
    )
    out = StringIO()

    by = world.secretariat.email
    call_command("load_code_list", str(path), association=world.a.slug, by=by, stdout=out)

    assert "education: version 1" in out.getvalue()
    assert codes.label("education", "gymnasial", association=world.a) == "Gymnasiet"
    with pytest.raises(CommandError, match="No association"):
        call_command("load_code_list", str(path), association="ingen-sadan", by=by)
    path.write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match="kan inte läsas som en kodlista"):
        call_command("load_code_list", str(path), by=by)


def test_the_command_records_who_loads_and_requires_to_be_told(world, tmp_path):
    path = tmp_path / "education.json"
    data = education(codes={"gymnasial": {"sv": "Gymnasial utbildning", "en": "Upper secondary"}})
    path.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(CommandError, match="--by"):
        call_command("load_code_list", str(path))
    with pytest.raises(CommandError, match="No active user"):
        call_command("load_code_list", str(path), by="okand@example.se")
    world.board.is_active = False
    world.board.save()
    with pytest.raises(CommandError, match="No active user"):
        call_command("load_code_list", str(path), by=world.board.email)
    assert not CodeListVersion.objects.filter(code_list__key="education", number=2).exists()

    call_command("load_code_list", str(path), by=world.operator.email.upper(), stdout=StringIO())

    loaded = CodeListVersion.objects.get(
        code_list__key="education", code_list__owner=None, number=2
    )
    assert loaded.loaded_by == world.operator
    # The lists shipped with finsam (migrate, load_reference) name nobody.
    shipped = CodeListVersion.objects.get(
        code_list__key="education", code_list__owner=None, number=1
    )
    assert shipped.loaded_by is None


def test_rewording_a_code_in_the_admin_is_a_new_version(world):
    referrer = Code.objects.get(code_list=CodeList.REFERRER, code="arbetsformedlingen")

    result = reword_code(referrer, {"sv": "Arbetsförmedlingen (Af)", "en": "PES"})

    assert result.version == 2
    referrer.refresh_from_db()
    assert str(referrer) == "Arbetsförmedlingen (Af)"
    assert codes.label(CodeList.REFERRER, "arbetsformedlingen", version=1) == ("Arbetsförmedlingen")
    assert CodeTranslation.objects.filter(version__number=2, code=referrer).count() == 2
    # Every other code is carried over unchanged.
    other = Code.objects.get(code_list=CodeList.REFERRER, code="egen-anmalan")
    assert codes.label(CodeList.REFERRER, "egen-anmalan", version=2) == str(other)


def test_lookups_are_cached_and_forgotten_on_load(django_assert_num_queries):
    codes.label(CodeList.EDUCATION, "gymnasial")
    with django_assert_num_queries(0):
        codes.label(CodeList.EDUCATION, "gymnasial")
        codes.choices(CodeList.REFERRER)
        codes.list_name(CodeList.REFERRER)
    load_code_list(education(codes={"okand": None}))
    assert "okand" not in dict(codes.choices(CodeList.EDUCATION))


def test_the_operator_sees_lists_and_versions_in_the_admin_and_rewords_a_code(world, client_for):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(world.operator, generate_totp_secret())
    client = client_for(world.operator)
    code_list = CodeList.objects.get(key=CodeList.EXIT_REASON, owner=None)
    page = client.get(f"/admin/reference/codelist/{code_list.pk}/change/")
    assert page.status_code == 200
    assert "participant-follow-up.md" in page.content.decode()
    assert client.get("/admin/reference/codelist/add/").status_code == 403
    code = Code.objects.get(code_list=CodeList.EXIT_REASON, code="flyttat")
    change = client.get(f"/admin/reference/code/{code.pk}/change/")
    data = {k: v for k, v in change.context["adminform"].form.initial.items() if v is not None}
    assert data["label_sv"] == "Flyttat från förbundets område"
    # Order and active only: no new version.
    assert client.post(f"/admin/reference/code/{code.pk}/change/", data).status_code == 302
    assert code_list.versions.count() == 1
    data.update(label_sv="Flyttat från förbundets geografiska område")
    assert client.post(f"/admin/reference/code/{code.pk}/change/", data).status_code == 302
    assert code_list.versions.count() == 2
    assert code_list.versions.get(number=2).loaded_by == world.operator
    assert codes.label(CodeList.EXIT_REASON, "flyttat", version=1) == (
        "Flyttat från förbundets område"
    )

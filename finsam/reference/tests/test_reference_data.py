from io import StringIO

import pytest
from django.core.management import call_command

from finsam.reference.loading import DATA_DIR, read_code_list, read_csv, sync_reference_data
from finsam.reference.models import (
    EXIT_WRONG_REGISTRATION,
    INCOME_NONE,
    Code,
    CodeList,
    CodeListKey,
    CodeListVersion,
    CodeTranslation,
    Municipality,
    Region,
)

pytestmark = pytest.mark.django_db

REPORT_GROUPS = {"work", "studies", "job_seeking", "other"}


def test_it_ships_290_municipalities_and_21_regions_with_unique_codes():
    municipalities = read_csv("municipalities.csv")
    regions = read_csv("regions.csv")
    assert len(municipalities) == 290
    assert len({m["code"] for m in municipalities}) == 290
    assert len(regions) == 21
    assert len({r["code"] for r in regions}) == 21
    region_codes = {r["code"] for r in regions}
    for m in municipalities:
        assert len(m["code"]) == 4 and m["code"].isdigit(), m
        assert m["region_code"] == m["code"][:2], m
        assert m["region_code"] in region_codes, m


def test_it_names_its_sources():
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for name in ("regions.csv", "municipalities.csv", "code_lists/"):
        assert name in readme
    assert "SCB" in readme


def test_it_loads_the_data_in_the_migration():
    # The test database was built by the migrations, including the data migration.
    assert Region.objects.count() == 21
    assert Municipality.objects.count() == 290
    assert Code.objects.filter(active=True).count() == len(shipped_codes())


def test_it_loads_regions_and_municipalities():
    Municipality.objects.all().delete()
    Region.objects.all().delete()

    sync_reference_data()

    assert Region.objects.count() == 21
    assert Municipality.objects.count() == 290
    for m in Municipality.objects.select_related("region"):
        assert m.region.code == m.code[:2], m.code
    assert Region.objects.get(code="14").name == "Västra Götalands län"
    skaraborg = {
        "1496": "Skövde",
        "1499": "Falköping",
        "1497": "Hjo",
        "1446": "Karlsborg",
        "1472": "Tibro",
        "1498": "Tidaholm",
        "1493": "Mariestad",
        "1447": "Gullspång",
        "1473": "Töreboda",
        "1471": "Götene",
        "1494": "Lidköping",
        "1495": "Skara",
        "1470": "Vara",
        "1465": "Svenljunga",
    }
    assert dict(Municipality.objects.filter(code__in=skaraborg).values_list("code", "name")) == (
        skaraborg
    )
    assert Municipality.objects.get(code="0180").name == "Stockholm"
    assert Municipality.objects.get(code="0980").region.name == "Gotlands län"


def shipped_codes() -> list[dict]:
    """Every code of the shipped national lists, with its list's key as `code_list`."""
    return [
        {"code_list": data["key"], **row}
        for path in sorted((DATA_DIR / "code_lists").glob("*.json"))
        for data in [read_code_list(path)]
        for row in data["codes"]
    ]


def delete_code_lists():
    """Start from an empty database of code lists (never done outside tests: codes are kept)."""
    CodeTranslation.objects.all().delete()
    CodeListVersion.objects.all().delete()
    CodeList.objects.all().delete()
    Code.objects.all().delete()


def test_it_loads_the_required_codes():
    delete_code_lists()

    sync_reference_data()

    felreg = Code.objects.get(code_list=CodeList.EXIT_REASON, code=EXIT_WRONG_REGISTRATION)
    assert felreg.label_sv == "Felregistrering"
    assert felreg.category == "void"
    assert Code.objects.get(code_list=CodeList.INCOME_SOURCE, code=INCOME_NONE).category == "none"
    for code_list in CodeListKey.values:
        assert Code.objects.of(code_list).exists(), code_list
    for code in Code.objects.filter(code_list=CodeList.OCCUPATION):
        assert code.category in REPORT_GROUPS, code.code
    for code in Code.objects.filter(code_list=CodeList.EXIT_REASON):
        assert code.category in REPORT_GROUPS | {"void"}, code.code
    assert Code.objects.get(code_list=CodeList.EXIT_REASON, code="arbete").category == "work"
    assert Code.objects.get(code_list=CodeList.EXIT_REASON, code="studier").category == "studies"
    for code in Code.objects.filter(code_list=CodeList.INCOME_SOURCE):
        assert code.category, code.code
    for code in Code.objects.filter(code_list=CodeList.SPECIFIC_ORIENTATION):
        prefix = code.code.split("-")[0]
        assert prefix in {"individual", "structural"}, code.code
        assert code.category == prefix


def test_it_keeps_codes_ascii_slugs():
    rows = shipped_codes()
    seen = set()
    for row in rows:
        assert row["code_list"] in CodeListKey.values, row
        assert row["code"].isascii() and row["code"] == row["code"].lower(), row
        assert (row["code_list"], row["code"]) not in seen, row
        seen.add((row["code_list"], row["code"]))
        assert row["labels"]["sv"] and row["labels"]["en"], row


def test_it_is_idempotent():
    sync_reference_data()
    before = (
        list(Region.objects.values_list("pk", "code", "name")),
        list(Municipality.objects.values_list("pk", "code", "name", "region_id")),
        list(Code.objects.values_list("pk", "code_list", "code", "labels", "active")),
    )

    result = sync_reference_data()

    after = (
        list(Region.objects.values_list("pk", "code", "name")),
        list(Municipality.objects.values_list("pk", "code", "name", "region_id")),
        list(Code.objects.values_list("pk", "code_list", "code", "labels", "active")),
    )
    assert before == after
    assert sum(result.created.values()) == 0
    assert sum(result.updated.values()) == 0
    assert result.deactivated == 0


def test_it_restores_changed_names_and_labels():
    Municipality.objects.filter(code="1496").update(name="Skovde")
    Code.objects.filter(code="felregistrering").update(labels={"sv": "x"}, active=False)

    result = sync_reference_data()

    assert Municipality.objects.get(code="1496").name == "Skövde"
    code = Code.objects.get(code="felregistrering")
    assert (code.label_sv, code.active) == ("Felregistrering", True)
    assert result.updated == {"regions": 0, "municipalities": 1, "codes": 1}


def test_it_deactivates_codes_missing_from_the_file_but_never_deletes():
    extra = Code.objects.create(
        code_list=CodeList.REFERRER, code="gammal-kod", labels={"sv": "Gammal", "en": "Old"}
    )

    result = sync_reference_data()

    extra.refresh_from_db()
    assert extra.active is False
    assert result.deactivated == 1
    assert not Code.objects.of(CodeList.REFERRER).filter(code="gammal-kod").exists()


def test_it_loads_through_the_management_command():
    delete_code_lists()
    out = StringIO()

    call_command("load_reference", stdout=out)

    assert "codes:" in out.getvalue()
    assert Code.objects.filter(code=EXIT_WRONG_REGISTRATION).exists()
    assert Municipality.objects.count() == 290

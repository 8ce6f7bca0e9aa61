"""Loading a questionnaire definition (JSON) as a new version.

The format (`definitions/*.json` are the national core shipped with finsam):

    {"format": 1,
     "scales": [{"code": "agree6", "texts": {"sv": "…"}, "points": [
         {"code": "1", "value": 1, "counted": true, "positive": false, "texts": {"sv": "…"}}]}],
     "questionnaire": {"code": "nns-deltagare", "association": null,
                       "respondent_group": "participant_during", "anonymous": true,
                       "locked": true, "texts": {"sv": "…", "en": "…"}},
     "version": {"verified": false, "publish": true, "note": "…"},
     "sections": [{"code": "stod", "texts": {…}, "items": [
         {"code": "D01", "kind": "scale", "scale": "agree6", "texts": {…}, "verified": true,
          "note": "…", "indicators": ["P1"], "required": false,
          "condition": {"item": "D12", "codes": ["0", "1"]}, "origin": "core"}]}]}

Texts are `{language: text}`; translations given together with the Swedish are current. A scale
that already exists is kept as it is (scales are shared and never changed under answers); a new
wording is a scale with a new code. Loading never edits an existing version: it adds the next one.

`load(data, get_model=…)` works with the historical models of a migration as well.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import timezone

from finsam.questionnaires.models import (
    LANGUAGES,
    SOURCE_LANGUAGE,
    ItemKind,
    RespondentGroup,
    text_hash,
)

CORE_DIR = Path(__file__).parent / "definitions"
CORE_FILES = ("nns-deltagare.json", "nns-deltagare-avslut.json", "nns-personal.json")


def _texts(plain: dict) -> dict:
    unknown = set(plain) - set(LANGUAGES)
    if unknown:
        raise ValidationError(f"Okänt språk: {', '.join(sorted(unknown))}")
    source = plain.get(SOURCE_LANGUAGE, "")
    if not source:
        raise ValidationError("Svensk text saknas.")
    out = {SOURCE_LANGUAGE: {"text": source}}
    for language, text in plain.items():
        if language != SOURCE_LANGUAGE and text:
            out[language] = {"text": text, "source": text_hash(source)}
    return out


def _default_get_model(name):
    from django.apps import apps

    return apps.get_model("questionnaires", name)


def validate(data: dict) -> None:
    """Refuse a definition that could not be answered (before anything is written)."""
    if data.get("format") != 1:
        raise ValidationError("Okänt format (väntade format 1).")
    q = data.get("questionnaire") or {}
    if q.get("respondent_group") not in RespondentGroup.values:
        raise ValidationError("Okänd svarsgrupp.")
    scales = {s["code"] for s in data.get("scales", [])}
    codes: list[str] = []
    for section in data.get("sections", []):
        for item in section.get("items", []):
            kind = item.get("kind", ItemKind.SCALE)
            if kind not in ItemKind.values:
                raise ValidationError(f"{item.get('code')}: okänd frågetyp.")
            if kind != ItemKind.FREE_TEXT and not item.get("scale"):
                raise ValidationError(f"{item['code']}: skala saknas.")
            condition = item.get("condition")
            if condition and condition["item"] not in codes:
                raise ValidationError(
                    f"{item['code']}: villkoret gäller en fråga som inte kommer före."
                )
            codes.append(item["code"])
            if item.get("scale") and item["scale"] not in scales:
                # May exist already in the database; checked at load.
                pass
    if len(codes) != len(set(codes)):
        raise ValidationError("Frågekoderna måste vara unika.")
    if not codes:
        raise ValidationError("Enkäten har inga frågor.")


def load(data: dict, *, association=None, get_model=_default_get_model):
    """Load `data` as the next version of its questionnaire; returns the version."""
    validate(data)
    Questionnaire = get_model("Questionnaire")
    Version = get_model("QuestionnaireVersion")
    Scale = get_model("Scale")
    ScalePoint = get_model("ScalePoint")
    Section = get_model("Section")
    Item = get_model("Item")

    scales = {}
    for s in data.get("scales", []):
        scale = Scale.objects.filter(code=s["code"]).first()
        if scale is None:
            scale = Scale.objects.create(code=s["code"], texts=_texts(s["texts"]))
            for order, p in enumerate(s["points"]):
                ScalePoint.objects.create(
                    scale=scale,
                    code=p["code"],
                    value=p.get("value"),
                    counted=p.get("counted", True),
                    positive=p.get("positive", False),
                    order=order,
                    texts=_texts(p["texts"]),
                )
        scales[s["code"]] = scale

    q = data["questionnaire"]
    owner_id = getattr(association, "pk", association)
    questionnaire, _ = Questionnaire.objects.get_or_create(
        association_id=owner_id,
        code=q["code"],
        defaults={
            "respondent_group": q["respondent_group"],
            "anonymous": q.get("anonymous", True),
            "locked": q.get("locked", False) and owner_id is None,
            "texts": _texts(q["texts"]),
        },
    )
    questionnaire.texts = _texts(q["texts"])
    questionnaire.save(update_fields=["texts"])
    last = Version.objects.filter(questionnaire=questionnaire).order_by("-number").first()
    v = data.get("version", {})
    version = Version.objects.create(
        questionnaire=questionnaire,
        number=(last.number + 1) if last else 1,
        verified=v.get("verified", False),
        note=v.get("note", ""),
        published_at=timezone.now() if v.get("publish", True) else None,
    )
    default_origin = "core" if owner_id is None else "association"
    for s_order, s in enumerate(data["sections"]):
        section = Section.objects.create(
            version=version, code=s["code"], order=s_order, texts=_texts(s["texts"])
        )
        for i_order, it in enumerate(s["items"]):
            scale = None
            if it.get("scale"):
                scale = scales.get(it["scale"]) or Scale.objects.filter(code=it["scale"]).first()
                if scale is None:
                    raise ValidationError(f"{it['code']}: okänd skala {it['scale']}.")
            condition = it.get("condition") or {}
            Item.objects.create(
                version=version,
                section=section,
                code=it["code"],
                order=i_order,
                kind=it.get("kind", ItemKind.SCALE),
                scale=scale,
                condition_item=condition.get("item", ""),
                condition_codes=list(condition.get("codes", [])),
                origin=it.get("origin", default_origin),
                required=it.get("required", False),
                verified=it.get("verified", False),
                note=it.get("note", ""),
                indicator_codes=list(it.get("indicators", [])),
                texts=_texts(it["texts"]),
            )
    return version


def load_file(path, **kwargs):
    with open(path, encoding="utf-8") as f:
        return load(json.load(f), **kwargs)


def load_core(get_model=_default_get_model):
    """The national core shipped with finsam (a questionnaire already loaded is skipped)."""
    Questionnaire = get_model("Questionnaire")
    out = []
    for name in CORE_FILES:
        with open(CORE_DIR / name, encoding="utf-8") as f:
            data = json.load(f)
        code = data["questionnaire"]["code"]
        if Questionnaire.objects.filter(association__isnull=True, code=code).exists():
            continue
        out.append(load(data, get_model=get_model))
    return out

"""Proof that the configured keys are the ones this database's personal data was written with.

The encrypted fields (django-fernet-encrypted-fields) hand back the ciphertext without an error
when no key decrypts it, and a wrong LOOKUP_HASH_KEY silently misses every participant (and lets
the same person be registered twice). So a canary row (`KeyCanary`), written once with the
installation's keys, is read back at every start: by the system checks (every manage.py command,
runserver and migrate included) and by `config/wsgi.py` (gunicorn runs no checks). A database
from before the canary is checked against one of its participants until `migrate` writes it.

`rotate_keys` (the management command) re-encrypts and re-hashes everything with the new keys.

The look-up hash (`lookup_hash`) is defined here, with the keys; the apps whose models keep one
register them (`register_lookup_hash`, from their `AppConfig.ready`: the participants' personal
identity number) so that the check and the rotation cover them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from encrypted_fields.fields import EncryptedFieldMixin

from finsam.core.models import KeyCanary

# Models holding a look-up hash of one of their encrypted fields: (model, hash field, source),
# the canary first; the other apps add theirs with `register_lookup_hash`.
LOOKUP_HASHES = [(KeyCanary, "value_hash", "value")]


def lookup_hash(normalized: str, *, key: str | None = None) -> str:
    """Keyed hash of a normalised value (a personal identity number), for finding it again (with
    LOOKUP_HASH_KEY, or the given key while the keys are rotated)."""
    key = (key or settings.LOOKUP_HASH_KEY).encode()
    return hmac.new(key, normalized.encode(), hashlib.sha256).hexdigest()


def register_lookup_hash(model, hash_field: str, source: str) -> None:
    """Have the key check and `rotate_keys` cover `model.hash_field`, the `lookup_hash` of its
    encrypted field `source` (called from the owning app's `AppConfig.ready`)."""
    entry = (model, hash_field, source)
    if entry not in LOOKUP_HASHES:
        LOOKUP_HASHES.append(entry)


def decrypt(model, field_name: str, token: str) -> str:
    """The plain text of a stored token; InvalidToken if no configured key opens it."""
    return model._meta.get_field(field_name).f.decrypt(token.encode()).decode()


def raw_rows(model, field_names, using=DEFAULT_DB_ALIAS):
    """The rows with their stored values as written (ciphertext) in `raw_<field name>`: the
    fields themselves would hand back the ciphertext of a value no key opens as if it were one."""
    casts = {f"raw_{name}": Cast(name, TextField()) for name in field_names}
    return model.objects.using(using).annotate(**casts)


def _sample(using):
    """(model, source field, token, stored hash) of the canary or else of the first row of a
    registered model (a participant); None if empty."""
    tables = connections[using].introspection.table_names()
    for model, hash_field, source in LOOKUP_HASHES:
        if model._meta.db_table in tables:
            row = raw_rows(model, [source], using).values_list(f"raw_{source}", hash_field).first()
            if row:
                return model, source, *row
    return None


def key_problems(using=DEFAULT_DB_ALIAS) -> list[str]:
    """Why the configured keys cannot read this database's personal data (empty: they can)."""
    sample = _sample(using)
    if sample is None:  # nothing written yet (not migrated, or no canary and no participant)
        return []
    model, source, token, stored_hash = sample
    try:
        value = decrypt(model, source, token)
    except InvalidToken:
        return [
            "FIELD_ENCRYPTION_KEY (with SECRET_KEY) does not decrypt the personal data of this "
            "database: a wrong or missing key. Set the keys the data was written with "
            "(README, Keys)."
        ]
    if stored_hash == lookup_hash(value):
        return []
    previous = settings.LOOKUP_HASH_KEY_PREVIOUS
    if previous and stored_hash == lookup_hash(value, key=previous):
        return [
            "The look-up hashes are still those of LOOKUP_HASH_KEY_PREVIOUS: run "
            "`manage.py rotate_keys` to recompute them with LOOKUP_HASH_KEY."
        ]
    return [
        "LOOKUP_HASH_KEY is not the key the look-up hashes of this database were made with: "
        "participants would not be found (and would be registered twice). Set the right key "
        "(README, Keys)."
    ]


def require_keys(using=DEFAULT_DB_ALIAS) -> None:
    """Refuse to run (ImproperlyConfigured) unless the keys read this database."""
    problems = key_problems(using)
    if problems:
        raise ImproperlyConfigured(" ".join(problems))


def ensure_canary(using=DEFAULT_DB_ALIAS) -> None:
    """Write the canary once, with the configured keys, after checking them against any data."""
    if KeyCanary._meta.db_table not in connections[using].introspection.table_names():
        return
    if KeyCanary.objects.using(using).exists():
        return
    require_keys(using)
    value = secrets.token_urlsafe(32)
    KeyCanary.objects.using(using).create(value=value, value_hash=lookup_hash(value))


class KeyRotationError(Exception):
    pass


def encrypted_fields() -> dict:
    """Every encrypted field of every model: {model: [field names]}."""
    found = {}
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedFieldMixin)]
        if names:
            found[model] = names
    return found


def rotate_keys(*, batch_size=1000) -> dict[str, int]:
    """Re-encrypt every encrypted value with the first key (FIELD_ENCRYPTION_KEY with SECRET_KEY)
    and recompute the look-up hashes with LOOKUP_HASH_KEY; the number of rows per model.

    All or nothing: a value no configured key opens, or a hash made with neither LOOKUP_HASH_KEY
    nor LOOKUP_HASH_KEY_PREVIOUS, stops it (KeyRotationError) with nothing written.
    """
    hashed = {model: (hash_field, source) for model, hash_field, source in LOOKUP_HASHES}
    previous = settings.LOOKUP_HASH_KEY_PREVIOUS
    counts = {}
    with transaction.atomic():
        for model, names in encrypted_fields().items():
            hash_field, source = hashed.get(model, (None, None))
            columns = [f"raw_{name}" for name in names] + ([hash_field] if hash_field else [])
            rows = raw_rows(model, names).order_by("pk").values("pk", *columns)
            written = names + [hash_field] * bool(hash_field)
            batch, count = [], 0
            for row in rows.iterator(chunk_size=batch_size):
                batch.append(_rotated(model, names, row, hash_field, source, previous))
                count += 1
                if len(batch) == batch_size:
                    model.objects.bulk_update(batch, written)
                    batch = []
            model.objects.bulk_update(batch, written)
            counts[model._meta.label] = count
    return counts


def _rotated(model, names, row, hash_field, source, previous):
    obj = model(pk=row["pk"])
    for name in names:
        token = row[f"raw_{name}"]
        try:
            setattr(obj, name, decrypt(model, name, token) if token else None)
        except InvalidToken as exc:
            raise KeyRotationError(
                f"{model._meta.label} {row['pk']}: no configured key decrypts {name}."
            ) from exc
    if hash_field:
        value = getattr(obj, source)
        if row[hash_field] not in {
            lookup_hash(value),
            previous and lookup_hash(value, key=previous),
        }:
            raise KeyRotationError(
                f"{model._meta.label} {row['pk']}: {hash_field} was made with neither "
                "LOOKUP_HASH_KEY nor LOOKUP_HASH_KEY_PREVIOUS."
            )
        setattr(obj, hash_field, lookup_hash(value))
    return obj

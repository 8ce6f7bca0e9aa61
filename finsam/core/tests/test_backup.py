"""Point 9: the backup and restore procedure of the README, run for real (README, Backup and
restore): a dump restored into a fresh database reads an identity back with the same keys, and
the start-up check refuses the restored database with another key."""

import json
import os
import shutil
import sqlite3
import subprocess

import pytest
from django.db import connection

from finsam.participants.tests.factories import ParticipantFactory

READ_IDENTITY = (
    "import json; from finsam.participants.models import Participant; "
    "p = Participant.objects.get(pseudonym={pseudonym!r}); "
    "print(json.dumps([p.personal_number, p.name]))"
)


def _pg(command, db, *args):
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    where = ["-h", db["HOST"] or "localhost", "-p", str(db["PORT"] or 5432), "-U", db["USER"]]
    subprocess.run([command, *where, *args], check=True, env=env, capture_output=True)  # noqa: S603


def restore_postgresql(tmp_path):
    """pg_dump -Fc, then pg_restore into a database created for it; its DATABASE_URL."""
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore are not installed")
    db = connection.settings_dict
    dump, fresh = tmp_path / "finsam.dump", f"{db['NAME']}_restored"
    _pg("pg_dump", db, "--format=custom", f"--file={dump}", db["NAME"])
    _pg("dropdb", db, "--if-exists", fresh)
    _pg("createdb", db, fresh)
    _pg("pg_restore", db, "--no-owner", "--exit-on-error", f"--dbname={fresh}", str(dump))
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host, port = db["HOST"] or "localhost", db["PORT"] or 5432
    return f"postgres://{db['USER']}{password}@{host}:{port}/{fresh}", lambda: _pg(
        "dropdb", db, "--if-exists", fresh
    )


def restore_sqlite(tmp_path):
    """SQLite's online backup API (what `sqlite3 db.sqlite3 ".backup ..."` uses) into a new file."""
    target = tmp_path / "restored.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(target) as fresh:
        connection.connection.backup(fresh)
    fresh.close()
    return f"sqlite:///{target}", lambda: None


@pytest.mark.django_db(transaction=True)  # committed, as a dump of another process sees it
def test_a_backup_restored_into_a_fresh_database_reads_an_identity_back(manage, tmp_path):
    person = ParticipantFactory()
    restore = restore_postgresql if connection.vendor == "postgresql" else restore_sqlite
    url, drop = restore(tmp_path)
    try:
        env = {"FINSAM_TESTING": "1", "DATABASE_URL": url, "PYTHONIOENCODING": "utf-8"}
        verified = manage("check", env=env)  # the canary is read back with the same keys
        assert verified.returncode == 0, verified.stderr

        read = manage("shell", "-c", READ_IDENTITY.format(pseudonym=person.pseudonym), env=env)
        assert read.returncode == 0, read.stderr
        assert json.loads(read.stdout.splitlines()[-1]) == [person.personal_number, person.name]

        wrong_key = manage("check", env={**env, "FIELD_ENCRYPTION_KEY": "another-field-key"})
        assert wrong_key.returncode != 0
        assert "finsam.E001" in wrong_key.stderr
    finally:
        drop()

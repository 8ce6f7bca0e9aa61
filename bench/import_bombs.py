"""Import bombs: peak memory and time of each crafted file through the participant import.

    python bench/import_bombs.py [--full-import] [--source DIR]

Each file is built here, written to a temporary directory and read by `read_table` (the checks and
the parsing of `finsam/participants/imports.py`, which raise the Swedish message) in a fresh
Python process, which reports its peak RSS (`resource.getrusage`), its RSS before reading and the
seconds. For comparison, a legitimate 2 000-row workbook is read the same way; with
`--full-import` it is also imported through `import_file` (validation and the participant
services, rolled back) into the benchmark database (see bench/common.py; `make bench` creates it).
`--source DIR` runs the readers against another checkout (e.g. `git archive` of an older commit),
to compare; a case that runs past `--timeout` seconds is killed and reported as such.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MB = 1024 * 1024


# --- The files --------------------------------------------------------------------------------


def _builders():
    from finsam.participants.tests.test_import_bombs import (
        MAIN,
        _cell,
        data_rows,
        header_row,
        sheet,
        workbook,
    )

    def many_rows_sheet(rows):
        return sheet(
            header_row()
            + "".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c></row>' for r in range(2, rows + 2))
        )

    from openpyxl.utils import get_column_letter

    COLUMNS_100 = [get_column_letter(i) for i in range(1, 101)]

    def styled_rows(rows):
        body = "".join(
            f'<row r="{r}">' + "".join(f'<c r="{col}{r}" s="1"/>' for col in COLUMNS_100) + "</row>"
            for r in range(3, rows + 3)
        )
        return sheet(header_row() + data_rows(1) + body)

    def lying_size():
        content = bytearray(workbook(many_rows_sheet(900_000)))
        archive = zipfile.ZipFile(io.BytesIO(bytes(content)))
        info = archive.getinfo("xl/worksheets/sheet1.xml")
        small = (1000).to_bytes(4, "little")
        content[info.header_offset + 22 : info.header_offset + 26] = small
        central = bytes(content).rindex(b"PK\x01\x02")
        while bytes(content[central + 46 : central + 46 + 24]) != b"xl/worksheets/sheet1.xml":
            central = bytes(content).rindex(b"PK\x01\x02", 0, central)
        content[central + 24 : central + 28] = small
        return bytes(content)

    def many_entries():
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            base = zipfile.ZipFile(io.BytesIO(workbook(sheet(header_row() + data_rows(1)))))
            for info in base.infolist():
                archive.writestr(info, base.read(info))
            for i in range(40_000):
                archive.writestr(f"m/{i}", b"")
        return out.getvalue()

    def entity_bomb():
        entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
            f'<!ENTITY {b} "{("&" + a + ";") * 10}">'
            for a, b in zip("abcdefgh", "bcdefghi", strict=True)
        )
        sst = f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]><sst xmlns="{MAIN}">'
        sst += "<si><t>&i;</t></si></sst>"
        return workbook(sheet(header_row() + data_rows(1)), shared=sst.encode())

    def csv_rows(rows):
        lines = ["typ;personnummer;startdatum"] + ["in;19811218-9876;2025-02-03"] * rows
        return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()

    return {
        "xlsx: values in column XFD, 2 000 rows (the 2.7 GB file)": (
            "bomb.xlsx",
            lambda: workbook(
                sheet(
                    header_row()
                    + "".join(
                        f'<row r="{r}">{_cell(f"A{r}", "in")}{_cell(f"XFD{r}", "x")}</row>'
                        for r in range(2, 2002)
                    )
                )
            ),
        ),
        "xlsx: 10 million shared strings (the 414 kB file)": (
            "bomb.xlsx",
            lambda: workbook(
                sheet(header_row() + data_rows(1)),
                shared=(
                    f'<sst xmlns="{MAIN}">' + "<si><t>x</t></si>" * 10_000_000 + "</sst>"
                ).encode(),
            ),
        ),
        "xlsx: 100 000 shared strings + 1, packed at 100:1": (
            "bomb.xlsx",
            lambda: workbook(
                sheet(header_row() + data_rows(1)),
                shared=f'<sst xmlns="{MAIN}">{"<si/>" * 100_001}</sst>'.encode(),
            ),
        ),
        "xlsx: 50 000 rows, 22 columns (openpyxl)": ("rows.xlsx", lambda: legit_xlsx(50_000)),
        "xlsx: 950 000 rows, 45 MB unpacked": (
            "bomb.xlsx",
            lambda: workbook(many_rows_sheet(950_000)),
        ),
        "xlsx: 24 000 rows of 100 valueless cells, 50 MB unpacked": (
            "bomb.xlsx",
            lambda: workbook(styled_rows(24_000)),
        ),
        "xlsx: a 200 MB part of zeros": (
            "bomb.xlsx",
            lambda: workbook(
                sheet(header_row() + data_rows(1)), extra={"xl/media/a.png": bytes(200 * MB)}
            ),
        ),
        "xlsx: a part declaring 1 000 bytes that inflates to 43 MB": ("bomb.xlsx", lying_size),
        "xlsx: 40 000 zip entries": ("bomb.xlsx", many_entries),
        "xlsx: entity bomb (billion laughs) in the shared strings": ("bomb.xlsx", entity_bomb),
        "xlsx: 100 000 cell styles": (
            "bomb.xlsx",
            lambda: workbook(
                sheet(header_row() + data_rows(1)),
                extra={
                    "xl/styles.xml": (
                        f'<styleSheet xmlns="{MAIN}"><cellXfs>'
                        + '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>' * 100_000
                        + "</cellXfs></styleSheet>"
                    ).encode()
                },
            ),
        ),
        "csv: 50 000 rows": ("rows.csv", lambda: csv_rows(50_000)),
        "csv: 5 MB of line breaks": ("bomb.csv", lambda: b"\n" * (5 * MB - 1)),
        "csv: 5 MB of separators (one row of 5 million fields)": (
            "bomb.csv",
            lambda: b"typ;personnummer;startdatum\r\n" + b";" * (5 * MB - 40),
        ),
        "legitimate: 2 000 rows, 22 columns (openpyxl)": ("legit.xlsx", lambda: legit_xlsx(2000)),
    }


def legit_xlsx(rows: int, fixture=None) -> bytes:
    """The template's data sheet with `rows` filled-in enrolments (codes from the database when a
    benchmark fixture is given, else the import tests' codes)."""
    import openpyxl

    from finsam.participants.imports import HEADERS
    from finsam.participants.tests.test_import_support import in_row

    workbook = openpyxl.Workbook(write_only=True)
    data = workbook.create_sheet("Deltagare")
    data.append(list(HEADERS))
    for i in range(rows):
        if fixture is None:
            row = in_row(personal_number=f"19811218-{i % 10000:04d}", namn=f"Deltagare {i}")
        else:
            number, _gender = fixture.person()
            start = fixture.start_date()
            row = {
                "typ": "in",
                "personnummer": number,
                "namn": f"Deltagare {i}",
                "startdatum": start,
                "samtycke datum": start,
                "samtycke sätt": "papper",
                "samtycke blankettversion": "FK 9443",
                "hemkommun": fixture.rng.choice(fixture.municipalities).code,
                "försörjningskälla före": fixture.pick("income_source").code,
                "sysselsättning före": fixture.pick("occupation").code,
                "utbildningsnivå": fixture.pick("education").code,
                "tid i offentlig försörjning": fixture.pick("time_outside_work").code,
                "remittent": fixture.pick("referrer").code,
            }
        data.append([row.get(h) or None for h in HEADERS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- One measurement, in its own process --------------------------------------------------------


def _status_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process. The peak is read here rather than from
    resource.getrusage, whose ru_maxrss survives exec on Linux and so would report the parent's
    peak (the parent built files of hundreds of MB)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(path: str, full_import: bool) -> None:
    sys.path.insert(0, os.getcwd())  # the checkout to measure (--source), before this one
    os.environ.setdefault("FINSAM_TESTING", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if full_import:
        from bench import common

        common.setup(migrate=False)
    else:
        import django

        django.setup()
    import openpyxl  # noqa: F401  (loaded before the baseline, as in a warm worker)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from finsam.participants import imports

    content = Path(path).read_bytes()
    uploaded = SimpleUploadedFile(Path(path).name, content)
    before = _status_mb("VmRSS")
    cpu = _cpu_seconds()
    started = time.perf_counter()
    if full_import:
        from django.db import transaction

        from bench.run import Fixture
        from finsam.staff.access import build_access

        fixture = Fixture(seed=11)
        initiative = fixture.initiative("import")
        with transaction.atomic():
            result = imports.import_file(
                access=build_access(fixture.user, fixture.association.pk),
                initiative=initiative,
                uploaded=uploaded,
            )
            transaction.set_rollback(True)
        outcome = (
            f"imported {result.enrolled} rows (rolled back)"
            if result.ok
            else "; ".join(str(e) for e in result.errors[:3])
        )
    else:
        try:
            table = imports.read_table(uploaded)
            outcome = f"read {len(table.rows)} rows"
        except imports.ImportFileError as exc:
            outcome = "refused: " + " ".join(exc.messages)
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu
    peak = _status_mb("VmHWM")
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "cpu_seconds": round(cpu, 2),
                "rss_before_mb": round(before, 1),
                "peak_rss_mb": round(peak, 1),
                "outcome": outcome,
            }
        )
    )


def measure(path: Path, *, source: Path, timeout: float, full_import: bool = False) -> dict:
    env = dict(os.environ, PYTHONPATH=f"{source}{os.pathsep}{ROOT}")
    command = [sys.executable, str(ROOT / "bench" / "import_bombs.py"), "--child", str(path)]
    if full_import:
        command.append("--full-import")
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command, cwd=source, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {"outcome": f"killed after {timeout:.0f} s", "seconds": timeout}
    if done.returncode:
        tail = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {
            "outcome": f"crashed ({tail[:120]})",
            "seconds": round(time.perf_counter() - started, 1),
        }
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--full-import", action="store_true")
    parser.add_argument("--source", type=Path, default=ROOT)
    parser.add_argument("--timeout", type=float, default=180)
    parser.add_argument("--only", default="", help="cases whose name contains this")
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.full_import)
        return
    os.environ.setdefault("FINSAM_TESTING", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if args.full_import:
        from bench import common

        common.setup()
    else:
        import django

        django.setup()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        cases = [(k, v) for k, v in _builders().items() if args.only in k]
        for label, (name, build) in cases:
            path = Path(folder) / name
            path.write_bytes(build())
            result = measure(path, source=args.source, timeout=args.timeout)
            result.update(case=label, file_kb=round(path.stat().st_size / 1024))
            results.append(result)
            print(_line(result), flush=True)
        if args.full_import:
            from bench.run import Fixture

            path = Path(folder) / "legit.xlsx"
            path.write_bytes(legit_xlsx(2000, Fixture(seed=11)))
            result = measure(path, source=args.source, timeout=600, full_import=True)
            result.update(
                case="legitimate: 2 000 rows, full import_file (services)",
                file_kb=round(path.stat().st_size / 1024),
            )
            results.append(result)
            print(_line(result), flush=True)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    (out / f"import-bombs-{stamp}.json").write_text(json.dumps(results, indent=1))
    print(f"Written to bench/out/import-bombs-{stamp}.json")


def _line(r: dict) -> str:
    return (
        f"| {r['case']} | {r['file_kb']} | {r.get('seconds', '–')} | {r.get('cpu_seconds', '–')} | "
        f"{r.get('rss_before_mb', '–')} | {r.get('peak_rss_mb', '–')} | {r['outcome']} |"
    )


if __name__ == "__main__":
    main()

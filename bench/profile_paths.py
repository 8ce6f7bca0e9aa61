"""Profile the two write paths of issue 9: the API registration and the 2 000-row import.

    python bench/profile_paths.py [--api-calls 200] [--import-rows 2000] [--skip-api]
                                  [--skip-import]

For each path: the SQL statements of one call (grouped by table and verb) and a pyinstrument
profile of many calls (the functions with the most time, inclusive, and the text tree written to
bench/out/profile-<path>.txt). The API is called in-process through Django's test client (the
whole middleware stack, a knox token); the import reads a generated 2 000-row workbook and
imports it with `import_file` in a transaction that is rolled back.
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

_TABLE = re.compile(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', re.IGNORECASE)


def summarise_queries(captured) -> list[str]:
    """'VERB table' with counts, most frequent first."""
    counts = collections.Counter()
    for query in captured:
        sql = query["sql"].lstrip()
        verb = sql.split(None, 1)[0].upper()
        match = _TABLE.search(sql)
        counts[f"{verb} {match.group(1) if match else ''}".strip()] += 1
    return [f"{n:>4} × {what}" for what, n in counts.most_common()]


def top_functions(session, limit: int = 25) -> list[str]:
    """Functions by inclusive time over the whole profile (each counted once per stack)."""
    root = session.root_frame()
    if root is None:
        return []
    total = root.time or 1e-9
    inclusive: dict[str, float] = collections.Counter()
    own: dict[str, float] = collections.Counter()

    def walk(frame, on_stack):
        key = f"{frame.function} ({Path(frame.file_path or '?').name}:{frame.line_no})"
        if key not in on_stack:
            inclusive[key] += frame.time
        own[key] += frame.total_self_time
        for child in frame.children:
            walk(child, on_stack | {key})

    walk(root, frozenset())
    interesting = [
        (key, t)
        for key, t in sorted(inclusive.items(), key=lambda kv: -kv[1])
        if not key.startswith(("<module>", "[self]", "_"))
    ]
    lines = [f"{'incl %':>7} {'self %':>7}  function"]
    for key, t in interesting[:limit]:
        lines.append(f"{100 * t / total:7.1f} {100 * own[key] / total:7.1f}  {key}")
    return lines


def profile(label: str, func):
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    started = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - started
    session = profiler.stop()
    text = profiler.output_text(unicode=False, color=False, show_all=False)
    (common.OUT / f"profile-{label}.txt").write_text(text)
    print(f"   ({label}: {session.duration:.2f} s wall, {session.cpu_time:.2f} s CPU)")
    return seconds, result, top_functions(session)


def api(fx, calls: int, *, show_sql: bool = False) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench.run import _api_payload, _token

    initiative = fx.initiative("profile api")
    url = reverse("api:initiative_enrolments", kwargs={"version": "v1", "pk": initiative.pk})
    url += f"?association={fx.association.pk}"
    client = Client(HTTP_AUTHORIZATION=f"Token {_token(fx)}")
    payloads = [_api_payload(fx) for _ in range(calls + 6)]
    for payload in payloads[:5]:  # warm-up (and the token's first last_used write)
        assert client.post(url, data=payload, content_type="application/json").status_code == 201
    with CaptureQueriesContext(connection) as captured:
        client.post(url, data=payloads[5], content_type="application/json")
    print(f"== API registration: {len(captured)} SQL statements per call")
    print("\n".join(summarise_queries(captured)))
    if show_sql:
        for query in captured:
            print("   ", query["sql"][:160])

    def run():
        failed = 0
        for payload in payloads[6:]:
            failed += client.post(url, data=payload, content_type="application/json").status_code
            failed -= 201
        return failed

    seconds, failed, top = profile("api", run)
    print(f"{calls} calls in {seconds:.2f} s: {calls / seconds:.1f}/s (non-201 sum {failed})")
    print("\n".join(top))


def import_rows(fx, rows: int) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from bench.import_bombs import legit_xlsx
    from finsam.participants import imports
    from finsam.staff.access import build_access

    content = legit_xlsx(rows, fx)
    initiative = fx.initiative("profile import")
    access = build_access(fx.user, fx.association.pk)

    def run():
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            result = imports.import_file(
                access=access,
                initiative=initiative,
                uploaded=SimpleUploadedFile("bench.xlsx", content),
            )
            transaction.set_rollback(True)
        return result, captured

    seconds, (result, captured), top = profile("import", run)
    outcome = f"{result.enrolled} enrolled" if result.ok else f"errors: {result.errors[:3]}"
    print(f"== import of {rows} rows: {seconds:.2f} s ({outcome}), {len(captured)} SQL statements")
    print("\n".join(summarise_queries(captured)[:15]))
    print("\n".join(top))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api-calls", type=int, default=200)
    parser.add_argument("--import-rows", type=int, default=2000)
    parser.add_argument("--skip-api", action="store_true")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("--sql", action="store_true", help="print the API call's statements")
    args = parser.parse_args(argv)
    common.setup()
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    from django.conf import settings

    settings.DEBUG = False
    from bench.run import Fixture

    fx = Fixture(args.seed)
    if not args.skip_api:
        api(fx, args.api_calls, show_sql=args.sql)
    if not args.skip_import:
        import_rows(fx, args.import_rows)


if __name__ == "__main__":
    main()

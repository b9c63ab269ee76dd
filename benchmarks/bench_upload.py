"""Hostile uploads against gunicorn: the time to refuse each, and a sign-in meanwhile.

Issue 12, finding 6: a CSV header of 100,000 columns tied up every gunicorn worker
past its 30 s timeout (a sign-in waited 30 s); a 7.6 KB workbook with one 3 MB
header cell made a 126 MB page; a 7.5 MB workbook of 3 million blank rows took
16 s inside the request; a PNG renamed .csv reached column matching. This script
starts the app as production runs it (gunicorn, DEBUG off, production settings,
`armslength db_worker` beside it, a fresh SQLite database in a temporary folder),
signs in a body's manager, and for each oversized case sends `--copies` uploads at
once (as many as there are workers), round after round for `--seconds`, while a
second client signs in over and over
(password, then the authenticator's code). It prints, per case, the time until
the refusal is in the manager's hands (the upload page's answer, or for a file
queued to the background worker, the job page saying so) with the refusal's
words, and the sign-ins' times meanwhile. Target: both under 2 s. The machine is
shared, so the load average is printed before and after.

    python benchmarks/bench_upload.py [--workers 4] [--copies 4] [--seconds 6] [--port 8766]
"""

from __future__ import annotations

import argparse
import html
import io
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from national import django_setup  # noqa: E402

PASSWORD = "bench-upload-password-123"
SIGN_IN_ACCOUNTS = 40  # each signs in with its own authenticator (a code is used once)


# --- the oversized cases ----------------------------------------------------------------


def wide_header() -> bytes:
    return ",".join(f"c{i}" for i in range(100_000)).encode() + b"\r\n"


def xlsx_with_big_header_cell() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["key", "x" * 3_000_000])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_of_blank_rows(rows: int = 3_000_000) -> bytes:
    """A workbook whose only sheet holds a header and then `rows` empty row elements."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
            f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook {ns} xmlns:r="{rel}"><sheets>'
            '<sheet name="People" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
            f'Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                f'<worksheet {ns}><dimension ref="A1:A{rows + 1}"/><sheetData>'
                '<row r="1"><c r="A1" t="inlineStr"><is><t>key</t></is></c></row>'.encode()
            )
            for start in range(2, rows + 2, 100_000):
                stop = min(start + 100_000, rows + 2)
                sheet.write("".join(f'<row r="{i}"/>' for i in range(start, stop)).encode())
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def png_named_csv() -> bytes:
    import zlib

    raw = b"".join(b"\x00" + bytes((x * 7 + y) % 256 for x in range(600)) for y in range(400))
    data = zlib.compress(raw)
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + data  # enough of a PNG to sniff


def long_field() -> bytes:
    return b"key,name\r\nk1," + b"y" * 140_000 + b"\r\n"


def large_body() -> bytes:
    return b"key\r\n" + b"k,\r\n" * (40 * 2**20 // 4)  # 40 MB, over the 21 MB request limit


CASES = [
    ("100,000-column CSV header", "people.csv", wide_header),
    ("xlsx, one 3 MB header cell", "people.xlsx", xlsx_with_big_header_cell),
    ("xlsx of 3 million blank rows", "people.xlsx", xlsx_of_blank_rows),
    ("PNG renamed .csv", "people.csv", png_named_csv),
    ("CSV field over 131,072 characters", "people.csv", long_field),
    ("large body (40 MB)", "people.csv", large_body),
]


# --- the server and its accounts --------------------------------------------------------


def prepare(env: dict) -> tuple[str, str, list[tuple[str, bytes]]]:
    """A body, its manager's signed-in session and CSRF secret, and sign-in accounts."""
    django_setup(env)
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY

    from armslength.accounts.models import Authenticator, User
    from armslength.accounts.twofactor import enrol
    from armslength.register.models import Body

    body, _ = Body.objects.get_or_create(
        key="bench", defaults={"abbreviation": "BENCH", "name": "Bench body"}
    )
    manager, made = User.objects.get_or_create(
        username="upload.manager", defaults={"role": "manager", "body": body}
    )
    if made:
        manager.set_password(PASSWORD)
        manager.save()
    device = enrol(manager)[0] if made else Authenticator.objects.get(user=manager)
    session = SessionStore()
    session[SESSION_KEY] = str(manager.pk)
    session[BACKEND_SESSION_KEY] = "armslength.accounts.backends.ModelBackend"
    session[HASH_SESSION_KEY] = manager.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    accounts = []
    for n in range(SIGN_IN_ACCOUNTS):
        user, made = User.objects.get_or_create(
            username=f"signin.{n}", defaults={"role": "manager", "body": body}
        )
        if made:
            user.password = manager.password  # hashed once: the production hasher is slow
            user.save()
            enrol(user)
        authenticator = Authenticator.objects.get(user=user)
        accounts.append((user.username, bytes(authenticator.bin_key)))
    return session.session_key, secrets.token_hex(16), accounts


def code(key: bytes) -> str:
    from django_otp.oath import totp

    return f"{totp(key):06d}"


def sign_in(base: str, username: str, key: bytes) -> bool:
    """What a person does: the sign-in page, the password, the authenticator's code."""
    import requests

    web = requests.Session()
    page = web.get(f"{base}/login/", timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    after = web.post(
        f"{base}/login/",
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/login/"},
        timeout=60,
    )
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', after.text).group(1)
    done = web.post(
        after.url,
        {"code": code(key), "csrfmiddlewaretoken": token},
        headers={"Referer": after.url},
        timeout=60,
    )
    return done.ok and "/2fa/" not in done.url and "/login/" not in done.url


# --- one case ---------------------------------------------------------------------------


def refusal_words(text: str) -> str:
    found = re.search(r'<div class="error-summary".*?<li>(.*?)</li>', text, re.S) or re.search(
        r'<p class="error" role="alert">(.*?)</p>', text, re.S
    )
    if not found:
        return text[:120]
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


def upload(base: str, session_key: str, csrf: str, name: str, data: bytes) -> tuple[float, str]:
    """(seconds until the refusal is in hand, its words)."""
    import requests

    web = requests.Session()
    web.cookies.set("sessionid", session_key)
    web.cookies.set("csrftoken", csrf)
    started = time.perf_counter()
    try:
        response = web.post(
            f"{base}/import/",
            data={"kind": "people", "csrfmiddlewaretoken": csrf},
            files={"file": (name, data)},
            headers={"Referer": f"{base}/import/"},
            allow_redirects=False,
            timeout=120,
        )
    except requests.ConnectionError as exc:  # refused unread: the server closed on the body
        return (
            time.perf_counter() - started,
            f"connection closed by the server ({exc.__class__.__name__})",
        )
    if response.status_code in (400, 413):
        return time.perf_counter() - started, f"{response.status_code}: " + refusal_words(
            response.text
        )
    where = response.headers.get("Location", "")
    if response.status_code == 302 and re.fullmatch(r"/import/\d+/", where):
        job = base + response.headers["Location"]  # queued: read by the background worker
        while time.perf_counter() - started < 120:
            page = web.get(job, timeout=60).text
            if "<strong>Failed</strong>" in page:
                return time.perf_counter() - started, "worker: " + refusal_words(page)
            if "<strong>Choose the columns</strong>" in page:
                return time.perf_counter() - started, "NOT REFUSED (read by the worker)"
            time.sleep(0.25)  # a browser polls every 1 s; this measures to a quarter
    return time.perf_counter() - started, f"NOT REFUSED ({response.status_code} {where})"


SIGN_INS = iter(range(10**9))  # across cases: an account's code is not used twice


def run_case(base, session_key, csrf, accounts, name, data, copies, seconds) -> tuple:
    """Rounds of `copies` uploads at once, for at least `seconds`, while one client signs
    in over and over; (every upload's (time, words), every sign-in's time)."""
    stop = threading.Event()
    sign_ins: list[float] = []
    failures = []

    def signer() -> None:
        while not stop.is_set():
            username, key = accounts[next(SIGN_INS) % len(accounts)]
            started = time.perf_counter()
            ok = sign_in(base, username, key)
            sign_ins.append(time.perf_counter() - started)
            if not ok:
                failures.append(username)

    results: list = []

    def sender() -> None:
        results.append(upload(base, session_key, csrf, name, data))

    signing = threading.Thread(target=signer)
    signing.start()
    time.sleep(0.2)  # a sign-in under way when the uploads arrive
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline or not sign_ins:
        senders = [threading.Thread(target=sender) for _ in range(copies)]
        for thread in senders:
            thread.start()
        for thread in senders:
            thread.join()
    stop.set()
    signing.join()
    if failures:
        print(f"  sign-in failed for {len(failures)} of {len(sign_ins)}")
    return results, sign_ins


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def wait_until_up(base: str, seconds: int = 120) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/login/", timeout=5).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not start")


def warm_up(base: str, session_key: str, workers: int) -> None:
    """Each worker loads its code and templates on its first requests: not what is measured."""
    import requests

    def visit() -> None:
        web = requests.Session()
        web.cookies.set("sessionid", session_key)
        for path in ("/login/", "/", "/import/", "/2fa/"):
            web.get(base + path, timeout=120)

    for _ in range(3):
        threads = [threading.Thread(target=visit) for _ in range(workers * 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def main() -> None:
    parser = argparse.ArgumentParser()
    # as README's deployment runs it; every worker kept busy with the case
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--copies", type=int, default=4, help="uploads of each case at once")
    parser.add_argument("--seconds", type=int, default=6, help="how long each case is sent")
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-upload-"))
    env = {
        **os.environ,
        "ARMSLENGTH_VAR_DIR": str(folder),
        "DJANGO_SETTINGS_MODULE": "armslength.settings",
        "DEBUG": "0",
        "SECRET_KEY": "upload-bench-only-" + "x" * 40,
        "TWO_FACTOR_KEY": "upload-bench-only-2fa-" + "y" * 40,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    env.pop("DATABASE_URL", None)
    print(f"before: {load()}", flush=True)
    python = sys.executable
    subprocess.run(
        [python, "-m", "armslength.cli", "migrate", "--noinput", "-v0"], env=env, check=True
    )
    session_key, csrf, accounts = prepare(env)
    cases = [(label, name, make()) for label, name, make in CASES]
    server = subprocess.Popen(
        [
            str(Path(python).with_name("gunicorn")),
            "armslength.wsgi",
            f"--bind=127.0.0.1:{args.port}",
            f"--workers={args.workers}",
            "--timeout=30",
            "--log-level=warning",
        ],
        env=env,
    )
    worker = subprocess.Popen(
        [python, "-m", "armslength.cli", "db_worker", "--no-reload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "worker.log", "w"),  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        wait_until_up(base)
        warm_up(base, session_key, args.workers)
        idle = []
        for _ in range(5):
            username, key = accounts[next(SIGN_INS) % len(accounts)]
            started = time.perf_counter()
            assert sign_in(base, username, key), "the idle sign-in failed"
            idle.append(time.perf_counter() - started)
        print(
            f"gunicorn, {args.workers} sync workers, timeout 30 s; {args.copies} uploads of each "
            f"case at once, for {args.seconds} s; sign-in alone: median "
            f"{statistics.median(idle):.2f} s",
            flush=True,
        )
        print(
            "| case | size | uploads | refused in: median, slowest "
            "| sign-ins meanwhile: n, median, slowest | refusal |"
        )
        print("|---|---|---|---|---|---|", flush=True)
        worst = 0.0
        for label, name, data in cases:
            results, sign_ins = run_case(
                base, session_key, csrf, accounts, name, data, args.copies, args.seconds
            )
            slowest = max(seconds for seconds, _words in results)
            median = statistics.median(seconds for seconds, _words in results)
            words = results[0][1]
            worst = max(worst, slowest, *sign_ins)
            size = (
                f"{len(data) / 2**20:.2f} MB" if len(data) > 2**20 else f"{len(data) / 1024:.1f} KB"
            )
            print(
                f"| {label} | {size} | {len(results)} | {median:.2f} s, {slowest:.2f} s "
                f"| {len(sign_ins)}, {statistics.median(sign_ins):.2f} s, {max(sign_ins):.2f} s "
                f"| {words} |",
                flush=True,
            )
        print(f"slowest of all: {worst:.2f} s (target < 2 s)")
    finally:
        server.send_signal(signal.SIGTERM)
        worker.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        worker.wait(timeout=30)
        print(f"after: {load()}")
    print(f"(database and worker log in {folder})")


if __name__ == "__main__":
    main()

"""Load test: 10 clients, no think time, against gunicorn, on the national register.

Builds the national register (issue 3's size) with 50,000 visits and their
teams in a throwaway database (SQLite, or PostgreSQL when DATABASE_URL points
at one: a database `armslength_load` is made there afresh), starts gunicorn
on this machine with production settings (DEBUG off), signs in one body's
manager (both factors) and makes them an API token, then for `--duration`
seconds has `--clients` threads request the main pages and API endpoints in
turn as fast as they are answered. Prints p50/p95/p99 latency, throughput and
errors, overall and per endpoint. Target (issue 8): no errors, p95 < 300 ms,
>= 50 requests/s, on SQLite and PostgreSQL.

    python benchmarks/bench_load.py [--duration 60] [--clients 10] [--workers 4]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from national import build, django_setup  # noqa: E402


def fresh_postgres(url: str) -> str:
    import psycopg

    admin = urlunparse(urlparse(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "armslength_load" WITH (FORCE)')
        conn.execute('CREATE DATABASE "armslength_load"')
    return urlunparse(urlparse(url)._replace(path="/armslength_load"))


def sign_in(env: dict) -> tuple[str, str, dict]:
    """A manager of the largest body, with a verified session and an API token."""
    django_setup(env)
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count
    from django_otp import DEVICE_ID_SESSION_KEY

    from armslength.accounts.models import User
    from armslength.accounts.twofactor import enrol
    from armslength.api.models import ApiToken
    from armslength.register.models import Body, Establishment, Person

    body = Body.objects.annotate(n=Count("people")).order_by("-n").first()
    user, made = User.objects.get_or_create(username="load.manager", role="manager", body=body)
    if made:
        user.set_password("load-test-password-123")
        user.save()
        enrol(user)
    device = user.totpdevice_set.get(confirmed=True)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    _token, secret = ApiToken.issue(user, "load test")
    from armslength.compliance.models import FindingRecord
    from armslength.visits.models import Visit

    people = list(Person.objects.filter(body=body).values_list("pk", "key")[:500])
    places = list(Establishment.objects.values_list("key", flat=True)[:500])
    pages = {  # so that every page asked for exists (a page past the end is a 404)
        "people": Person.objects.filter(body=body).count() // 50,
        "visits": Visit.objects.filter(body=body).count() // 50,
        "establishments": Establishment.objects.count() // 50,
        "findings": FindingRecord.objects.filter(body=body).count() // 50,
    }
    data = {"people": people, "places": places, "pages": pages}
    return session.session_key, secret, data


def endpoints(data: dict, rng: random.Random) -> list[tuple[str, str, bool]]:
    """(label, path, api) for one round of the main pages and API endpoints."""
    pk, key = rng.choice(data["people"])
    place = rng.choice(data["places"])

    def page(of: str) -> int:
        return rng.randint(1, max(1, data["pages"][of]))

    return [
        ("home", "/", False),
        ("people list", f"/people/?page={page('people')}", False),
        ("person page", f"/people/{pk}/", False),
        ("visits list", f"/visits/?page={page('visits')}", False),
        ("calendar", "/visits/calendar/", False),
        ("establishments", f"/establishments/?page={page('establishments')}", False),
        ("api people", f"/api/people/?page={page('people')}", True),
        ("api visits", f"/api/visits/?page={page('visits')}", True),
        ("api establishments", f"/api/establishments/?page={page('establishments')}", True),
        ("api verdict", f"/api/verdicts/?person={key}&establishment={place}", True),
        ("api findings", f"/api/findings/?page={page('findings')}", True),
    ]


def run_clients(base, session_key, token, data, clients, seconds, results) -> None:
    import requests

    deadline = time.monotonic() + seconds

    def client(n: int) -> None:
        rng = random.Random(n)
        web = requests.Session()
        web.cookies.set("sessionid", session_key)
        api = requests.Session()
        api.headers["Authorization"] = f"Bearer {token}"
        while time.monotonic() < deadline:
            for label, path, is_api in endpoints(data, rng):
                if time.monotonic() >= deadline:
                    return
                started = time.perf_counter()
                try:
                    response = (api if is_api else web).get(
                        base + path, timeout=30, allow_redirects=False
                    )
                    ok = response.status_code == 200
                except requests.RequestException:
                    ok = False
                results.append((label, time.perf_counter() - started, ok))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def report(results, seconds: float, engine: str) -> None:
    times = [t for _, t, _ in results]
    errors = sum(1 for *_, ok in results if not ok)
    print(
        f"\n{engine}: {len(results)} requests in {seconds:.0f} s = {len(results) / seconds:.1f}/s"
    )
    print("| endpoint | requests | errors | p50 | p95 | p99 |")
    print("|---|---|---|---|---|---|")
    rows = sorted({label for label, *_ in results})
    for label in [*rows, "all"]:
        picked = [r for r in results if label in ("all", r[0])]
        ms = [t * 1000 for _, t, _ in picked]
        bad = sum(1 for *_, ok in picked if not ok)
        print(
            f"| {label} | {len(picked)} | {bad} | {percentile(ms, 50):.0f} ms | "
            f"{percentile(ms, 95):.0f} ms | {percentile(ms, 99):.0f} ms |"
        )
    print(f"errors: {errors}; p95 all: {percentile([t * 1000 for t in times], 95):.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--visits", type=int, default=50_000)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--reuse", help="a folder (or the PostgreSQL database) built before")
    args = parser.parse_args()
    folder = Path(args.reuse or tempfile.mkdtemp(prefix="bench-load-"))
    env = {
        **os.environ,
        "ARMSLENGTH_VAR_DIR": str(folder),
        "DJANGO_SETTINGS_MODULE": "armslength.settings",
        "DEBUG": "0",
        "SECRET_KEY": "load-test-only-" + "x" * 40,
        "TWO_FACTOR_KEY": "load-test-only-2fa-" + "y" * 40,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "API_RATE": "1000000/minute",
        "CACHE_BACKEND": "db",
    }
    engine = "SQLite"
    if env.get("DATABASE_URL", "").startswith("postgres"):
        engine = "PostgreSQL"
        if args.reuse:
            env["DATABASE_URL"] = urlunparse(
                urlparse(env["DATABASE_URL"])._replace(path="/armslength_load")
            )
        else:
            env["DATABASE_URL"] = fresh_postgres(env["DATABASE_URL"])
    if not args.reuse:
        build(env, folder, visits=args.visits, year=time.localtime().tm_year)
        subprocess.run(
            [sys.executable, "-m", "armslength.cli", "createcachetable"], env=env, check=True
        )
    session_key, token, data = sign_in(env)
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "armslength.wsgi",
            f"--bind=127.0.0.1:{args.port}",
            f"--workers={args.workers}",
            "--timeout=120",
            "--log-level=warning",
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        time.sleep(3)
        warm: list = []
        run_clients(base, session_key, token, data, args.clients, args.warmup, warm)
        print(f"warm-up: {len(warm)} requests in {args.warmup} s (screening built per worker)")
        results: list = []
        started = time.monotonic()
        run_clients(base, session_key, token, data, args.clients, args.duration, results)
        report(results, time.monotonic() - started, engine)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print(f"(database and logs in {folder})")


if __name__ == "__main__":
    main()

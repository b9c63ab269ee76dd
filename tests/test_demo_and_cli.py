"""The demo register and the command line, run as an operator would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from armslength.accounts.models import User
from armslength.register.demo import load_demo
from armslength.register.models import Body, Establishment, Organisation, Person, Secondment

ROOT = Path(__file__).resolve().parent.parent


def snapshot():
    return sorted(
        Person.objects.values_list(
            "key", "body__key", "category", "npm_role", "gender", "joined", "left", "term_end"
        )
    ), sorted(Secondment.objects.values_list("person__key", "origin__key", "start", "end"))


def test_demo_register_has_the_promised_shape(db, today):
    logins = load_demo(seed=7, today=today)
    assert Body.objects.count() == 21
    assert Body.objects.get(key="hmip").is_coordinator
    people = Person.objects.count()
    assert 250 <= people <= 350
    assert Person.objects.filter(category="member").exclude(term_end=None).exists()
    secondees = Person.objects.filter(category="secondee")
    assert secondees.count() >= 15
    assert Secondment.objects.filter(person__in=secondees).count() == secondees.count()
    roles = {login.role for login in logins}
    assert {"NPM coordinator", "Body manager", "Staff member", "Auditor"} <= roles
    assert User.objects.get(username="manager.hmip").body.key == "hmip"


def wipe_register():
    from armslength.declarations.models import Affiliation
    from armslength.visits.models import Visit

    Visit.objects.all().delete()
    Affiliation.objects.all().delete()
    User.objects.all().delete()
    Person.objects.all().delete()
    Establishment.objects.all().delete()
    for org in Organisation.objects.filter(parent__isnull=False).order_by("-pk"):
        org.delete()
    Organisation.objects.all().delete()
    Body.objects.all().delete()


def test_demo_is_deterministic_for_a_seed(db, today):
    load_demo(seed=3, today=today)
    first = snapshot()
    wipe_register()
    load_demo(seed=3, today=today)
    assert snapshot() == first
    wipe_register()
    load_demo(seed=4, today=today)
    assert snapshot() != first


def test_demo_command_loads_once(db, capsys):
    call_command("demo", "--no-serve", "--seed", "2")
    out = capsys.readouterr().out
    assert "Demo register loaded" in out and "manager.hmip" in out
    count = Person.objects.count()
    call_command("demo", "--no-serve")
    assert "already holds data" in capsys.readouterr().out
    assert Person.objects.count() == count


def run_cli(*args, env_extra=None):
    # A clean environment: none of the test settings' relaxations leak in.
    test_only = {
        "DJANGO_SETTINGS_MODULE",
        "SECRET_KEY",
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "SECURE_COOKIES",
        "TWO_FACTOR_KEY",
    }
    env = {k: v for k, v in os.environ.items() if k not in test_only}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "armslength.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = run_cli(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "DEBUG": "0",
            "SECRET_KEY": "a-real-production-secret-key-with-enough-entropy-0192837465qwerty",
            "TWO_FACTOR_KEY": "a-real-two-factor-key-with-enough-entropy-5647382910asdfgh",
            "ALLOWED_HOSTS": "npm.example.org",
            "ARMSLENGTH_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_cli(
        "check", env_extra={"DEBUG": "0", "SECRET_KEY": "", "ARMSLENGTH_VAR_DIR": str(tmp_path)}
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    # the operator reads one line saying what to set, not a Python traceback
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "armslength: SECRET_KEY must be set when DEBUG is off (see README, Configuration)"
    ]


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_bad_boolean_setting_fails_loudly(tmp_path, value):
    result = run_cli("check", env_extra={"DEBUG": value, "ARMSLENGTH_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_demo_no_serve_through_the_console_script(tmp_path):
    env = {"DEBUG": "1", "ARMSLENGTH_VAR_DIR": str(tmp_path)}
    if os.environ.get("DATABASE_URL"):
        pytest.skip("the console-script run uses its own SQLite file; covered by the test above")
    result = run_cli("demo", "--no-serve", "--seed", "5", env_extra=env)
    assert result.returncode == 0, result.stderr
    assert "manager.hmip" in result.stdout
    assert (tmp_path / "armslength.sqlite3").exists()


def test_export_on_a_database_without_its_migrations_says_so_in_one_line(tmp_path):
    """Issue 13 probe, item 9: the export crashed with an OperationalError traceback."""
    if os.environ.get("DATABASE_URL"):
        pytest.skip("needs its own empty SQLite file")
    env = {"DEBUG": "1", "ARMSLENGTH_VAR_DIR": str(tmp_path)}
    out = tmp_path / "register.json"
    result = run_cli("export", "--format", "dataset", "--out", str(out), env_extra=env)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "the database needs `armslength migrate`" in result.stderr
    assert not out.exists()

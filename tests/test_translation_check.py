"""The check behind `make lint` that fails on text a person reads but no translator sees:
it finds planted strings in a template and in Python, passes their marked versions,
and passes the repository as it is."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "check_translations.py"


def run(*paths) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, paths)], capture_output=True, text=True, timeout=60
    )


def plant(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / "templates" / name if name.endswith(".html") else tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_a_planted_template_string_fails_the_check(tmp_path):
    plant(
        tmp_path,
        "page.html",
        '{% load i18n %}<h1>{% translate "Visits" %}</h1>\n<p>{{ n }} Planted words here</p>\n',
    )
    result = run(tmp_path)
    assert result.returncode == 1
    assert "page.html:2: " in result.stdout and "Planted words here" in result.stdout


def test_a_planted_attribute_people_read_fails_the_check(tmp_path):
    plant(tmp_path, "form.html", '<input name="q" placeholder="Search people">\n')
    result = run(tmp_path)
    assert result.returncode == 1 and "Search people" in result.stdout


def test_marked_template_text_code_and_citations_pass(tmp_path):
    plant(
        tmp_path,
        "ok.html",
        "{% load i18n %}<h1>{% translate 'Visits' %}</h1>\n"
        "{% blocktranslate count counter=n %}{{ counter }} visit{% plural %}"
        "{{ counter }} visits{% endblocktranslate %}\n"
        "<script src='x.js'></script><!-- a comment in English -->{# and this #}\n"
        "<td>{{ person.name }}</td><td>(UK-14)</td><td>CSV</td> · armslength\n",
    )
    result = run(tmp_path)
    assert result.returncode == 0, result.stdout


def test_planted_python_messages_and_labels_fail_the_check(tmp_path):
    plant(
        tmp_path,
        "views.py",
        "from django.contrib import messages\n"
        "from django.core.exceptions import ValidationError\n"
        "from django.utils.translation import gettext as _\n"
        "from django import forms\n"
        "class F(forms.Form):\n"
        "    a = forms.CharField(label='Planted label')\n"
        "    b = forms.CharField(label=_('Translated once, at import'))\n"
        "def view(request, record):\n"
        "    messages.success(request, f'Saved {record}')\n"
        "    raise ValidationError('Planted error')\n",
    )
    result = run(tmp_path)
    assert result.returncode == 1
    for line in ("views.py:6:", "views.py:7:", "views.py:9:", "views.py:10:"):
        assert line in result.stdout, result.stdout


def test_marked_python_passes(tmp_path):
    plant(
        tmp_path,
        "views.py",
        "from django.contrib import messages\n"
        "from django.utils.translation import gettext as _\n"
        "from django.utils.translation import gettext_lazy\n"
        "from django import forms\n"
        "class F(forms.Form):\n"
        "    a = forms.CharField(label=gettext_lazy('Name'))\n"
        "def view(request, record):\n"
        "    messages.success(request, _('Saved: %(r)s') % {'r': record})\n",
    )
    assert run(tmp_path).returncode == 0


def test_the_repository_passes_the_check():
    result = run(ROOT / "armslength")
    assert result.returncode == 0, result.stdout

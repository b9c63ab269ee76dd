#!/usr/bin/env python3
"""Fail on text a person reads that is not marked for translation.

Templates: any words left once `{% translate %}`/`{% blocktranslate %}` blocks,
template tags and variables, comments, `<script>`/`<style>` and markup are
taken away; plus the attributes people read (title, aria-label, placeholder,
alt, value of buttons is markup-checked too). Python: a string literal given
straight to a message (`messages.success(...)`), an error people see
(`ValidationError`, `PermissionDenied`, `Http404`, `CommandError` is for
operators and left out) or a form/model label (`label=`, `help_text=`,
`verbose_name=`, `empty_label=`) instead of through gettext.

Usage: python scripts/check_translations.py [PATH ...]   (default: armslength/)
Exit 1 and one line per finding (file:line: text) when anything is found.
A line may opt out with the comment `notranslate` (a proper name, a code).
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: words that are the same in every language: the product, acronyms, citations
ALLOWED = re.compile(r"^\(?(armslength|[A-Z0-9]{2,}s?|[A-Z]{2,}-\d+)\)?[,.:]?$")
BLOCK = re.compile(r"{%\s*blocktrans(late)?\b.*?{%\s*endblocktrans(late)?\s*%}", re.S)
COMMENT_BLOCK = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)
TAG = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
RAW = re.compile(r"<(script|style)\b.*?</\1>|<!--.*?-->", re.S | re.I)
READ_ATTRS = re.compile(
    r"\b(?:title|aria-label|placeholder|alt|aria-description)\s*=\s*(['\"])(.*?)\1", re.S
)
MARKUP = re.compile(r"<[^>]*>", re.S)
WORD = re.compile(r"[^\W\d_]{2,}")

MESSAGE_CALLS = {"success", "error", "info", "warning", "add_message"}
ERROR_CLASSES = {"ValidationError", "PermissionDenied", "Http404"}
LABEL_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label"}


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def template_findings(path: Path) -> list[tuple[int, str]]:
    text = path.read_text()

    # blank out (keeping line numbers) what is translated, code, or not read
    def blank(match: re.Match) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    for pattern in (COMMENT_BLOCK, BLOCK, RAW):
        text = pattern.sub(blank, text)
    # attributes people read: keep their value as text before markup goes
    found: list[tuple[int, str]] = []
    stripped = TAG.sub(blank, text)
    for match in READ_ATTRS.finditer(stripped):
        value = match.group(2).strip()
        if _has_words(value):
            found.append((_line_of(stripped, match.start()), value))
    stripped = MARKUP.sub(blank, stripped)
    lines = text.splitlines()
    for number, line in enumerate(stripped.splitlines(), start=1):
        if _has_words(line) and "notranslate" not in lines[number - 1]:
            found.append((number, line.strip()))
    return found


def _has_words(text: str) -> bool:
    text = text.replace("&nbsp;", " ").replace("&amp;", " ")
    words = [w for w in re.split(r"\s+", text.strip()) if w]
    return any(WORD.search(w) and not ALLOWED.match(w) for w in words)


def _literal(node: ast.AST | None) -> bool:
    """A bare string (or f-string) with words, not wrapped in a gettext call."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _has_words(node.value)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _literal(node.left)
    return False


def python_findings(path: Path) -> list[tuple[int, str]]:
    source = path.read_text()
    tree = ast.parse(source, str(path))
    lines = source.splitlines()
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        candidates: list[ast.AST] = []
        if isinstance(func, ast.Attribute) and name in MESSAGE_CALLS and _is_messages(func):
            candidates = node.args[1:2] if name != "add_message" else node.args[2:3]
        elif name in ERROR_CLASSES:
            candidates = node.args[:1]
        candidates += [k.value for k in node.keywords if k.arg in LABEL_KEYWORDS]
        for value in candidates:
            if _literal(value) and "notranslate" not in lines[value.lineno - 1]:
                found.append((value.lineno, ast.get_source_segment(source, value) or ""))
    return found + _translated_at_import(tree, lines)


def _translated_at_import(tree: ast.Module, lines: list[str]) -> list[tuple[int, str]]:
    """`gettext` (not lazy) called outside any function runs once, at import, in the
    default language: a class-level label made so never follows the reader's language."""
    eager = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in ("gettext", "ngettext", "pgettext")
    }
    found = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            return
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in eager
            and "notranslate" not in lines[node.lineno - 1]
        ):
            found.append((node.lineno, f"{node.func.id}(...) at import: use gettext_lazy"))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _is_messages(func: ast.Attribute) -> bool:
    return isinstance(func.value, ast.Name) and func.value.id == "messages"


def check(paths: list[Path]) -> list[str]:
    report = []
    for base in paths:
        files = [base] if base.is_file() else sorted(base.rglob("*"))
        for path in files:
            if "migrations" in path.parts or "locale" in path.parts:
                continue
            if path.suffix == ".html" and "templates" in path.parts:
                found = template_findings(path)
            elif (
                path.suffix == ".py" and "engine" not in path.parts and "planner" not in path.parts
            ):
                found = python_findings(path)
            else:
                continue
            report += [f"{path}:{line}: {text[:90]}" for line, text in found]
    return report


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or [ROOT / "armslength"]
    report = check(paths)
    for line in report:
        print(line)
    if report:
        print(f"{len(report)} untranslated string(s): mark them with {{% translate %}} or gettext")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

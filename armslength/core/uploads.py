"""Checks on uploaded files: size and real type, not just the name."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

# Leading bytes of the document types we accept (PDF; DOCX and ODT are zip files).
_SIGNATURES = {b"%PDF-": "pdf", b"PK\x03\x04": "zip"}


def validate_upload(file) -> None:
    if file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."))
    name = file.name.lower()
    head = file.read(8)
    file.seek(0)
    if name.endswith(".txt"):
        try:
            file.read(4096).decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(_("A .txt file must be plain UTF-8 text.")) from None
        finally:
            file.seek(0)
        return
    kind = next((k for sig, k in _SIGNATURES.items() if head.startswith(sig)), None)
    expected = "pdf" if name.endswith(".pdf") else "zip"
    if kind != expected:
        raise ValidationError(_("The file's content does not match its type."))

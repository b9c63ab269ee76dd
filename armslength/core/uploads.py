"""Checks on uploaded files: size and real type, not just the name.

A .docx or .odt is a zip file, so "starts with PK" proves nothing (any zip, a
renamed .jar or .xlsx passed; issue 12, finding 9). The document is sniffed
by its parts instead, reading only the zip's directory and one small part,
so a zip bomb is refused by what it declares and never inflated:
- .docx: `[Content_Types].xml` names a Word main document, and
  `word/document.xml` is there; a macro project (`vbaProject.bin`) is refused;
- .odt: the first part is `mimetype`, reading `application/vnd.oasis.opendocument.text`,
  and `content.xml` is there.
"""

from __future__ import annotations

import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: parts a document may hold (a long report has a few hundred)
MAX_ZIP_PARTS = 1000
#: what all the parts may add up to, unpacked (a zip bomb declares gigabytes)
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
#: the most read of the one part that is read ([Content_Types].xml, mimetype)
MAX_PART_READ = 64 * 1024

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


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
    if name.endswith(".pdf"):
        if not head.startswith(b"%PDF-"):
            raise ValidationError(_("The file's content does not match its type."))
        return
    if not head.startswith(b"PK\x03\x04"):
        raise ValidationError(_("The file's content does not match its type."))
    try:
        _check_document(file, "odt" if name.endswith(".odt") else "docx")
    finally:
        file.seek(0)


def _check_document(file, kind: str) -> None:
    mismatch = ValidationError(_("The file's content does not match its type."))
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise mismatch from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_ZIP_PARTS:
            raise ValidationError(
                _("The document has more than %(n)s parts; the limit is %(n)s.")
                % {"n": f"{MAX_ZIP_PARTS:,}"}
            )
        if sum(p.file_size for p in parts) > MAX_UNPACKED_BYTES:
            raise ValidationError(
                _("The document unpacks to more than the limit of %(mb)d MB.")
                % {"mb": MAX_UNPACKED_BYTES // 2**20}
            )
        names = {p.filename for p in parts}
        try:
            if kind == "odt":
                ok = (
                    parts[0].filename == "mimetype"
                    and _read_part(archive, "mimetype").strip() == ODT_MIMETYPE
                    and "content.xml" in names
                )
            else:
                ok = (
                    "word/document.xml" in names
                    and "[Content_Types].xml" in names
                    and DOCX_MAIN.encode() in _read_part(archive, "[Content_Types].xml")
                )
                if any(n.lower().endswith("vbaproject.bin") for n in names):
                    raise ValidationError(_("A document with macros is not accepted."))
        except (
            zipfile.BadZipFile,
            OSError,
            KeyError,
            RuntimeError,
            EOFError,
            IndexError,
            NotImplementedError,
        ):
            ok = False  # damaged, encrypted or truncated parts
    if not ok:
        raise mismatch


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    """At most MAX_PART_READ bytes of one part, inflated no further than that."""
    with archive.open(name) as part:
        return part.read(MAX_PART_READ)

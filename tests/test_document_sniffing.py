"""Issue 12, finding 9: any file starting with `PK` passed as a .docx.

A criteria document (.docx or .odt) is now sniffed by its parts: a Word document's
content types and main part, an OpenDocument text's `mimetype`; any other zip (a
workbook, a renamed archive), a macro-enabled document, a damaged zip and a zip bomb
are refused, the bomb by what it declares, without inflating it.
"""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from armslength.compliance.models import RecruitmentRecord
from armslength.core.uploads import (
    DOCX_MAIN,
    MAX_UNPACKED_BYTES,
    MAX_ZIP_PARTS,
    ODT_MIMETYPE,
    validate_upload,
)
from tests import test_compliance

new_secondee = test_compliance.new_secondee  # the fixture: Nia, a new secondee
recruitment_data = test_compliance.recruitment_data

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{DOCX_MAIN}"/></Types>'
)


def zipped(parts: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx(**extra) -> bytes:
    return zipped(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "word/document.xml": "<w:document><w:body><w:p>Criteria</w:p></w:body></w:document>",
            **extra,
        }
    )


def odt(mimetype: bytes = ODT_MIMETYPE) -> bytes:
    return zipped({"mimetype": mimetype, "content.xml": "<office:document-content/>"})


def check(name: str, data: bytes) -> None:
    validate_upload(SimpleUploadedFile(name, data))


def test_a_word_document_and_an_opendocument_text_pass():
    check("criteria.docx", docx())
    check("criteria.odt", odt())


@pytest.mark.parametrize(
    "name, data",
    [
        ("criteria.docx", b"PK\x03\x04" + b"not a zip at all" * 50),
        ("criteria.docx", zipped({"xl/workbook.xml": "<workbook/>", "[Content_Types].xml": ""})),
        ("criteria.docx", zipped({"word/document.xml": "<w:document/>"})),
        ("criteria.docx", odt()),
        ("criteria.odt", docx()),
        ("criteria.odt", odt(b"application/vnd.oasis.opendocument.spreadsheet")),
        ("criteria.odt", zipped({"content.xml": "<x/>", "mimetype": ODT_MIMETYPE})),
    ],
    ids=[
        "PK-then-garbage",
        "a-workbook-renamed",
        "no-content-types",
        "an-odt-named-docx",
        "a-docx-named-odt",
        "a-spreadsheet-named-odt",
        "mimetype-not-first",
    ],
)
def test_finding9_a_zip_that_is_not_the_document_it_is_named_is_refused(name, data):
    with pytest.raises(ValidationError, match="does not match its type"):
        check(name, data)


def test_finding9_a_macro_enabled_word_document_is_refused():
    with pytest.raises(ValidationError, match="macros"):
        check("criteria.docx", docx(**{"word/vbaProject.bin": b"\x00" * 100}))


def test_finding9_a_zip_bomb_is_refused_naming_the_limit_without_inflating_it():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            zeros = b"\x00" * 2**20
            for _ in range(MAX_UNPACKED_BYTES // 2**20 + 1):
                part.write(zeros)
    data = buffer.getvalue()
    assert len(data) < 1_000_000  # a small file that unpacks past the limit
    started = time.monotonic()
    with pytest.raises(ValidationError, match=f"limit of {MAX_UNPACKED_BYTES // 2**20} MB"):
        check("criteria.docx", data)
    assert time.monotonic() - started < 1


def test_finding9_a_zip_of_too_many_parts_is_refused_naming_the_limit():
    parts = {f"word/media/{i}.xml": "" for i in range(MAX_ZIP_PARTS + 1)}
    with pytest.raises(ValidationError, match=f"the limit is {MAX_ZIP_PARTS:,}"):
        check("criteria.docx", docx(**parts))


def test_finding9_the_criteria_form_refuses_a_workbook_named_docx_and_keeps_a_real_one(
    cast,
    client_for,
    new_secondee,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    secondment = new_secondee.secondments.get()
    client = client_for(cast.hmip_manager)
    url = reverse("compliance:recruitmentrecord_add")
    data = recruitment_data(cast, new_secondee, secondment, criteria_text="")
    workbook = zipped({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
    response = client.post(
        url, {**data, "criteria_file": SimpleUploadedFile("criteria.docx", workbook)}
    )
    assert response.status_code == 400
    assert "does not match its type" in str(response.context["form"].errors["criteria_file"])
    assert not RecruitmentRecord.objects.exists()
    real = SimpleUploadedFile("criteria.docx", docx())
    assert client.post(url, {**data, "criteria_file": real}).status_code == 302
    assert RecruitmentRecord.objects.get().criteria_file.name.endswith(".docx")

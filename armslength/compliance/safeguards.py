"""State changes of the safeguard records (UK-12 assessments…), below the findings layer.

The screening reads these records, so this module imports nothing that screens:
the dataset import (screening) and the web views both call it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from armslength.core.hooks import facts_changed


class SignOffRefused(Exception):
    """The assessment cannot be signed off (already signed, or not by this person)."""


@transaction.atomic
def assessment_sign_off(*, assessment, user) -> None:
    """The assessor signs the assessment off: from then on it counts (UK-12).

    Signing twice is refused rather than moving the date: the first signature stands.
    """
    if assessment.signed_off_at is not None:
        raise SignOffRefused("This assessment is already signed off.")
    assessment.signed_off_at = timezone.now()
    assessment.signed_off_by = user
    if assessment.assessor_id is None:
        assessment.assessor = user
    assessment.save()
    facts_changed(people=[assessment.person], user=user)

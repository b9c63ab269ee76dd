"""Which register records the audit log follows, and which values it must not copy."""

from auditlog.registry import auditlog

from armslength.register import models

auditlog.register(models.Body)
auditlog.register(models.Organisation, m2m_fields={"works_at"})
auditlog.register(models.Establishment, m2m_fields={"visiting_bodies"})
# Special-category data never leaves the person's own view (SPEC "Who sees
# what"), so the trail records that the person changed, not these values.
auditlog.register(models.Person, exclude_fields=["ethnicity", "minority_status"])
auditlog.register(models.Secondment)
auditlog.register(models.TrainingRecord)
auditlog.register(models.Expertise)

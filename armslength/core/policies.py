"""The access policy of each record type (see `access.py` for what the fields mean)."""

from armslength.accounts.models import Role, User
from armslength.core.access import ALL_ROLES, Policy, register
from armslength.register import models as register_models

C, M = Role.COORDINATOR, Role.MANAGER

register(register_models.Body, Policy(shared_read=ALL_ROLES, shared_write=frozenset({C})))
# Organisations and establishments are shared reference data: every body visits
# the same places. Managers may add and correct them; every change is audited.
register(
    register_models.Organisation, Policy(shared_read=ALL_ROLES, shared_write=frozenset({C, M}))
)
register(
    register_models.Establishment, Policy(shared_read=ALL_ROLES, shared_write=frozenset({C, M}))
)
register(register_models.Person, Policy(body="body", person="pk"))
register(register_models.Secondment, Policy(body="person__body", person="person"))
register(register_models.TrainingRecord, Policy(body="person__body", person="person"))
# The coordinator creates managers', auditors' and coordinators' accounts; a
# manager creates the staff accounts of their own body and links each to its
# person (the coordinator cannot: people are not theirs to see by name).
register(
    User,
    Policy(
        shared_read=frozenset({C}),
        shared_write=frozenset({C}),
        body="body",
        manager_writes_only=(("role", Role.STAFF),),
    ),
)

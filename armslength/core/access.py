"""Who may read and write which records: the one place access is decided.

Every view, export and (later) API endpoint asks `readable()` or `writable()`
for a queryset already scoped to the user, so a body manager can never reach
another body's people by guessing a URL: the row is simply not in the
queryset (404). A row that is readable but not writable answers 403.

SPEC "Who sees what":
- a body manager reads and writes their own body's records;
- the coordinator manages bodies, users and reference data, and does not see
  other bodies' people by name;
- an auditor reads everything and writes nothing;
- a staff member reads their own profile and the records attached to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from armslength.accounts.models import Role

ALL_ROLES = frozenset(Role)


@dataclass(frozen=True)
class Policy:
    """How one record type is shared.

    `shared_read`/`shared_write`: roles that read or write every row.
    `body`: the lookup from the record to its owning body; managers read and
    write rows of their own body. `person`: the lookup to the person the row
    is about; staff members read their own rows.
    """

    shared_read: frozenset[Role] = frozenset()
    shared_write: frozenset[Role] = frozenset()
    body: str | None = None
    person: str | None = None
    manager_writes: bool = True
    #: extra conditions on the rows a manager may write (e.g. only staff accounts)
    manager_writes_only: tuple[tuple[str, str], ...] = ()
    #: staff members may also write their own rows (e.g. their declarations)
    person_writes: bool = False
    #: further lookups to a body whose managers may read the row (joint visits)
    read_also: tuple[str, ...] = ()
    #: lookup to the account that made the row; that account reads and writes it
    owner: str | None = None
    #: a further need-to-know filter, (user, queryset) -> queryset, applied after the rest
    #: (unannounced visits: see visits/visibility.py); auditors are never restricted
    restrict: Callable | None = None
    #: named actions beyond read and write, each (user, row) -> bool: e.g. who may add
    #: people to a joint visit's team, or who may read a team member's verdict; asked as
    #: `may(user, action, row)` or `can(user, "<name>.<action>", obj)` ("override.decide")
    actions: tuple[tuple[str, Callable], ...] | dict[str, Callable] = ()
    #: which audit entries of a row's history the user may read, (user, entries) -> entries
    history: Callable | None = None
    #: the name actions are asked by in `can`; the model's name when empty
    name: str = ""


_POLICIES: dict[type[Model], Policy] = {}
_ACTIONS: dict[str, Callable] = {}


def register(model: type[Model], policy: Policy) -> None:
    _POLICIES[model] = policy
    name = policy.name or model._meta.model_name
    for action, rule in dict(policy.actions).items():
        _ACTIONS[f"{name}.{action}"] = rule


def register_actions(name: str, actions: dict[str, Callable]) -> None:
    """Actions that belong to no record type (reading the report, planning, the audit log)."""
    for action, rule in actions.items():
        _ACTIONS[f"{name}.{action}"] = rule


def registered_policies() -> dict[type[Model], Policy]:
    return dict(_POLICIES)


def registered_actions() -> list[str]:
    return sorted(_ACTIONS)


def can(user, action: str, obj: Model | None = None) -> bool:
    """May `user` do `action` (to `obj`)? Views, the API, the menu and templates ask this
    instead of comparing roles; an action nobody registered is refused, not open."""
    rule = _ACTIONS.get(action)
    if rule is None:
        raise LookupError(f"No access rule for the action {action!r}")
    if _role(user) is None:
        return False
    return bool(rule(user, obj))


def policy_for(model: type[Model]) -> Policy:
    try:
        return _POLICIES[model]
    except KeyError:  # a record type nobody declared is invisible, not open
        raise LookupError(f"No access policy declared for {model.__name__}") from None


def _role(user) -> Role | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.has_left():  # a leaver's account decides nothing, however it got here
        return None
    return Role(user.role)


def readable(user, model: type[Model]) -> QuerySet:
    """Rows of `model` that `user` may read."""
    return _need_to_know(user, model, _readable(user, model))


def _need_to_know(user, model: type[Model], qs: QuerySet) -> QuerySet:
    policy = policy_for(model)
    if policy.restrict and _role(user) not in (None, Role.AUDITOR):
        return policy.restrict(user, qs)
    return qs


def _readable(user, model: type[Model]) -> QuerySet:
    policy = policy_for(model)
    qs = model._default_manager.all()
    role = _role(user)
    if role is None:
        return qs.none()
    if role == Role.AUDITOR or role in policy.shared_read:
        return qs
    condition = _own_rows(user, role, policy, model)
    if condition is None:
        return qs.none()
    return qs.filter(condition)


def writable(user, model: type[Model]) -> QuerySet:
    """Rows of `model` that `user` may change or delete (never more than they may read)."""
    return _need_to_know(user, model, _writable(user, model))


def _writable(user, model: type[Model]) -> QuerySet:
    policy = policy_for(model)
    qs = model._default_manager.all()
    role = _role(user)
    if role is None or role == Role.AUDITOR:
        return qs.none()
    if role in policy.shared_write:
        return qs
    if role == Role.MANAGER and policy.body and policy.manager_writes and user.body_id:
        return qs.filter(**{policy.body: user.body_id}, **dict(policy.manager_writes_only))
    if role == Role.STAFF and policy.person_writes and user.person_id:
        return qs.filter(**{policy.person: user.person_id})
    if policy.owner:
        return qs.filter(**{policy.owner: user.pk})
    return qs.none()


def can_list(user, model: type[Model]) -> bool:
    """Whether the user's role reads any rows of this type at all (else a list page is 403)."""
    policy = policy_for(model)
    role = _role(user)
    if role is None:
        return False
    if role == Role.AUDITOR or role in policy.shared_read:
        return True
    return _own_rows(user, role, policy, model) is not None


def can_create(user, model: type[Model]) -> bool:
    policy = policy_for(model)
    role = _role(user)
    if role is None or role == Role.AUDITOR:
        return False
    if role in policy.shared_write:
        return True
    if role == Role.STAFF and policy.person_writes and user.person_id:
        return True
    return bool(role == Role.MANAGER and policy.body and policy.manager_writes and user.body_id)


def can_write(user, obj: Model) -> bool:
    return writable(user, type(obj)).filter(pk=obj.pk).exists()


def may(user, action: str, obj: Model) -> bool:
    """Whether `user` may take the named `action` on `obj`, as its policy says.

    Nobody may act on a row they cannot read; an action no policy declares is refused.
    """
    policy = policy_for(type(obj))
    rule = dict(policy.actions).get(action)
    if rule is None or _role(user) is None:
        return False
    return readable(user, type(obj)).filter(pk=obj.pk).exists() and bool(rule(user, obj))


def history(user, obj: Model, entries: QuerySet) -> QuerySet:
    """The audit entries of `obj`'s history that `user` may read (all, unless its policy
    narrows them: a joint visit's history holds other bodies' refusal reasons)."""
    policy = policy_for(type(obj))
    if policy.history is None or _role(user) == Role.AUDITOR:
        return entries
    return policy.history(user, entries)


def get_readable(user, model: type[Model], pk) -> Model:
    """The row, or 404 whether it does not exist or the user may not see it."""
    try:
        return readable(user, model).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No %(record)s found") % {"record": model._meta.verbose_name}) from None


def get_writable(user, model: type[Model], pk) -> Model:
    """The row for editing: 404 when unreadable, 403 when readable but not writable."""
    obj = get_readable(user, model, pk)
    if not writable(user, model).filter(pk=obj.pk).exists():
        raise PermissionDenied(
            _("You may read but not change this %(record)s.") % {"record": model._meta.verbose_name}
        )
    return obj


def _own_rows(user, role: Role, policy: Policy, model: type[Model]) -> Q | None:
    condition = None
    if role == Role.MANAGER and policy.body and user.body_id:
        condition = Q(**{policy.body: user.body_id})
        for lookup in policy.read_also:
            # a subquery, not a join: a join through a many-to-many repeats rows, and an OR
            # across a join makes the database scan the whole table
            also = model._default_manager.filter(**{lookup: user.body_id}).values("pk")
            condition |= Q(pk__in=also)
    elif role == Role.STAFF and policy.person and user.person_id:
        condition = Q(**{policy.person: user.person_id})
    if policy.owner:
        mine = Q(**{policy.owner: user.pk})
        condition = mine if condition is None else condition | mine
    return condition

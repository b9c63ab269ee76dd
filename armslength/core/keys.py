"""Stable record keys: readable slugs, unique per model."""

from __future__ import annotations

from django.utils.text import slugify


def unique_key(model, seed: str, max_length: int = 80) -> str:
    """A slug of `seed` that no row of `model` uses yet (`name`, `name-2`, `name-3`…)."""
    base = (slugify(seed) or model.__name__.lower())[: max_length - 6]
    taken = set(model.objects.filter(key__startswith=base).values_list("key", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def in_namespace(prefix: str, key: str, max_length: int = 80) -> str:
    """`key` under `prefix-` (a body's people: `hmip-alice`), unless it already is.

    A key a client chooses for a person is namespaced by the owning body, so it
    can never collide with (and so never confirm) another body's person (issue 12,
    finding 4); a key already carrying the prefix is kept as it is.
    """
    key = slugify(key)
    start = f"{prefix}-"
    return (key if key.startswith(start) else start + key)[:max_length]


def random_key(model, prefix: str) -> str:
    """`prefix-` and a random part, unused by `model`: nothing about the record in it."""
    import secrets

    while True:
        key = f"{prefix}-{secrets.token_hex(5)}"
        if not model.objects.filter(key=key).exists():
            return key

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

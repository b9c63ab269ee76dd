"""Table columns shared by the record types."""

import django_tables2 as tables


class TagsColumn(tables.Column):
    """A JSON list rendered as its items, comma-separated."""

    def render(self, value):
        return ", ".join(value)

    def value(self, value):
        return ", ".join(value)

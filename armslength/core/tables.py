"""Table columns shared by the record types."""

import django_tables2 as tables


class TagsColumn(tables.Column):
    """A JSON list rendered as its items, comma-separated (underscores as spaces)."""

    def render(self, value):
        return ", ".join(str(v).replace("_", " ") for v in value)

    def value(self, value):
        return ", ".join(value)


class ExpertiseColumn(tables.Column):
    """Expertise by name from the managed list; the export keeps the codes."""

    def render(self, value, table):
        from armslength.core.templatetags.armslength import expertise_text
        from armslength.register.models import expertise_vocabulary

        # one query for the whole page, not one per row
        if not hasattr(table, "_expertise_vocabulary"):
            table._expertise_vocabulary = expertise_vocabulary()
        return expertise_text(value, table._expertise_vocabulary)

    def value(self, value):
        if isinstance(value, dict):
            return "; ".join(f"{k}: {n}" for k, n in value.items())
        return "; ".join(value or [])

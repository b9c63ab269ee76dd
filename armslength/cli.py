"""The `armslength` console script.

Every subcommand is a Django management command, so `armslength demo`,
`armslength check --deploy` and `armslength migrate` all run through Django's
own dispatcher with the project's settings already selected.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "armslength.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["armslength", *args])


if __name__ == "__main__":
    main()

"""The `armslength` console script.

Every subcommand is a Django management command, so `armslength demo`,
`armslength check --deploy` and `armslength migrate` all run through Django's
own dispatcher with the project's settings already selected. Commands that
need no database (`screen`, `plan`) run straight from the pure packages: they start
fast and need no configuration.
"""

from __future__ import annotations

import os
import sys


def _pure_commands():
    from armslength.engine.cli import screen_main
    from armslength.planner.cli import plan_main

    return {"screen": screen_main, "plan": plan_main}


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in ("screen", "plan"):
        sys.exit(_pure_commands()[args[0]](args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "armslength.settings")
    from django.core.management import execute_from_command_line

    from armslength.env import ConfigError

    try:
        execute_from_command_line(["armslength", *args])
    except ConfigError as error:
        # a missing setting is the operator's to fix: one line saying which, not a traceback
        sys.exit(f"armslength: {error}")


if __name__ == "__main__":
    main()

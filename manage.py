#!/usr/bin/env python
"""Django's usual entry point; `armslength` (the console script) does the same."""

from armslength.cli import main

if __name__ == "__main__":
    main()

"""The same formats for plain English (LANGUAGE_CODE "en")."""

from armslength.formats.en_GB.formats import *  # noqa: F403

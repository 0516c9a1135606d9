"""Exceptions raised by zonedb; the CLI maps them to messages and exit codes."""

from __future__ import annotations


class ZonedbError(Exception):
    """Base class of every error zonedb raises on purpose."""


class InputError(ZonedbError):
    """A file cannot be read as a document: binary, truncated, undecodable, password-protected …"""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


class EmptyInputError(InputError):
    """A file holds no text at all; it is skipped with a warning, not counted as a failure."""


class MissingDateError(InputError):
    """No publication date could be found for a document."""


class SchemaError(ZonedbError):
    """The database schema is missing, too old to upgrade, or newer than this zonedb."""


class ReadOnlyError(ZonedbError):
    """A statement tried to change a database opened read-only."""

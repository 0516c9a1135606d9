"""zonedb: Chinese economic news about development zones, as an indicator database."""

__version__ = "0.1.0"

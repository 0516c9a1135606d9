"""``python -m zonedb`` runs the command line."""

from zonedb.cli import main

main()

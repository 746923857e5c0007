"""`python -m openforum_ld` runs the command line."""

from openforum_ld.cli import main

main()

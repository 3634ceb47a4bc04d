"""``python -m communique`` runs the command-line interface."""

from communique.interfaces.cli import main

main()

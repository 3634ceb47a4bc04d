"""``python -m communique`` runs the command-line interface."""

from .cli import main

main()

"""``python -m flowc`` runs the CLI."""

from flowc.cli import main

main()

"""``python -m zwgk_cli`` runs the ``zwgk`` command."""

from .cli.commands import run

run()

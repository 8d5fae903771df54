"""``python -m zwgk_cli`` runs the ``zwgk`` command."""

from .cli import run

run()

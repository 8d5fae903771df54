"""``python -m zwgk_cli`` runs the ``zwgk`` command."""

from .cli import app

app(prog_name="zwgk")

"""``python -m zwgk_cli`` runs the ``zwgk`` command.

The guard matters: a worker process started by spawn (Windows, or ZWGK_START_METHOD=spawn)
imports this module again and must not run the command a second time.
"""

from .cli.commands import run

if __name__ == "__main__":
    run()

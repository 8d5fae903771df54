"""Entry point of the frozen build (PyInstaller runs this file as ``__main__``).

The guard matters: a worker process is this executable started again (spawn), and
``run()`` calls ``multiprocessing.freeze_support()`` first, which turns it into the worker.
"""

from zwgk_cli.cli.commands import run

if __name__ == "__main__":
    run()

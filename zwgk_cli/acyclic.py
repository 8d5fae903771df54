"""Python's cyclic garbage collector paused while a batch builds many small acyclic objects
(the reads of a batch, its results, their JSON), which it would otherwise rescan over and over:
scoring 10,000 units took twice as long with it on, and building the JSON of 1,000 units up to
three times as long in a run that holds many objects already.

>>> import gc
>>> with collector_paused():
...     gc.isenabled()
False
>>> before = gc.get_freeze_count()
>>> with collector_paused(keep=True):
...     kept = [[n] for n in range(100)]
>>> gc.get_freeze_count() >= before + 100, gc.isenabled()
(True, True)
>>> gc.unfreeze()
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(*, keep: bool = False) -> Iterator[None]:
    """The cyclic GC off inside the block, and back as it was after it.

    Turned back on, the collector scans everything the block built at the next allocation (tens
    of milliseconds for a batch). With ``keep``, for what lives until the process exits (the
    command line's report, its JSON), the block's objects are frozen instead (``gc.freeze``):
    never scanned again, still freed when no longer referenced, as acyclic objects are.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep:
            gc.freeze()
        if enabled:
            gc.enable()

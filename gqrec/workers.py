"""The worker processes a run may start, forked so that they inherit what this process has read, and how
the run treats Python's heap while loading (the same for every way through the pipeline)."""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager


def workers(jobs: int | None = None) -> int:
    """How many processes may work at once: `jobs` if given, else one per core; always 1 where the
    platform cannot fork (Windows), since workers inherit what this process has read by forking."""
    if not hasattr(os, "fork"):
        return 1
    return jobs if jobs is not None else (os.cpu_count() or 1)


def fork_pool(count: int):
    """A pool of `count` forked worker processes (only where `workers` allows more than one)."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    return ProcessPoolExecutor(count, mp_context=get_context("fork"))


@contextmanager
def paused_gc():
    """Loading creates millions of small objects and no reference cycles: the cyclic garbage collector
    is paused meanwhile, or its repeated passes over the growing heap would cost more than the work,
    and the loaded objects are then frozen out of its reach (they live as long as the run)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if paused:
            gc.enable()

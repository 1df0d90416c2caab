"""The worker processes a run may start, forked so that they inherit what this process has read, and how
the run treats Python's heap while loading (the same for every way through the pipeline)."""

from __future__ import annotations

import gc
import os
import sys
from contextlib import contextmanager
from typing import Callable, Iterator


def workers(jobs: int | None = None) -> int:
    """How many processes may work at once: `jobs` if given, else one per core; always 1 where the
    platform cannot fork (Windows), since workers inherit what this process has read by forking."""
    if not hasattr(os, "fork"):
        return 1
    return jobs if jobs is not None else (os.cpu_count() or 1)


def fork_pool(count: int):
    """A pool of `count` forked worker processes (only where `workers` allows more than one), which die
    with this process however it ends (`_die_with_parent`)."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    return ProcessPoolExecutor(count, mp_context=get_context("fork"), initializer=_die_with_parent,
                               initargs=(os.getpid(),))


@contextmanager
def aside(work: Callable[[], bytes], jobs: int | None = None) -> Iterator[Callable[[], bytes]]:
    """`work()` done in a forked process while this one goes on with its own work (two cores: the export
    writes its record tables while the rules judge); inside the block, a function giving its bytes
    (waiting for them). Where `workers` allows one process only, the work is done here when asked. If
    the worker gives nothing (it died, or `work` raised), the work is done again here, so a gqrec bug
    shows with its traceback in this process. Leaving the block without asking ends the worker."""
    if workers(jobs) < 2:
        yield work
        return
    from multiprocessing import get_context

    context = get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    sys.stdout.flush()  # the worker must not write again what this process has buffered
    sys.stderr.flush()
    process = context.Process(target=_send, args=(work, sending, os.getpid()), daemon=True)
    process.start()
    sending.close()
    got: list[bytes] = []

    def result() -> bytes:
        if not got:
            try:
                got.append(receiving.recv_bytes())
            except EOFError:
                got.append(work())
        return got[0]

    try:
        yield result
    finally:
        receiving.close()
        if not got:
            process.kill()
        process.join()


def _send(work: Callable[[], bytes], sending, parent: int) -> None:
    _die_with_parent(parent)
    try:
        payload = work()
    except BaseException:  # said again by the parent, which does the work itself  # noqa: BLE001
        os._exit(1)
    sending.send_bytes(payload)
    sending.close()


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent(parent: int) -> None:
    """In a worker: be killed when the process that started the pool dies. A SIGTERM (or a kill -9) to
    a cold check ends it without unwinding, and its workers, which hold copies of the task pipe's
    ends, would wait on it forever. Linux says so with PR_SET_PDEATHSIG; elsewhere, and if the parent
    is already gone, the worker leaves at once."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: no prctl
        pass
    if os.getppid() != parent:
        os._exit(1)


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

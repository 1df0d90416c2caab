"""`workers.aside`: work done in a forked process while this one goes on (the export's rules judging while
its record tables are written), done here when it cannot be done there."""

from __future__ import annotations

import os
import time

from gqrec.workers import aside


def _pid() -> bytes:
    return str(os.getpid()).encode()


def test_the_work_is_done_in_another_process_and_its_bytes_given():
    with aside(_pid, jobs=2) as result:
        assert result() != _pid()
        assert result() == result()  # asked twice, received once


def test_one_process_only_the_work_is_done_here():
    with aside(_pid, jobs=1) as result:
        assert result() == _pid()


def test_a_work_failing_in_the_worker_is_done_again_here():
    here = os.getpid()

    def fails_elsewhere() -> bytes:
        if os.getpid() != here:
            raise RuntimeError("in the worker")
        return b"done here"

    with aside(fails_elsewhere, jobs=2) as result:
        assert result() == b"done here"


def test_leaving_without_asking_ends_the_worker():
    started = time.monotonic()
    with aside(lambda: time.sleep(60) or b"", jobs=2):
        pass
    assert time.monotonic() - started < 30

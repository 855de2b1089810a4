"""At most `PDF_RENDER_SLOTS` PDF renderings at once, across every gunicorn worker.

A rendering costs seconds of CPU (a 15-page list about 2 s on our 2 cores, more under
load), and nine at once kept every worker busy for more than a minute. A slot is an
exclusive `flock` on one of N files in `PDF_CACHE_DIR/slots`: the kernel releases it
when the process ends, however it ends, so a killed worker never leaks a slot. A
request that gets no slot within `PDF_RENDER_WAIT` seconds raises `NoFreeSlot`, which
`reports.middleware` answers with a 503 page, so that the worker goes back to serving
pages instead of queueing behind PDFs.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

POLL_SECONDS = 0.05
# What the 503 answer suggests: about one rendering of a long list under load.
RETRY_AFTER_SECONDS = 10


_IN_THIS_PROCESS = threading.Lock()


class NoFreeSlot(Exception):
    """Every rendering slot stayed taken for the whole wait."""


def _slot_dir() -> Path:
    directory = Path(settings.PDF_CACHE_DIR) / "slots"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _try_take(path: Path) -> int | None:
    """An open descriptor holding the lock on `path`, or None when it is taken."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


@contextmanager
def render_slot(*, wait: float | None = None) -> Iterator[int]:
    """Hold one slot for the block; yields its number. Raises `NoFreeSlot`.

    A slot also holds this process's lock: with gunicorn's threads, two renderings
    never run in one process at once (WeasyPrint has crash reports from threaded
    servers), whatever PDF_RENDER_SLOTS says."""
    count = max(1, settings.PDF_RENDER_SLOTS)
    wait = settings.PDF_RENDER_WAIT if wait is None else wait
    paths = [_slot_dir() / f"slot-{index}.lock" for index in range(count)]
    deadline = time.monotonic() + wait
    while True:
        if _IN_THIS_PROCESS.acquire(blocking=False):
            try:
                for index, path in enumerate(paths):
                    fd = _try_take(path)
                    if fd is None:
                        continue
                    try:
                        yield index
                    finally:
                        fcntl.flock(fd, fcntl.LOCK_UN)
                        os.close(fd)
                    return
            finally:
                _IN_THIS_PROCESS.release()
        if time.monotonic() >= deadline:
            raise NoFreeSlot
        time.sleep(POLL_SECONDS)

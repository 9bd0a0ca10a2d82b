"""Generating in child processes while this one writes: from ``PARALLEL_MIN_CUSTOMERS`` on
(see ``services.demo.seed``), the chunks come from child processes through pipes, which uses
both cores of a small server."""

from __future__ import annotations

import marshal
import pickle
import struct
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

from services.demo.generator import GenParams

CHILD_CODE = "from services.demo.parallel import child_stdio; child_stdio()"
"""What a generating process runs."""


def generate_inline(params: GenParams, customers: int) -> Iterator[tuple[int, dict[str, list]]]:
    """The chunks made here, one after the other (small loads: no process start-up)."""
    gen = params.generator()
    for start, stop in params.ranges(customers):
        yield stop, gen.chunk(start, stop)


def child_stdio() -> None:
    """Entry point of a generating process: parameters on stdin, chunks on stdout.

    Worker ``w`` of ``n`` makes chunks ``w, w + n, ...``. Chunks are plain tuples of str, int
    and float, so ``marshal`` carries them (twice as fast as pickle; both ends are this module,
    so the format never crosses a version), each frame preceded by its length so the reader
    takes it in one read rather than object by object.
    """
    import os

    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr  # a stray print must not corrupt the stream
    params, customers, worker, workers = pickle.load(sys.stdin.buffer)
    try:
        gen = params.generator()
        for start, stop in params.ranges(customers)[worker::workers]:
            send(out, ("chunk", stop, gen.chunk(start, stop)))
    except BaseException:
        import traceback

        send(out, ("error", traceback.format_exc(), None))
    out.close()


FRAME = struct.Struct("<Q")


def send(out: Any, message: tuple) -> None:
    data = marshal.dumps(message)
    out.write(FRAME.pack(len(data)))
    out.write(data)
    out.flush()


def receive(stream: Any) -> tuple:
    """One frame; ``EOFError`` when the stream ends early (the child died)."""
    head = stream.read(FRAME.size)
    if len(head) < FRAME.size:
        raise EOFError("generator stream ended")
    (size,) = FRAME.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("generator stream ended inside a frame")
    return marshal.loads(data)


def generate_in_children(params: GenParams, customers: int,
                          workers: int) -> Iterator[tuple[int, dict[str, list]]]:
    """Chunks made by child processes while this one writes, in chunk order.

    Why processes, not threads: generation is pure Python and SQLite takes the GIL back for
    every row, so a thread makes both sides wait. Why plain subprocesses, not multiprocessing:
    spawn re-runs the caller's main module, which a script without a ``__main__`` guard (or a
    Streamlit page) cannot allow. Each pipe holds its child at most one chunk ahead.
    """
    from core.settings import PROJECT_ROOT

    ranges = params.ranges(customers)
    workers = max(1, min(workers, len(ranges)))
    children: list[subprocess.Popen[bytes]] = []
    try:
        for worker in range(workers):
            child = subprocess.Popen(
                [sys.executable, "-c", CHILD_CODE],
                cwd=PROJECT_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            children.append(child)
            assert child.stdin is not None
            with child.stdin:
                pickle.dump((params, customers, worker, workers), child.stdin)
        for n in range(len(ranges)):
            child = children[n % workers]
            try:
                kind, a, b = receive(child.stdout)
            except EOFError:
                raise RuntimeError(
                    f"demo generator stopped (exit code {child.wait()})") from None
            if kind != "chunk":
                raise RuntimeError(f"demo generator failed:\n{a}")
            yield a, b
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
            child.wait()
            if child.stdout is not None:
                child.stdout.close()

"""Read and extract files in several processes, handing the results back in input order.

``--jobs N`` runs N processes in all: this one and N - 1 workers.  Only the pure part of an
ingest runs in the workers (read the bytes, hash, decode, split into articles, extract
observations); this process keeps the database and writes the documents in input order,
exactly as a one-process ingest does.  Writing costs a fraction of extracting, so whenever the
next document to write is still with a worker, this process extracts a later file itself
instead of waiting: every process stays busy and no more processes than ``--jobs`` compete for
the processors.  A file over the large-file size is left to this process, which reads it in
pieces while writing it.

Files travel a few at a time.  Workers take tasks from one queue and put results on another
(their own feeder threads send them, so a worker never waits for this process to read); this
process reads results only from its main thread, between its own pieces of work.  A bounded
number of files is in flight, so memory does not grow with the size of the input.

:func:`streamed_from_processes` runs other work the same way: a helper process per part,
whose items this process reads as they come (the facts refresh at the end of an ingest).
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import multiprocessing
import os
import queue
import signal
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from zonedb.errors import ZonedbError

if TYPE_CHECKING:
    from zonedb.gazetteer import Gazetteer
    from zonedb.ingest import InputFile, Prepared

CHUNK = 4  # files per task: a task costs a round trip between processes
TASKS_PER_WORKER = 32  # tasks queued per worker: enough to outlast the writer's longest group
WINDOW = 128  # tasks in flight in all, sent or done and not yet written (bounds memory)
BYTES_IN_FLIGHT = 32 * 1024 * 1024  # input bytes in flight at most (beyond one task)
WORKER_NICENESS = 5
_POLL_SECONDS = 1.0  # how often a wait for a worker checks that the workers are alive


class WorkerError(ZonedbError):
    """A worker process failed unexpectedly (a bug, not a bad input file) or died."""


def _worker_main(tasks: Any, results: Any, known: frozenset[str], published: dt.date | None,
                 source: str | None, gazetteer: Gazetteer | None) -> None:
    # Ctrl-C is the parent's to handle: it stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(os, "nice"):
        # The writer comes first: when it waits for the processor, every worker soon waits too.
        os.nice(WORKER_NICENESS)
    from zonedb.extract import Extractor
    from zonedb.gazetteer import default_gazetteer
    from zonedb.ingest import prepare_file

    extractor = Extractor(gazetteer or default_gazetteer())
    parent = os.getppid()
    while True:
        try:
            task = tasks.get(timeout=_POLL_SECONDS)
        except queue.Empty:
            if os.getppid() != parent:  # the writer was killed: nothing will come or be read
                results.cancel_join_thread()
                return
            continue
        if task is None:
            break
        task_id, items = task
        try:
            out = [prepare_file(item, known, published=published, source=source, extractor=extractor)
                   for item in items]
        except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
            results.put((task_id, None, traceback.format_exc()))
        else:
            results.put((task_id, out, None))
    results.close()
    results.join_thread()


def _size(item: InputFile) -> int:
    try:
        return item.size()
    except OSError:
        return 0  # reported by name when the file is read


def _context() -> multiprocessing.context.BaseContext:
    # fork starts workers in milliseconds with the reference data already loaded; elsewhere
    # (macOS, Windows) the platform default is used.
    if "fork" in multiprocessing.get_all_start_methods() and os.name == "posix":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


@dataclass(slots=True)
class _Task:
    """A few consecutive inputs and, once a worker sent them, their results."""

    items: list[InputFile]
    results: list[Prepared] | None = None
    local: bool = False  # a large file, left to this process (it is extracted while written)
    size: int = 0  # bytes of the files


def iter_prepared(inputs: Iterable[InputFile], jobs: int, known: Iterable[str], *,
                  published: dt.date | None, source: str | None,
                  gazetteer: Gazetteer | None = None) -> Iterator[Prepared]:
    """Prepare ``inputs`` with ``jobs`` processes in all (this one and ``jobs - 1`` workers);
    yield the results in input order.

    ``known`` is the set of sha256 digests already stored when the run starts: files with those
    bytes are skipped without being extracted.

    :raises WorkerError: a worker failed or died.
    """
    from zonedb.extract import Extractor
    from zonedb.gazetteer import default_gazetteer
    from zonedb.ingest import is_large_size, prepare_file

    known = frozenset(known)
    ctx = _context()
    gazetteer = gazetteer or default_gazetteer()
    if ctx.get_start_method() == "fork":
        # Forked workers inherit the segmenters' dictionaries (sharing their memory) instead of
        # each loading them before its first file.
        from zonedb.segment import warm_up

        warm_up()
    tasks, results = ctx.Queue(), ctx.Queue()
    workers = [ctx.Process(target=_worker_main, args=(tasks, results, known, published, source, gazetteer),
                           daemon=True) for _ in range(max(1, jobs - 1))]
    for w in workers:
        w.start()
    extractor = Extractor(gazetteer)
    in_flight: dict[int, _Task] = {}  # by task id, in input order
    unsent: collections.deque[int] = collections.deque()  # task ids not given to a worker, in order
    with_workers = 0
    next_id = 0
    it = iter(inputs)
    exhausted = False

    carry: list[InputFile] = []
    bytes_in_flight = 0

    def take() -> _Task | None:
        """The next few inputs as one task; a large file is a task of its own, done here."""
        nonlocal next_id, exhausted, bytes_in_flight
        items: list[InputFile] = []
        local, size = False, 0
        while len(items) < CHUNK:
            item = carry.pop() if carry else next(it, None)
            if item is None:
                exhausted = True
                break
            item_size = _size(item)
            if is_large_size(item_size):
                if items:
                    carry.append(item)
                else:
                    items, local, size = [item], True, item_size
                break
            items.append(item)
            size += item_size
        if not items:
            return None
        task = _Task(items, local=local, size=size)
        in_flight[next_id] = task
        if not local:
            unsent.append(next_id)
        bytes_in_flight += task.size
        next_id += 1
        return task

    def receive(block: bool) -> bool:
        """Store one result from the workers; False if none came."""
        nonlocal with_workers
        try:
            task_id, out, error = results.get(timeout=_POLL_SECONDS) if block else results.get_nowait()
        except queue.Empty:
            if block and not all(w.is_alive() for w in workers):
                raise WorkerError("a worker process died") from None
            return False
        if error is not None:
            raise WorkerError(f"a worker failed:\n{error}")
        in_flight[task_id].results = out
        with_workers -= 1
        return True

    def prepare_here(task_id: int) -> None:
        task = in_flight[task_id]
        task.results = [prepare_file(item, known, published=published, source=source, extractor=extractor,
                                     lazy=task.local) for item in task.items]

    head = 0
    finished = False
    try:
        while True:
            while not exhausted and len(in_flight) < WINDOW and bytes_in_flight < BYTES_IN_FLIGHT:
                if take() is None:
                    break
            while unsent and with_workers < len(workers) * TASKS_PER_WORKER:
                task_id = unsent.popleft()
                tasks.put((task_id, in_flight[task_id].items))
                with_workers += 1
            while receive(block=False):
                pass
            if head not in in_flight:
                break  # every input is done
            task = in_flight[head]
            if task.results is None:
                if task.local:
                    prepare_here(head)  # a large file: extracted here while it is written
                elif unsent:
                    # Rather than wait for the worker that has the head, do the first task no
                    # worker has (it may be the head itself).
                    prepare_here(unsent.popleft())
                    continue
                else:
                    while task.results is None:
                        receive(block=True)
            del in_flight[head]
            bytes_in_flight -= task.size
            head += 1
            yield from task.results  # type: ignore[misc]
        finished = True
    finally:
        _stop(workers, tasks, results, gently=finished)


def _stop(workers: list[Any], tasks: Any, results: Any, *, gently: bool) -> None:
    """Let idle workers exit, or (after an error or an interrupt) stop them at once."""
    if gently:
        for _ in workers:
            tasks.put(None)
    for w in workers:
        if gently:
            w.join(timeout=10)
        if w.is_alive():
            w.terminate()
        w.join()
    for q in (tasks, results):
        q.cancel_join_thread()
        q.close()


# -- streams computed in helper processes --------------------------------------------------------

SEND_BATCH = 500  # items per message from a helper process


def _stream_main(target: Callable[[int], Iterable[Any]], part: int, conn: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops helpers
    try:
        batch: list[Any] = []
        for item in target(part):
            batch.append(item)
            if len(batch) >= SEND_BATCH:
                conn.send(("items", batch))
                batch = []
        conn.send(("items", batch))
        conn.send(("end", None))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the parent stopped reading: it no longer wants the rest
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        with contextlib.suppress(OSError):
            conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


class ProcessStream(Iterator[Any]):
    """The items one helper process computes, received as they come (in messages of
    :data:`SEND_BATCH`; the helper blocks when the pipe is full, so memory stays bounded)."""

    def __init__(self, process: Any, conn: Any) -> None:
        self._process, self._conn = process, conn
        self._items: Iterator[Any] = iter(())
        self._open = True

    def __next__(self) -> Any:
        while True:
            for item in self._items:
                return item
            if not self._open:
                raise StopIteration
            try:
                kind, payload = self._conn.recv()
            except EOFError:
                self.close()
                raise WorkerError("a helper process died") from None
            if kind == "error":
                self.close()
                raise WorkerError(f"a helper process failed:\n{payload}")
            if kind == "end":
                self.close(finished=True)
            else:
                self._items = iter(payload)

    def close(self, *, finished: bool = False) -> None:
        """Stop receiving (``finished``: after the last message); a helper that has not
        finished is stopped, and what it sent is dropped."""
        if not self._open:
            return
        self._open = False
        if not finished:
            self._items = iter(())
        self._conn.close()
        if finished:
            self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=5)


def streamed_from_processes(target: Callable[[int], Iterable[Any]], parts: Iterable[int]) -> list[ProcessStream]:
    """Start one helper process per part running ``target(part)``; the stream of each one's
    items.  ``target`` must be picklable where processes are not forked.  Close the streams
    that are not read to the end.

    :raises WorkerError: (while reading) a helper failed or died.
    """
    ctx = _context()
    streams = []
    for part in parts:
        receiving, sending = ctx.Pipe(duplex=False)
        process = ctx.Process(target=_stream_main, args=(target, part, sending), daemon=True)
        process.start()
        sending.close()
        streams.append(ProcessStream(process, receiving))
    return streams

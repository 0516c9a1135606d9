"""Read and extract files in worker processes, handing the results back in input order.

Only the pure part of an ingest runs in the workers (read the bytes, hash, decode, split into
articles, extract observations); the parent keeps the database and writes each document in its
own transaction, in input order, exactly as a one-process ingest does.  At most a few documents
per worker are in flight, so memory does not grow with the size of the input.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zonedb.extract import Extractor
    from zonedb.gazetteer import Gazetteer
    from zonedb.ingest import InputFile, Prepared

# Per-worker state, set once by the pool initializer.
_STATE: dict[str, Any] = {}


def _init_worker(known: frozenset[str], published: dt.date | None, source: str | None,
                 gazetteer: Gazetteer | None) -> None:
    from zonedb.extract import Extractor
    from zonedb.gazetteer import default_gazetteer

    _STATE.update(known=known, published=published, source=source,
                  extractor=Extractor(gazetteer or default_gazetteer()))


def _prepare_in_worker(item: InputFile) -> Prepared:
    from zonedb.ingest import prepare_file

    extractor: Extractor = _STATE["extractor"]
    return prepare_file(item, _STATE["known"], published=_STATE["published"], source=_STATE["source"],
                        extractor=extractor)


def _context() -> multiprocessing.context.BaseContext:
    # fork starts workers in milliseconds with the reference data already loaded; elsewhere
    # (macOS, Windows) the platform default is used.
    if "fork" in multiprocessing.get_all_start_methods() and os.name == "posix":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def iter_prepared(inputs: Iterable[InputFile], jobs: int, known: Iterable[str], *,
                  published: dt.date | None, source: str | None,
                  gazetteer: Gazetteer | None = None) -> Iterator[Prepared]:
    """Prepare ``inputs`` with ``jobs`` worker processes; yield the results in input order.

    ``known`` is the set of sha256 digests already stored when the run starts: workers skip
    those files without extracting them.  An unexpected error in a worker is raised here.
    """
    from zonedb.ingest import GROUP_DOCUMENTS

    # Enough in flight that the workers keep going while this process writes a whole group.
    window = jobs * 4 + GROUP_DOCUMENTS
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_context(), initializer=_init_worker,
                               initargs=(frozenset(known), published, source, gazetteer))
    pending: deque[Future[Prepared]] = deque()
    try:
        it = iter(inputs)
        for item in it:
            pending.append(pool.submit(_prepare_in_worker, item))
            if len(pending) >= window:
                break
        while pending:
            result = pending.popleft().result()
            nxt = next(it, None)
            if nxt is not None:
                pending.append(pool.submit(_prepare_in_worker, nxt))
            yield result
    finally:
        for fut in pending:
            fut.cancel()
        pool.shutdown(wait=True, cancel_futures=True)

"""Ingest files into a database: read, split, extract, store — documents in grouped transactions.

This module connects the pure pipeline (:mod:`zonedb.sources`, :mod:`zonedb.articles`,
:mod:`zonedb.extract`) with the storage layer (:mod:`zonedb.store`).  It never prints:
progress and per-file outcomes go to the optional callbacks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from zonedb.articles import ArticleSpan, split_articles
from zonedb.dates import date_from_name, date_from_text
from zonedb.errors import EmptyInputError, InputError, MissingDateError
from zonedb.extract import Candidate, Extractor
from zonedb.gazetteer import Gazetteer, default_gazetteer
from zonedb.numbers import decimal_text
from zonedb.search import segment_text
from zonedb.sources import MEDIA_TEXT, SourceDocument, iter_decoded, read_document, sniff_format
from zonedb.store.database import Database
from zonedb.store.facts import finish_ingest, last_observation_id
from zonedb.store.models import Document
from zonedb.store.writer import ArticleRow, KeyCache, ObservationRow, write_documents

STDIN = "-"
# Plain-text files larger than this are hashed, decoded and extracted piece by piece, in
# memory that does not grow with the file (other formats need the whole file to parse).
LARGE_FILE_BYTES = 32 * 1024 * 1024
# A large file is cut into segments of about this many characters, at line breaks.
SEGMENT_CHARS = 1_000_000


def is_large_size(size: int) -> bool:
    """Whether a file of ``size`` bytes counts as large (see :data:`LARGE_FILE_BYTES`)."""
    return size > LARGE_FILE_BYTES


@dataclass(frozen=True, slots=True)
class InputFile:
    """One input: its display name, the path given (None for stdin) and a way to read it."""

    name: str
    path: str | None

    def read(self) -> bytes:
        if self.path is None:
            return sys.stdin.buffer.read()
        return Path(self.path).read_bytes()

    def size(self) -> int:
        """The file's size in bytes (0 for stdin)."""
        return os.path.getsize(self.path) if self.path is not None else 0

    def is_large(self) -> bool:
        """A file over :data:`LARGE_FILE_BYTES` (read in pieces when it is plain text)."""
        return is_large_size(self.size())

    def chunks(self, size: int = 1 << 22) -> Iterator[bytes]:
        """The file's bytes, ``size`` at a time."""
        assert self.path is not None
        with open(self.path, "rb") as f:
            while chunk := f.read(size):
                yield chunk


@dataclass
class IngestReport:
    """What an ingest did."""

    documents: int = 0
    articles: int = 0
    observations: int = 0
    skipped: int = 0
    empty: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result for one file: status is 'added', 'skipped', 'empty' or 'failed'."""

    name: str
    status: str
    detail: str = ""
    articles: int = 0
    observations: int = 0

    @classmethod
    def already_stored(cls, name: str) -> Outcome:
        return cls(name, "skipped", "already ingested (same bytes)")


def collect_inputs(paths: Iterable[str]) -> list[InputFile]:
    """Expand files and folders (recursively, sorted; hidden files skipped) and ``-`` (stdin).

    :raises InputError: a path does not exist.
    """
    out: list[InputFile] = []
    for raw in paths:
        if raw == STDIN:
            out.append(InputFile("<stdin>", None))
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if child.is_file() and not any(part.startswith(".") for part in rel.parts) \
                        and child.suffix.lower() not in (".md", ".tsv", ".json", ".jsonl", ".csv"):
                    out.append(InputFile(child.name, str(child)))
        elif path.is_file():
            out.append(InputFile(path.name, str(path)))
        else:
            raise InputError(raw, "no such file or folder")
    return out


def publication_date(name: str, source: SourceDocument, given: dt.date | None) -> tuple[dt.date, str]:
    """The publication date: the option, else the file name, else metadata, else the text."""
    if given:
        return given, "option"
    if found := date_from_name(name):
        return found, "file name"
    if source.published:
        return source.published, "metadata"
    if found := date_from_text(source.text):
        return found, "text"
    raise MissingDateError(
        name, "no publication date found in the file name or the text; "
              "give one with --published YYYY-MM-DD (or put the date in the file name, e.g. paper-20240910.txt)"
    )


_HASH_STRIP = re.compile(r"[\s\W_]+", re.UNICODE)


def body_hash(body: str) -> str:
    """Hash of an article body ignoring white space and punctuation (finds reprints)."""
    return hashlib.sha256(_HASH_STRIP.sub("", body).encode("utf-8")).hexdigest()


def _page_of(source: SourceDocument, offset: int) -> int | None:
    for page in source.pages:
        if page.start <= offset < page.end:
            return page.number
    return None


def _observation_row(c: Candidate, gaz: Gazetteer) -> ObservationRow:
    zone = gaz.zones.get(c.zone_key)
    p = c.period
    return ObservationRow(
        zone_key=c.zone_key,
        zone_name=zone.name if zone else c.zone_key,
        zone_kind=zone.kind if zone else (c.zone_kind or "development_zone"),
        metric=c.metric,
        period_code=p.code if p else None,
        period_kind=p.kind if p else None,
        period_start=p.start if p else None,
        period_end=p.end if p else None,
        period_label=p.label if p else None,
        values={
            "value_exact": decimal_text(c.value),
            "value": float(c.value),
            "value_high_exact": decimal_text(c.high) if c.high is not None else None,
            "unit": c.unit,
            "dimension": c.dimension,
            "base_value_exact": decimal_text(c.base_value) if c.base_value is not None else None,
            "base_unit": c.base_unit,
            "qualifier": c.qualifier,
            "measure": c.measure,
            "modifiers": c.modifiers,
            "scope": c.scope,
            "metric_text": c.metric_text,
            "printed": c.printed,
            "span_start": c.span_start,
            "span_end": c.span_end,
            "sentence_start": c.sentence_start,
            "sentence_end": c.sentence_end,
            "zone_inferred": c.zone_inferred,
            "unit_inferred": c.unit_inferred,
            "period_inferred": c.period_inferred,
        },
    )


@dataclass(frozen=True, slots=True)
class ExtractedDocument:
    """A document ready to store."""

    document: dict[str, object]
    articles: Iterable[ArticleRow]  # a list, or a generator that extracts while it is written
    size: int  # characters of text (bytes of a file read in pieces): decides how it is written


def extract_document(name: str, path: str | None, data: bytes, *, published: dt.date | None,
                     source: str | None, extractor: Extractor, lazy: bool = False) -> ExtractedDocument:
    """Read and extract one file's bytes (pure: no database).

    With ``lazy`` the articles are extracted only while they are written (memory stays
    bounded for very large files); otherwise they come as a list (to send between processes).
    """
    doc = read_document(data, name)
    if not doc.text.strip():
        raise EmptyInputError(name, "empty file")
    date, origin = publication_date(name, doc, published)
    articles = _article_rows(doc, date, extractor)
    record = {
        "name": name, "path": path, "sha256": hashlib.sha256(data).hexdigest(),
        "encoding": doc.encoding, "media_type": doc.media_type, "source": source,
        "published": date, "published_from": origin, "title": doc.title, "url": doc.url,
        "text": doc.text,
    }
    return ExtractedDocument(record, articles if lazy else list(articles), len(doc.text))


MAX_ARTICLE_CHARS = 50_000


def bounded(text: str, spans: Iterable[ArticleSpan], limit: int = MAX_ARTICLE_CHARS) -> Iterator[ArticleSpan]:
    """Cut articles longer than ``limit`` at the last line break (else full stop) before it,
    so that extraction works on bounded pieces whatever the size of the file."""
    for span in spans:
        start, title = span.start, span.title
        while span.end - start > limit:
            cut = text.rfind("\n", start + limit // 2, start + limit)
            if cut == -1:
                cut = text.rfind("。", start + limit // 2, start + limit)
            end = cut + 1 if cut != -1 else start + limit
            yield ArticleSpan(start, end, title)
            start, title = end, title
        yield ArticleSpan(start, span.end, title)


def _article_rows(doc: SourceDocument, date: dt.date, extractor: Extractor) -> Iterator[ArticleRow]:
    return _segment_rows([(0, doc.text)], doc, date, extractor)


def _segment_rows(segments: Iterable[tuple[int, str]], doc: SourceDocument, date: dt.date,
                  extractor: Extractor) -> Iterator[ArticleRow]:
    """Articles of a document given as (offset, text) segments that follow one another."""
    seq = 0
    for base, text in segments:
        for span in bounded(text, split_articles(text)):
            seq += 1
            body = text[span.start : span.end]
            title = span.title if seq > 1 or span.title else doc.title
            cands = extractor.extract(body, date, title)
            rows = [_observation_row(c, extractor.gaz) for c in cands]
            yield ArticleRow(
                seq=seq, title=title, body=body, doc_start=base + span.start, doc_end=base + span.end,
                page=_page_of(doc, base + span.start),
                zone_key=next((c.zone_key for c in cands if c.zone_inferred), None),
                body_hash=body_hash(body), observations=rows,
                title_seg=segment_text(title or ""), body_seg=segment_text(body),
            )


def _segments(pieces: Iterable[str], first: str = "") -> Iterator[tuple[int, str]]:
    """Re-cut a stream of text pieces into (offset, segment) of about :data:`SEGMENT_CHARS`
    characters, each ending at a line break when the text has one."""
    buffer, base = first, 0
    for piece in pieces:
        buffer += piece
        while len(buffer) >= SEGMENT_CHARS:
            cut = buffer.rfind("\n", SEGMENT_CHARS // 2, SEGMENT_CHARS) + 1 or SEGMENT_CHARS
            yield base, buffer[:cut]
            base += cut
            buffer = buffer[cut:]
    if buffer:
        yield base, buffer


def extract_large_text(item: InputFile, digest: str, *, published: dt.date | None, source: str | None,
                       extractor: Extractor) -> ExtractedDocument:
    """Extract a large plain-text file piece by piece; its articles come as a generator.

    The document row keeps no copy of the whole text (``text`` is empty): its articles hold
    every line of it, at their offsets.
    """
    encoding, pieces = iter_decoded(item.chunks(), item.name)
    first = ""
    for piece in pieces:  # enough text to find a dateline
        first += piece
        if len(first) >= SEGMENT_CHARS:
            break
    if not first.strip():
        raise EmptyInputError(item.name, "empty file")
    head = SourceDocument(text=first, encoding=encoding, media_type=MEDIA_TEXT)
    date, origin = publication_date(item.name, head, published)
    record = {
        "name": item.name, "path": item.path, "sha256": digest, "encoding": encoding,
        "media_type": MEDIA_TEXT, "source": source, "published": date, "published_from": origin,
        "title": None, "url": None, "text": "",
    }
    segments = _segments(pieces, first)
    return ExtractedDocument(record, _segment_rows(segments, head, date, extractor), os.path.getsize(str(item.path)))


def _file_digest(item: InputFile) -> str:
    h = hashlib.sha256()
    for chunk in item.chunks():
        h.update(chunk)
    return h.hexdigest()


def _is_plain_text(item: InputFile) -> bool:
    assert item.path is not None
    with open(item.path, "rb") as f:
        return sniff_format(f.read(1 << 16)) == MEDIA_TEXT


Prepared = tuple[str | None, "ExtractedDocument | Outcome"]


def _cannot_read(exc: OSError) -> str:
    return f"cannot read: {exc.strerror or exc}"


def prepare_file(item: InputFile, known: set[str] | frozenset[str], *, published: dt.date | None,
                 source: str | None, extractor: Extractor, lazy: bool = False) -> Prepared:
    """Read, hash and extract one input (pure: no database; ``lazy``: see :func:`extract_document`).
    A large plain-text file (over :data:`LARGE_FILE_BYTES`) is read in pieces; lazily, its
    articles are extracted while they are written, and a decoding error found on the way is
    raised then (:class:`InputError`).

    Returns ``(sha256, extracted document)``, or ``(sha256 or None, outcome)`` for a file
    that is already stored, empty or unreadable.
    """
    try:
        large = item.is_large() and _is_plain_text(item)
        data = b"" if large else item.read()
        digest = _file_digest(item) if large else hashlib.sha256(data).hexdigest()
    except OSError as exc:
        return None, Outcome(item.name, "failed", _cannot_read(exc))
    if digest in known:
        return digest, Outcome.already_stored(item.name)
    try:
        if large:
            extracted = extract_large_text(item, digest, published=published, source=source, extractor=extractor)
            return digest, extracted if lazy else ExtractedDocument(extracted.document, list(extracted.articles),
                                                                    extracted.size)
        return digest, extract_document(item.name, item.path, data, published=published,
                                        source=source, extractor=extractor, lazy=lazy)
    except OSError as exc:
        return digest, Outcome(item.name, "failed", _cannot_read(exc))
    except EmptyInputError as exc:
        return digest, Outcome(item.name, "empty", exc.reason)
    except InputError as exc:
        return digest, Outcome(item.name, "failed", exc.reason)


# Documents are written in groups, one transaction each: a group closes at this many
# documents or characters, or when its first document has waited this long (so progress and
# other writers are not held up); a larger document is written alone, extracted while written.
GROUP_DOCUMENTS = 64
GROUP_CHARS = 1_000_000
GROUP_SECONDS = 1.0


@dataclass(slots=True)
class _Pending:
    item: InputFile
    digest: str
    document: dict[str, object]
    articles: Iterable[ArticleRow]


def _write_group(db: Database, cache: KeyCache, group: list[_Pending]) -> dict[str, Outcome]:
    """Write ``group`` in one transaction; the outcome of each (by digest).  Documents another
    process stored meanwhile are skipped; on a clash the documents are written one by one."""
    try:
        with db.engine.begin() as conn:
            digests = [p.digest for p in group]
            stored = set(conn.execute(select(Document.sha256).where(Document.sha256.in_(digests))).scalars())
            todo = [p for p in group if p.digest not in stored]
            counts = write_documents(conn, cache, [(p.document, p.articles) for p in todo], index=True)
    except (InputError, OSError) as exc:  # found while a large file was read as it was written
        cache.clear()
        if len(group) != 1:
            raise
        reason = exc.reason if isinstance(exc, InputError) else _cannot_read(exc)
        return {group[0].digest: Outcome(group[0].item.name, "failed", reason)}
    except IntegrityError:
        cache.clear()
        if len(group) == 1:
            return {group[0].digest: Outcome.already_stored(group[0].item.name)}
        out: dict[str, Outcome] = {}
        for p in group:
            out.update(_write_group(db, cache, [p]))
        return out
    except BaseException:
        cache.clear()
        raise
    out = {p.digest: Outcome.already_stored(p.item.name) for p in group}
    out.update((p.digest, Outcome(p.item.name, "added", "", n_art, n_obs))
               for p, (n_art, n_obs) in zip(todo, counts, strict=True))
    return out


def iter_ingest(db: Database, inputs: list[InputFile], *, published: dt.date | None = None,
                source: str | None = None, gazetteer: Gazetteer | None = None,
                jobs: int = 1) -> Iterator[Outcome]:
    """Ingest ``inputs``, yielding an :class:`Outcome` per file, in input order.

    A file that fails is reported and the others still go in.  Documents are written in
    groups, each group in one transaction, so an interruption never leaves half a document
    (nor half a group).  Identical bytes (same sha256) are skipped, so re-running an ingest is
    always safe.  The facts of the keys the run touched are refreshed once at the end (a run
    killed before that leaves them behind, and the next run rebuilds them).  With ``jobs`` > 1,
    ``jobs - 1`` worker processes read and extract files while this process writes them (and
    extracts files itself whenever the next to write is still with a worker), in input order.
    """
    cache = KeyCache()
    with db.engine.connect() as conn:
        known = set(conn.execute(select(Document.sha256)).scalars())
        start = last_observation_id(conn)
    prepared: Iterable[Prepared]
    if jobs > 1 and len(inputs) > 1:
        from zonedb.parallel import iter_prepared

        prepared = iter_prepared(inputs, jobs, known, published=published, source=source, gazetteer=gazetteer)
    else:
        extractor = Extractor(gazetteer or default_gazetteer())
        prepared = (prepare_file(item, known, published=published, source=source, extractor=extractor,
                                 lazy=True)
                    for item in inputs)
    queue: list[Outcome | _Pending] = []  # in input order
    group: list[_Pending] = []
    chars = 0
    since = 0.0

    def flush() -> Iterator[Outcome]:
        nonlocal chars
        written = _write_group(db, cache, group) if group else {}
        for entry in queue:
            yield entry if isinstance(entry, Outcome) else written[entry.digest]
        queue.clear()
        group.clear()
        chars = 0

    for item, (digest, extracted) in zip(inputs, prepared, strict=True):
        if isinstance(extracted, Outcome):
            queue.append(extracted)
        elif digest in known:  # the same bytes earlier in this run
            queue.append(Outcome.already_stored(item.name))
        else:
            assert digest is not None
            known.add(digest)
            size = extracted.size
            if size > GROUP_CHARS:  # alone, extracted while it is written
                yield from flush()
                queue.append(entry := _Pending(item, digest, extracted.document, extracted.articles))
                group.append(entry)
                yield from flush()
                continue
            if not group:
                since = time.monotonic()
            entry = _Pending(item, digest, extracted.document, list(extracted.articles))
            queue.append(entry)
            group.append(entry)
            chars += size
        if len(group) >= GROUP_DOCUMENTS or chars >= GROUP_CHARS or \
                (group and time.monotonic() - since >= GROUP_SECONDS) or (not group and queue):
            yield from flush()
    yield from flush()
    with db.engine.begin() as conn:
        finish_ingest(conn, start, jobs=jobs, url=db.url)


def ingest(db: Database, paths: Iterable[str], *, published: dt.date | None = None,
           source: str | None = None,
           on_outcome: Callable[[Outcome], None] | None = None) -> IngestReport:
    """Ingest files and folders; return the totals."""
    report = IngestReport()
    for outcome in iter_ingest(db, collect_inputs(paths), published=published, source=source):
        if outcome.status == "added":
            report.documents += 1
            report.articles += outcome.articles
            report.observations += outcome.observations
        elif outcome.status == "skipped":
            report.skipped += 1
        elif outcome.status == "empty":
            report.empty.append(outcome.name)
        else:
            report.failed.append((outcome.name, outcome.detail))
        if on_outcome:
            on_outcome(outcome)
    return report

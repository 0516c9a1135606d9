"""SQLAlchemy models: documents, articles, reference data (zones, metrics, periods), observations.

Offsets are half-open code-point indices.  ``observation.span_start/span_end`` point into
``article.body``; ``article.doc_start/doc_end`` point into the document text, so the printed
figure is ``article.body[span_start:span_end]`` (SQL: ``substr(body, span_start + 1,
span_end - span_start)``).  Values are exact: ``value_exact`` holds the Decimal as text,
``value`` is a REAL copy for convenient SQL arithmetic.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention (needed for Alembic batch mode on SQLite)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Document(Base):
    """One ingested file (or stdin); identical bytes are stored once."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    path: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    encoding: Mapped[str | None] = mapped_column(String(40))
    media_type: Mapped[str] = mapped_column(String(120), default="text/plain")
    source: Mapped[str | None] = mapped_column(String(200))
    published: Mapped[dt.date] = mapped_column(Date, index=True)
    published_from: Mapped[str] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.current_timestamp())

    articles: Mapped[list[Article]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Article.seq"
    )

    __table_args__ = (
        CheckConstraint("published_from IN ('option','file name','text','metadata')", name="published_from"),
    )


class Article(Base):
    """One article of a document; ``body`` is the exact slice ``document.text[doc_start:doc_end]``."""

    __tablename__ = "article"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    doc_start: Mapped[int] = mapped_column(Integer)
    doc_end: Mapped[int] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer)
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zone.id"))
    body_hash: Mapped[str] = mapped_column(String(64), index=True)

    document: Mapped[Document] = relationship(back_populates="articles")
    zone: Mapped[Zone | None] = relationship()
    observations: Mapped[list[Observation]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="Observation.span_start"
    )

    __table_args__ = (
        UniqueConstraint("document_id", "seq"),
        CheckConstraint("doc_start <= doc_end", name="doc_span"),
    )


class Zone(Base):
    """A development zone or administrative area (REF_AREA)."""

    __tablename__ = "zone"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    level: Mapped[str | None] = mapped_column(String(40))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("zone.id"))
    source: Mapped[str | None] = mapped_column(Text)
    builtin: Mapped[bool] = mapped_column(default=True)

    parent: Mapped[Zone | None] = relationship(remote_side=[id])
    aliases: Mapped[list[ZoneAlias]] = relationship(back_populates="zone", cascade="all, delete-orphan")


class ZoneAlias(Base):
    """Another printed name of a zone (高平经开区 for 高平经济技术开发区)."""

    __tablename__ = "zone_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zone.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(200), index=True)

    zone: Mapped[Zone] = relationship(back_populates="aliases")

    __table_args__ = (UniqueConstraint("alias", "zone_id"),)


class Metric(Base):
    """An indicator (INDICATOR): canonical name plus the dimension its values have."""

    __tablename__ = "metric"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    code: Mapped[str | None] = mapped_column(String(100))
    dimension: Mapped[str | None] = mapped_column(String(40))
    builtin: Mapped[bool] = mapped_column(default=True)

    aliases: Mapped[list[MetricAlias]] = relationship(back_populates="metric", cascade="all, delete-orphan")


class MetricAlias(Base):
    """Another wording of a metric (规模以上工业增加值 for 规上工业增加值)."""

    __tablename__ = "metric_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(200), index=True)

    metric: Mapped[Metric] = relationship(back_populates="aliases")

    __table_args__ = (UniqueConstraint("alias", "metric_id"),)


class Period(Base):
    """A time interval (TIME_PERIOD); identity is the interval, so wording variants share a row."""

    __tablename__ = "period"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    label: Mapped[str] = mapped_column(String(80))

    __table_args__ = (
        CheckConstraint("start_date IS NULL OR end_date IS NULL OR start_date <= end_date", name="ordered"),
        Index("ix_period_end_start", "end_date", "start_date"),
    )


class Observation(Base):
    """One figure as printed in one article, attributed to a zone, a metric and a period."""

    __tablename__ = "observation"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), index=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zone.id"))
    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id"))
    period_id: Mapped[int | None] = mapped_column(ForeignKey("period.id"))
    value_exact: Mapped[str] = mapped_column(String(80))
    value: Mapped[float] = mapped_column(Float)
    value_high_exact: Mapped[str | None] = mapped_column(String(80))
    unit: Mapped[str] = mapped_column(String(40))
    dimension: Mapped[str] = mapped_column(String(40))
    base_value_exact: Mapped[str | None] = mapped_column(String(80))
    base_unit: Mapped[str | None] = mapped_column(String(40))
    qualifier: Mapped[str | None] = mapped_column(String(20))
    measure: Mapped[str] = mapped_column(String(20), default="level")
    modifiers: Mapped[str | None] = mapped_column(String(80))
    scope: Mapped[str] = mapped_column(String(20), default="zone")
    metric_text: Mapped[str] = mapped_column(String(200))
    printed: Mapped[str] = mapped_column(String(200))
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    sentence_start: Mapped[int] = mapped_column(Integer)
    sentence_end: Mapped[int] = mapped_column(Integer)
    zone_inferred: Mapped[bool] = mapped_column(default=False)
    unit_inferred: Mapped[bool] = mapped_column(default=False)
    period_inferred: Mapped[bool] = mapped_column(default=False)

    article: Mapped[Article] = relationship(back_populates="observations")
    document: Mapped[Document] = relationship()
    zone: Mapped[Zone] = relationship()
    metric: Mapped[Metric] = relationship()
    period: Mapped[Period | None] = relationship()

    __table_args__ = (
        UniqueConstraint("article_id", "span_start", "span_end", "metric_id"),
        CheckConstraint("span_start < span_end", name="span"),
        CheckConstraint("scope IN ('zone','project','company')", name="scope"),
        Index("ix_observation_key", "zone_id", "metric_id", "period_id"),
        Index("ix_observation_metric", "metric_id", "period_id"),
    )

    @property
    def decimal_value(self) -> Decimal:
        """The exact value as a Decimal."""
        return Decimal(self.value_exact)


class Fact(Base):
    """One (zone, metric, period, measure) across every issue: its best value and agreement.

    Derived from ``observation`` (join on the four key columns; ``period_id`` NULL is its own
    group) and kept current on ingest; ``zonedb facts rebuild`` recomputes it.  ``status`` is
    ``single`` (one independent source), ``agree`` or ``conflict``; reprints (same
    ``article.body_hash``) count once in ``n_sources`` and each in ``n_documents``.
    """

    __tablename__ = "fact"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zone.id"))
    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id"))
    period_id: Mapped[int | None] = mapped_column(ForeignKey("period.id"))
    measure: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10))
    best_observation_id: Mapped[int] = mapped_column(ForeignKey("observation.id", ondelete="CASCADE"))
    value_exact: Mapped[str] = mapped_column(String(80))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40))
    qualifier: Mapped[str | None] = mapped_column(String(20))
    printed: Mapped[str] = mapped_column(String(200))
    value_low_exact: Mapped[str | None] = mapped_column(String(80))
    value_high_exact: Mapped[str | None] = mapped_column(String(80))
    n_observations: Mapped[int] = mapped_column(Integer)
    n_sources: Mapped[int] = mapped_column(Integer)
    n_documents: Mapped[int] = mapped_column(Integer)
    n_publications: Mapped[int] = mapped_column(Integer)
    n_values: Mapped[int] = mapped_column(Integer)
    first_published: Mapped[dt.date] = mapped_column(Date)
    last_published: Mapped[dt.date] = mapped_column(Date)

    zone: Mapped[Zone] = relationship()
    metric: Mapped[Metric] = relationship()
    period: Mapped[Period | None] = relationship()
    best_observation: Mapped[Observation] = relationship()

    __table_args__ = (
        CheckConstraint("status IN ('single','agree','conflict')", name="status"),
        Index("ix_fact_zone_metric", "zone_id", "metric_id"),
        Index("ix_fact_status", "status"),
    )

    @property
    def decimal_value(self) -> Decimal:
        """The best value as a Decimal."""
        return Decimal(self.value_exact)


class ArticleSeg(Base):
    """Word-segmented title and body of an article (jieba search mode, space-joined).

    External content of the FTS5 table ``article_fts`` (rowid = ``article_id``), which
    SQLite's default tokenizer can then search word by word.
    """

    __tablename__ = "article_seg"

    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), primary_key=True)
    title_seg: Mapped[str] = mapped_column(Text, default="")
    body_seg: Mapped[str] = mapped_column(Text, default="")

"""Facts across issues (fact, v_fact) and Chinese full-text search (article_seg, article_fts).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 15:00:00

Existing observations get their facts and existing articles their segmented index here, so
a database upgraded from 0001 is complete right away.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A fact's observations: same zone, metric, measure and period (NULL matching NULL).
_SAME_KEY = ("o.zone_id = f.zone_id AND o.metric_id = f.metric_id AND o.measure = f.measure "
             "AND (o.period_id = f.period_id OR (o.period_id IS NULL AND f.period_id IS NULL))")


def _v_fact(dialect: str) -> str:
    if dialect == "postgresql":
        ids = "(SELECT string_agg(o.id::text, ',' ORDER BY o.id) FROM observation o WHERE {k})"
        # Each document name once, ordered like SQLite's: by publication date, then name.
        docs = ("(SELECT string_agg(s.name, ',' ORDER BY s.published, s.name COLLATE \"C\") FROM "
                "(SELECT d.name AS name, min(d.published) AS published FROM observation o "
                "JOIN document d ON d.id = o.document_id WHERE {k} GROUP BY d.name) s)")
    else:
        ids = "(SELECT group_concat(id, ',') FROM (SELECT o.id AS id FROM observation o WHERE {k} ORDER BY o.id))"
        docs = ("(SELECT group_concat(name, ',') FROM (SELECT DISTINCT d.name AS name FROM observation o "
                "JOIN document d ON d.id = o.document_id WHERE {k} ORDER BY d.published, d.name))")
    return f"""
CREATE VIEW v_fact AS
SELECT f.id AS id,
       f.zone_id AS zone_id,
       f.metric_id AS metric_id,
       f.period_id AS period_id,
       z.name AS zone,
       z.kind AS zone_kind,
       m.name AS metric,
       p.code AS period,
       p.label AS period_label,
       p.kind AS period_kind,
       p.start_date AS period_start,
       p.end_date AS period_end,
       f.measure AS measure,
       f.value AS value,
       f.value_exact AS value_exact,
       f.unit AS unit,
       f.qualifier AS qualifier,
       f.printed AS printed,
       f.value_low_exact AS value_low,
       f.value_high_exact AS value_high,
       f.status AS status,
       f.n_observations AS n_observations,
       f.n_sources AS n_sources,
       f.n_documents AS n_documents,
       f.n_publications AS n_publications,
       f.n_values AS n_values,
       f.first_published AS first_published,
       f.last_published AS last_published,
       f.best_observation_id AS best_observation_id,
       {ids.format(k=_SAME_KEY)} AS observation_ids,
       {docs.format(k=_SAME_KEY)} AS documents
FROM fact f
JOIN zone z ON z.id = f.zone_id
JOIN metric m ON m.id = f.metric_id
LEFT JOIN period p ON p.id = f.period_id
"""


_FTS = [
    "CREATE VIRTUAL TABLE article_fts USING fts5(title_seg, body_seg, content='article_seg', "
    "content_rowid='article_id')",
    "CREATE TRIGGER article_fts_ai AFTER INSERT ON article_seg BEGIN "
    "INSERT INTO article_fts(rowid, title_seg, body_seg) VALUES (new.article_id, new.title_seg, new.body_seg); "
    "END",
    "CREATE TRIGGER article_fts_ad AFTER DELETE ON article_seg BEGIN "
    "INSERT INTO article_fts(article_fts, rowid, title_seg, body_seg) "
    "VALUES ('delete', old.article_id, old.title_seg, old.body_seg); END",
    "CREATE TRIGGER article_fts_au AFTER UPDATE ON article_seg BEGIN "
    "INSERT INTO article_fts(article_fts, rowid, title_seg, body_seg) "
    "VALUES ('delete', old.article_id, old.title_seg, old.body_seg); "
    "INSERT INTO article_fts(rowid, title_seg, body_seg) VALUES (new.article_id, new.title_seg, new.body_seg); "
    "END",
]


# PostgreSQL: the same segmented text, indexed as a tsvector (the 'simple' configuration keeps
# every word as it is) in a generated column with a GIN index; queried with to_tsquery.
PG_FTS_COLUMN = "fts"
_PG_FTS = [
    f"ALTER TABLE article_seg ADD COLUMN {PG_FTS_COLUMN} tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple', title_seg || ' ' || body_seg)) STORED",
    f"CREATE INDEX ix_article_seg_{PG_FTS_COLUMN} ON article_seg USING GIN ({PG_FTS_COLUMN})",
]


def upgrade() -> None:
    op.create_table('fact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('metric_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=True),
    sa.Column('measure', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('best_observation_id', sa.Integer(), nullable=False),
    sa.Column('value_exact', sa.String(length=80), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('qualifier', sa.String(length=20), nullable=True),
    sa.Column('printed', sa.String(length=200), nullable=False),
    sa.Column('value_low_exact', sa.String(length=80), nullable=True),
    sa.Column('value_high_exact', sa.String(length=80), nullable=True),
    sa.Column('n_observations', sa.Integer(), nullable=False),
    sa.Column('n_sources', sa.Integer(), nullable=False),
    sa.Column('n_documents', sa.Integer(), nullable=False),
    sa.Column('n_publications', sa.Integer(), nullable=False),
    sa.Column('n_values', sa.Integer(), nullable=False),
    sa.Column('first_published', sa.Date(), nullable=False),
    sa.Column('last_published', sa.Date(), nullable=False),
    sa.CheckConstraint("status IN ('single','agree','conflict')", name=op.f('ck_fact_status')),
    sa.ForeignKeyConstraint(['best_observation_id'], ['observation.id'],
                            name=op.f('fk_fact_best_observation_id_observation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['metric_id'], ['metric.id'], name=op.f('fk_fact_metric_id_metric')),
    sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_fact_period_id_period')),
    sa.ForeignKeyConstraint(['zone_id'], ['zone.id'], name=op.f('fk_fact_zone_id_zone')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fact')),
    sa.UniqueConstraint('key', name=op.f('uq_fact_key'))
    )
    with op.batch_alter_table('fact', schema=None) as batch_op:
        batch_op.create_index('ix_fact_status', ['status'], unique=False)
        batch_op.create_index('ix_fact_zone_metric', ['zone_id', 'metric_id'], unique=False)

    op.create_table('article_seg',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('title_seg', sa.Text(), nullable=False),
    sa.Column('body_seg', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_article_seg_article_id_article'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', name=op.f('pk_article_seg'))
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in _FTS:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        for statement in _PG_FTS:
            op.execute(statement)
    op.execute(_v_fact(bind.dialect.name))

    # Data: facts for the observations and the index for the articles already stored.
    has_rows = bind.execute(sa.text("SELECT 1 FROM observation LIMIT 1")).first() is not None
    has_articles = bind.execute(sa.text("SELECT 1 FROM article LIMIT 1")).first() is not None
    if has_rows:
        from zonedb.store.facts import rebuild

        rebuild(bind)
    if has_articles:
        from zonedb.store.search import reindex

        reindex(bind)


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS v_fact")
    if op.get_bind().dialect.name == "sqlite":
        for name in ("article_fts_ai", "article_fts_ad", "article_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS article_fts")
    op.drop_table('article_seg')
    with op.batch_alter_table('fact', schema=None) as batch_op:
        batch_op.drop_index('ix_fact_zone_metric')
        batch_op.drop_index('ix_fact_status')
    op.drop_table('fact')

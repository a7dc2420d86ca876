"""search: full-text indexes over posts, calls for ideas and mentor profiles

SQLite gets FTS5 virtual tables, PostgreSQL tsvector columns with GIN indexes. Both are
kept up to date by the database itself (triggers, or a generated column), so every
write path (services, the demo, the bulk bench seeder) keeps search true without help.
Only posts that are shown are indexed: removing or hiding a post takes it out, restoring
it puts it back. None of this is in the models; forum/search/schema.py names these
objects so the migration drift test and autogenerate leave them alone.

Revision ID: 3504974c0f34
Revises: 8284507f6419
Create Date: 2026-11-22 09:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '3504974c0f34'
down_revision = '8284507f6419'
branch_labels = None
depends_on = None

SHOWN = "{row}.deleted_at IS NULL AND {row}.hidden_at IS NULL"

SQLITE_UPGRADE = [
    # Posts: external content (the text stays in posts.body_md; snippet() reads it there).
    """CREATE VIRTUAL TABLE post_search USING fts5(
           body_md, content='posts', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER post_search_insert AFTER INSERT ON posts WHEN {SHOWN.format(row='new')} BEGIN
           INSERT INTO post_search(rowid, body_md) VALUES (new.id, new.body_md);
       END""",
    f"""CREATE TRIGGER post_search_delete AFTER DELETE ON posts WHEN {SHOWN.format(row='old')} BEGIN
           INSERT INTO post_search(post_search, rowid, body_md) VALUES ('delete', old.id, old.body_md);
       END""",
    # One trigger, two steps in order: an external-content index must forget the old
    # text before it learns the new one.
    f"""CREATE TRIGGER post_search_update AFTER UPDATE OF body_md, deleted_at, hidden_at ON posts BEGIN
           INSERT INTO post_search(post_search, rowid, body_md)
               SELECT 'delete', old.id, old.body_md WHERE {SHOWN.format(row='old')};
           INSERT INTO post_search(rowid, body_md)
               SELECT new.id, new.body_md WHERE {SHOWN.format(row='new')};
       END""",
    # Calls for ideas: the thread's title and the call's question, keyed by the thread id.
    """CREATE VIRTUAL TABLE idea_call_search USING fts5(
           title, question, tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER idea_call_search_insert AFTER INSERT ON idea_calls BEGIN
           INSERT INTO idea_call_search(rowid, title, question)
               VALUES (new.thread_id, (SELECT title FROM threads WHERE id = new.thread_id), new.question_md);
       END""",
    """CREATE TRIGGER idea_call_search_question AFTER UPDATE OF question_md ON idea_calls BEGIN
           UPDATE idea_call_search SET question = new.question_md WHERE rowid = new.thread_id;
       END""",
    """CREATE TRIGGER idea_call_search_title AFTER UPDATE OF title ON threads BEGIN
           UPDATE idea_call_search SET title = new.title WHERE rowid = new.id;
       END""",
    """CREATE TRIGGER idea_call_search_delete AFTER DELETE ON idea_calls BEGIN
           DELETE FROM idea_call_search WHERE rowid = old.thread_id;
       END""",
    # Mentor profiles: the headline and the shown sections, keyed by the profile id.
    """CREATE VIRTUAL TABLE mentor_search USING fts5(
           headline, sections, tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER mentor_search_insert AFTER INSERT ON mentor_profiles BEGIN
           INSERT INTO mentor_search(rowid, headline, sections) VALUES (new.id, new.headline, '');
       END""",
    """CREATE TRIGGER mentor_search_headline AFTER UPDATE OF headline ON mentor_profiles BEGIN
           UPDATE mentor_search SET headline = new.headline WHERE rowid = new.id;
       END""",
    """CREATE TRIGGER mentor_search_delete AFTER DELETE ON mentor_profiles BEGIN
           DELETE FROM mentor_search WHERE rowid = old.id;
       END""",
    *[f"""CREATE TRIGGER mentor_search_sections_{event.split()[0].lower()} AFTER {event}
              ON mentor_profile_sections BEGIN
           UPDATE mentor_search SET sections = coalesce((
               SELECT group_concat(body_md, ' ') FROM (
                   SELECT body_md FROM mentor_profile_sections
                   WHERE profile_id = {row}.profile_id AND NOT hidden ORDER BY position)), '')
           WHERE rowid = {row}.profile_id;
       END""" for event, row in (("INSERT", "new"), ("UPDATE OF body_md, hidden, profile_id", "new"),
                                 ("DELETE", "old"))],
]

SQLITE_DOWNGRADE = [
    *[f"DROP TRIGGER IF EXISTS {name}" for name in (
        "post_search_insert", "post_search_delete", "post_search_update",
        "idea_call_search_insert", "idea_call_search_question", "idea_call_search_title",
        "idea_call_search_delete", "mentor_search_insert", "mentor_search_headline", "mentor_search_delete",
        "mentor_search_sections_insert", "mentor_search_sections_update", "mentor_search_sections_delete")],
    "DROP TABLE IF EXISTS post_search",
    "DROP TABLE IF EXISTS idea_call_search",
    "DROP TABLE IF EXISTS mentor_search",
]

ENGLISH = "'english'::regconfig"

POSTGRESQL_UPGRADE = [
    # Posts: a generated column is recomputed by PostgreSQL on every insert and edit; the
    # partial index holds only shown posts, the ones search may return.
    f"""ALTER TABLE posts ADD COLUMN search_vector tsvector
           GENERATED ALWAYS AS (to_tsvector({ENGLISH}, body_md)) STORED""",
    f"""CREATE INDEX ix_posts_search_vector ON posts USING gin (search_vector)
           WHERE {SHOWN.format(row='posts')}""",
    # Calls for ideas: the title lives on the thread, so triggers keep the column.
    "ALTER TABLE idea_calls ADD COLUMN search_vector tsvector",
    f"""CREATE FUNCTION idea_call_search_vector(call_title text, question text) RETURNS tsvector
           LANGUAGE sql IMMUTABLE AS $$
           SELECT setweight(to_tsvector({ENGLISH}, coalesce(call_title, '')), 'A')
               || setweight(to_tsvector({ENGLISH}, coalesce(question, '')), 'B') $$""",
    """CREATE FUNCTION idea_calls_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           NEW.search_vector := idea_call_search_vector(
               (SELECT title FROM threads WHERE id = NEW.thread_id), NEW.question_md);
           RETURN NEW;
       END $$""",
    """CREATE TRIGGER idea_calls_search BEFORE INSERT OR UPDATE OF question_md ON idea_calls
           FOR EACH ROW EXECUTE FUNCTION idea_calls_search_refresh()""",
    """CREATE FUNCTION threads_title_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           UPDATE idea_calls SET search_vector = idea_call_search_vector(NEW.title, question_md)
               WHERE thread_id = NEW.id;
           RETURN NULL;
       END $$""",
    """CREATE TRIGGER threads_title_search AFTER UPDATE OF title ON threads
           FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title)
           EXECUTE FUNCTION threads_title_search_refresh()""",
    "CREATE INDEX ix_idea_calls_search_vector ON idea_calls USING gin (search_vector)",
    # Mentor profiles: the headline and the shown sections, in the mentor's order.
    "ALTER TABLE mentor_profiles ADD COLUMN search_vector tsvector",
    f"""CREATE FUNCTION mentor_profile_search_vector(profile integer, headline text) RETURNS tsvector
           LANGUAGE sql STABLE AS $$
           SELECT setweight(to_tsvector({ENGLISH}, coalesce(headline, '')), 'A')
               || setweight(to_tsvector({ENGLISH}, coalesce((
                   SELECT string_agg(body_md, ' ' ORDER BY position) FROM mentor_profile_sections
                   WHERE profile_id = profile AND NOT hidden), '')), 'B') $$""",
    """CREATE FUNCTION mentor_profiles_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           NEW.search_vector := mentor_profile_search_vector(NEW.id, NEW.headline);
           RETURN NEW;
       END $$""",
    """CREATE TRIGGER mentor_profiles_search BEFORE INSERT OR UPDATE OF headline ON mentor_profiles
           FOR EACH ROW EXECUTE FUNCTION mentor_profiles_search_refresh()""",
    """CREATE FUNCTION mentor_sections_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           IF TG_OP IN ('UPDATE', 'DELETE') THEN
               UPDATE mentor_profiles SET search_vector = mentor_profile_search_vector(id, headline)
                   WHERE id = OLD.profile_id;
           END IF;
           IF TG_OP IN ('INSERT', 'UPDATE') THEN
               UPDATE mentor_profiles SET search_vector = mentor_profile_search_vector(id, headline)
                   WHERE id = NEW.profile_id;
           END IF;
           RETURN NULL;
       END $$""",
    """CREATE TRIGGER mentor_sections_search AFTER INSERT OR UPDATE OR DELETE ON mentor_profile_sections
           FOR EACH ROW EXECUTE FUNCTION mentor_sections_search_refresh()""",
    "CREATE INDEX ix_mentor_profiles_search_vector ON mentor_profiles USING gin (search_vector)",
]

POSTGRESQL_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS mentor_sections_search ON mentor_profile_sections",
    "DROP TRIGGER IF EXISTS mentor_profiles_search ON mentor_profiles",
    "DROP TRIGGER IF EXISTS threads_title_search ON threads",
    "DROP TRIGGER IF EXISTS idea_calls_search ON idea_calls",
    "DROP FUNCTION IF EXISTS mentor_sections_search_refresh()",
    "DROP FUNCTION IF EXISTS mentor_profiles_search_refresh()",
    "DROP FUNCTION IF EXISTS mentor_profile_search_vector(integer, text)",
    "DROP FUNCTION IF EXISTS threads_title_search_refresh()",
    "DROP FUNCTION IF EXISTS idea_calls_search_refresh()",
    "DROP FUNCTION IF EXISTS idea_call_search_vector(text, text)",
    "ALTER TABLE mentor_profiles DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE idea_calls DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE posts DROP COLUMN IF EXISTS search_vector",
]


def _run(statements):
    for statement in statements:
        op.execute(statement)


def upgrade():
    dialect = op.get_bind().dialect.name
    _run(POSTGRESQL_UPGRADE if dialect == "postgresql" else SQLITE_UPGRADE)


def downgrade():
    dialect = op.get_bind().dialect.name
    _run(POSTGRESQL_DOWNGRADE if dialect == "postgresql" else SQLITE_DOWNGRADE)

"""search: on PostgreSQL, a word is found with or without its accents, as on SQLite

SQLite's FTS5 indexes fold accents (unicode61 remove_diacritics 2): "cafe" finds "café" and
"Zoë" finds "Zoe". PostgreSQL's English configuration kept them, so there "cafe" found
nothing of a post about a café. The `english_unaccent` text search configuration is
English with the unaccent dictionary before the stemmer, for the words that hold letters
beyond ASCII; the tsvector columns, the functions their triggers call and the queries
(forum/search/backends/postgresql.py) use it. ts_headline still marks the words of the
text as written, accents and all.

unaccent is a trusted extension (PostgreSQL 13 and later): the owner of the database may
add it. A user who may not is told, in one line, what a superuser should run.

Going back puts the English configuration back in the columns and functions, recomputes
the vectors, drops `english_unaccent`, and drops the extension if this revision added it.
SQLite: nothing to do.

Revision ID: e4c2a8f6b1d9
Revises: d4b7e2a9c5f8
Create Date: 2026-12-20 12:00:00

"""
from alembic import op
from sqlalchemy import exc, text

revision = "e4c2a8f6b1d9"
down_revision = "d4b7e2a9c5f8"
branch_labels = None
depends_on = None

ENGLISH = "'english'::regconfig"
FOLDED = "'english_unaccent'::regconfig"
# Kept in the configuration's comment, so that going back drops only an extension this
# revision added, never one a superuser added for it or someone added for something else.
ADDED_UNACCENT = "the unaccent extension was added with it"
SHOWN = "posts.deleted_at IS NULL AND posts.hidden_at IS NULL"
# As 7a1d3f5b9c2e writes it: the owner's name (nothing for a closed account).
NAME = "CASE WHEN users.closed_at IS NULL THEN users.display_name || ' ' || users.username ELSE '' END"


def _posts_column(config: str) -> list[str]:
    # PostgreSQL 15 cannot change a generated column's expression: it is made again.
    return [
        "ALTER TABLE posts DROP COLUMN search_vector",
        f"""ALTER TABLE posts ADD COLUMN search_vector tsvector
               GENERATED ALWAYS AS (to_tsvector({config}, body_md)) STORED""",
        f"""CREATE INDEX ix_posts_search_vector ON posts USING gin (search_vector)
               WHERE {SHOWN}""",
    ]


def _idea_call_function(config: str) -> str:
    # As 3504974c0f34 wrote it, with `config`.
    return f"""CREATE OR REPLACE FUNCTION idea_call_search_vector(call_title text, question text) RETURNS tsvector
           LANGUAGE sql IMMUTABLE AS $$
           SELECT setweight(to_tsvector({config}, coalesce(call_title, '')), 'A')
               || setweight(to_tsvector({config}, coalesce(question, '')), 'B') $$"""


def _mentor_function(config: str) -> str:
    # As 7a1d3f5b9c2e wrote it (with tags), with `config`.
    sections = f"""setweight(to_tsvector({config}, coalesce((
                   SELECT string_agg(body_md, ' ' ORDER BY position) FROM mentor_profile_sections
                   WHERE profile_id = profile AND NOT hidden), '')), 'B')"""
    tags = f"""setweight(to_tsvector({config}, coalesce((
                   SELECT string_agg(mentor_tags.name, ' ' ORDER BY mentor_profile_tags.position)
                   FROM mentor_profile_tags JOIN mentor_tags ON mentor_tags.id = mentor_profile_tags.tag_id
                   WHERE mentor_profile_tags.profile_id = profile), '')), 'B')"""
    return f"""CREATE OR REPLACE FUNCTION mentor_profile_search_vector(profile integer, headline text, owner integer)
           RETURNS tsvector LANGUAGE sql STABLE AS $$
           SELECT setweight(to_tsvector({config}, coalesce(headline, '')), 'A')
               || setweight(to_tsvector({config}, coalesce((
                   SELECT {NAME} FROM users WHERE id = owner), '')), 'A')
               || {sections} || {tags} $$"""


def _vectors(config: str) -> list[str]:
    return [
        *_posts_column(config),
        _idea_call_function(config),
        """UPDATE idea_calls SET search_vector = idea_call_search_vector(
               (SELECT title FROM threads WHERE threads.id = idea_calls.thread_id), question_md)""",
        _mentor_function(config),
        "UPDATE mentor_profiles SET search_vector = mentor_profile_search_vector(id, headline, user_id)",
    ]


def _run(statements):
    for statement in statements:
        op.execute(statement)


def _add_unaccent(connection) -> bool:
    """Add the unaccent extension unless it is there; True if this revision added it."""
    if connection.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'")).first():
        return False
    user, database = connection.execute(text("SELECT current_user, current_database()")).one()
    if not connection.execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'")).first():
        raise RuntimeError(
            "Search needs PostgreSQL's unaccent extension, which this server does not have: install "
            "PostgreSQL's contrib modules (Debian: postgresql-contrib) then upgrade again.")
    try:
        connection.execute(text("CREATE EXTENSION unaccent"))
    except exc.DBAPIError:
        raise RuntimeError(
            f"Search needs PostgreSQL's unaccent extension, which {user} may not add: as a superuser, "
            f"run  psql -d {database} -c 'CREATE EXTENSION unaccent'  then upgrade again.") from None
    return True


def upgrade():
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    added = _add_unaccent(connection)
    comment = "English with accents folded, as on SQLite" + (f"; {ADDED_UNACCENT}" if added else "")
    _run([
        "CREATE TEXT SEARCH CONFIGURATION english_unaccent (COPY = pg_catalog.english)",
        # Only these token types can hold letters beyond ASCII; the ascii* ones have no accents.
        "ALTER TEXT SEARCH CONFIGURATION english_unaccent "
        "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
        f"COMMENT ON TEXT SEARCH CONFIGURATION english_unaccent IS '{comment}'",
        *_vectors(FOLDED),
    ])


def downgrade():
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    comment = connection.execute(text(
        "SELECT obj_description('english_unaccent'::regconfig, 'pg_ts_config')")).scalar() or ""
    _run([*_vectors(ENGLISH), "DROP TEXT SEARCH CONFIGURATION english_unaccent"])
    if ADDED_UNACCENT in comment:
        op.execute("DROP EXTENSION unaccent")

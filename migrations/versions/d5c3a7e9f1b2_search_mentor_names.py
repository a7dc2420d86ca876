"""search: a mentor is found by the name on their profile and by their username

A reader who searched "Harbor" (the name results and the directory show) did not find
Harbor's profile: the mentor index held the headline and the shown sections only. It now
holds the owner's display name and username too, ranked as the headline is, and kept up to
date when they change either. A closed account's name is never indexed (closing renames it
"Former member" in any case, and takes the mentor role, so the listing rules hide it).

SQLite: FTS5 cannot add a column, so `mentor_search` is made again with a `name` column
last (the headline and sections keep their places, which highlighting names by number) and
filled from the profiles there; a trigger on users carries a new name across. PostgreSQL:
the function that makes the tsvector reads the owner's name too, and a trigger on users
refreshes the owner's profile.

Revision ID: d5c3a7e9f1b2
Revises: b8d4e2f6a9c1
Create Date: 2026-12-06 18:45:00

"""
from alembic import op

revision = "d5c3a7e9f1b2"
down_revision = "b8d4e2f6a9c1"
branch_labels = None
depends_on = None

TOKENIZE = "tokenize='porter unicode61 remove_diacritics 2'"
# The words a mentor is found by for who they are: nothing for a closed account.
NAME = "CASE WHEN {u}.closed_at IS NULL THEN {u}.display_name || ' ' || {u}.username ELSE '' END"
SECTIONS = """coalesce((SELECT group_concat(body_md, ' ') FROM (
                   SELECT body_md FROM mentor_profile_sections
                   WHERE profile_id = {profile} AND NOT hidden ORDER BY position)), '')"""
SQLITE_SEARCH_TRIGGERS = ("mentor_search_insert", "mentor_search_headline", "mentor_search_delete",
                          "mentor_search_owner", "mentor_search_name")


def _sqlite_mentor_search(with_names: bool) -> list[str]:
    """The mentor index (the section triggers of the search migration stay, and keep
    writing its `sections`), its triggers on profiles (and users), and its rows."""
    columns = "headline, sections, name" if with_names else "headline, sections"
    name_of_owner = f"(SELECT {NAME.format(u='users')} FROM users WHERE id = new.user_id)"
    statements = [
        *[f"DROP TRIGGER IF EXISTS {trigger}" for trigger in SQLITE_SEARCH_TRIGGERS],
        "DROP TABLE IF EXISTS mentor_search",
        f"CREATE VIRTUAL TABLE mentor_search USING fts5({columns}, {TOKENIZE})",
        f"""CREATE TRIGGER mentor_search_insert AFTER INSERT ON mentor_profiles BEGIN
               INSERT INTO mentor_search(rowid, {columns})
                   VALUES (new.id, new.headline, ''{', ' + name_of_owner if with_names else ''});
           END""",
        """CREATE TRIGGER mentor_search_headline AFTER UPDATE OF headline ON mentor_profiles BEGIN
               UPDATE mentor_search SET headline = new.headline WHERE rowid = new.id;
           END""",
        """CREATE TRIGGER mentor_search_delete AFTER DELETE ON mentor_profiles BEGIN
               DELETE FROM mentor_search WHERE rowid = old.id;
           END""",
    ]
    if with_names:
        statements += [
            f"""CREATE TRIGGER mentor_search_owner AFTER UPDATE OF user_id ON mentor_profiles BEGIN
                   UPDATE mentor_search SET name = {name_of_owner} WHERE rowid = new.id;
               END""",
            f"""CREATE TRIGGER mentor_search_name AFTER UPDATE OF display_name, username, closed_at ON users BEGIN
                   UPDATE mentor_search SET name = {NAME.format(u='new')}
                       WHERE rowid = (SELECT id FROM mentor_profiles WHERE user_id = new.id);
               END""",
        ]
    values = "p.headline, " + SECTIONS.format(profile="p.id") + (", " + NAME.format(u="u") if with_names else "")
    statements.append(f"""INSERT INTO mentor_search(rowid, {columns})
                              SELECT p.id, {values} FROM mentor_profiles AS p JOIN users AS u ON u.id = p.user_id""")
    return statements


ENGLISH = "'english'::regconfig"
SECTIONS_VECTOR = f"""setweight(to_tsvector({ENGLISH}, coalesce((
                   SELECT string_agg(body_md, ' ' ORDER BY position) FROM mentor_profile_sections
                   WHERE profile_id = profile AND NOT hidden), '')), 'B')"""

POSTGRESQL_UPGRADE = [
    f"""CREATE FUNCTION mentor_profile_search_vector(profile integer, headline text, owner integer) RETURNS tsvector
           LANGUAGE sql STABLE AS $$
           SELECT setweight(to_tsvector({ENGLISH}, coalesce(headline, '')), 'A')
               || setweight(to_tsvector({ENGLISH}, coalesce((
                   SELECT {NAME.format(u='users')} FROM users WHERE id = owner), '')), 'A')
               || {SECTIONS_VECTOR} $$""",
    """CREATE OR REPLACE FUNCTION mentor_profiles_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           NEW.search_vector := mentor_profile_search_vector(NEW.id, NEW.headline, NEW.user_id);
           RETURN NEW;
       END $$""",
    "DROP TRIGGER mentor_profiles_search ON mentor_profiles",
    """CREATE TRIGGER mentor_profiles_search BEFORE INSERT OR UPDATE OF headline, user_id ON mentor_profiles
           FOR EACH ROW EXECUTE FUNCTION mentor_profiles_search_refresh()""",
    """CREATE OR REPLACE FUNCTION mentor_sections_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           IF TG_OP IN ('UPDATE', 'DELETE') THEN
               UPDATE mentor_profiles SET search_vector = mentor_profile_search_vector(id, headline, user_id)
                   WHERE id = OLD.profile_id;
           END IF;
           IF TG_OP IN ('INSERT', 'UPDATE') THEN
               UPDATE mentor_profiles SET search_vector = mentor_profile_search_vector(id, headline, user_id)
                   WHERE id = NEW.profile_id;
           END IF;
           RETURN NULL;
       END $$""",
    "DROP FUNCTION mentor_profile_search_vector(integer, text)",
    """CREATE FUNCTION users_name_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           UPDATE mentor_profiles SET search_vector = mentor_profile_search_vector(id, headline, user_id)
               WHERE user_id = NEW.id;
           RETURN NULL;
       END $$""",
    """CREATE TRIGGER users_name_search AFTER UPDATE OF display_name, username, closed_at ON users
           FOR EACH ROW WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name
                              OR OLD.username IS DISTINCT FROM NEW.username
                              OR OLD.closed_at IS DISTINCT FROM NEW.closed_at)
           EXECUTE FUNCTION users_name_search_refresh()""",
    "UPDATE mentor_profiles SET search_vector = mentor_profile_search_vector(id, headline, user_id)",
]

POSTGRESQL_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS users_name_search ON users",
    "DROP FUNCTION IF EXISTS users_name_search_refresh()",
    f"""CREATE FUNCTION mentor_profile_search_vector(profile integer, headline text) RETURNS tsvector
           LANGUAGE sql STABLE AS $$
           SELECT setweight(to_tsvector({ENGLISH}, coalesce(headline, '')), 'A') || {SECTIONS_VECTOR} $$""",
    """CREATE OR REPLACE FUNCTION mentor_profiles_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           NEW.search_vector := mentor_profile_search_vector(NEW.id, NEW.headline);
           RETURN NEW;
       END $$""",
    "DROP TRIGGER mentor_profiles_search ON mentor_profiles",
    """CREATE TRIGGER mentor_profiles_search BEFORE INSERT OR UPDATE OF headline ON mentor_profiles
           FOR EACH ROW EXECUTE FUNCTION mentor_profiles_search_refresh()""",
    """CREATE OR REPLACE FUNCTION mentor_sections_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
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
    "DROP FUNCTION mentor_profile_search_vector(integer, text, integer)",
    "UPDATE mentor_profiles SET search_vector = mentor_profile_search_vector(id, headline)",
]


def _run(statements):
    for statement in statements:
        op.execute(statement)


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        _run(POSTGRESQL_UPGRADE)
    else:
        _run(_sqlite_mentor_search(with_names=True))


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        _run(POSTGRESQL_DOWNGRADE)
    else:
        _run(_sqlite_mentor_search(with_names=False))

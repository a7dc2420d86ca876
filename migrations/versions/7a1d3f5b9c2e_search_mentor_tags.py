"""search: a mentor is found by the tracks, knowledge areas and languages their card shows

A listener who typed "grief" in the directory's words box (or searched it) did not find a
mentor whose card lists the knowledge area Grief but whose sections never say the word:
the mentor index held the headline, the shown sections and the name only. It now holds the
names of the profile's tags too, ranked as the sections are, and kept up to date as a
mentor changes them (tags are shown to everyone who sees the card, so none is kept back).

SQLite: FTS5 cannot add a column, so `mentor_search` is made again with a `tags` column
last (the others keep their places, which highlighting names by number) and filled from the
profiles there; triggers on the profiles' tags carry changes across. PostgreSQL: the
function that makes the tsvector reads the tags too, and a trigger on the profiles' tags
refreshes the profile.

Revision ID: 7a1d3f5b9c2e
Revises: d4e8a1c7b3f9
Create Date: 2026-12-14 10:30:00

"""
from alembic import op

revision = "7a1d3f5b9c2e"
down_revision = "d4e8a1c7b3f9"
branch_labels = None
depends_on = None

TOKENIZE = "tokenize='porter unicode61 remove_diacritics 2'"
# As d5c3a7e9f1b2 writes them: the owner's name (nothing for a closed account), the shown sections.
NAME = "CASE WHEN {u}.closed_at IS NULL THEN {u}.display_name || ' ' || {u}.username ELSE '' END"
SECTIONS = """coalesce((SELECT group_concat(body_md, ' ') FROM (
                   SELECT body_md FROM mentor_profile_sections
                   WHERE profile_id = {profile} AND NOT hidden ORDER BY position)), '')"""
TAGS = """coalesce((SELECT group_concat(name, ' ') FROM (
               SELECT mentor_tags.name FROM mentor_profile_tags
               JOIN mentor_tags ON mentor_tags.id = mentor_profile_tags.tag_id
               WHERE mentor_profile_tags.profile_id = {profile} ORDER BY mentor_profile_tags.position)), '')"""
SQLITE_PROFILE_TRIGGERS = ("mentor_search_insert", "mentor_search_headline", "mentor_search_delete",
                           "mentor_search_owner", "mentor_search_name")
SQLITE_TAG_TRIGGERS = ("mentor_search_tags_insert", "mentor_search_tags_update", "mentor_search_tags_delete")


def _sqlite_mentor_search(with_tags: bool) -> list[str]:
    """The mentor index (the section triggers of the search migration stay, and keep
    writing its `sections`), its triggers on profiles, users (and tags), and its rows."""
    columns = "headline, sections, name, tags" if with_tags else "headline, sections, name"
    name_of_owner = f"(SELECT {NAME.format(u='users')} FROM users WHERE id = new.user_id)"
    statements = [
        *[f"DROP TRIGGER IF EXISTS {trigger}" for trigger in SQLITE_PROFILE_TRIGGERS + SQLITE_TAG_TRIGGERS],
        "DROP TABLE IF EXISTS mentor_search",
        f"CREATE VIRTUAL TABLE mentor_search USING fts5({columns}, {TOKENIZE})",
        f"""CREATE TRIGGER mentor_search_insert AFTER INSERT ON mentor_profiles BEGIN
               INSERT INTO mentor_search(rowid, {columns})
                   VALUES (new.id, new.headline, '', {name_of_owner}{", ''" if with_tags else ''});
           END""",
        """CREATE TRIGGER mentor_search_headline AFTER UPDATE OF headline ON mentor_profiles BEGIN
               UPDATE mentor_search SET headline = new.headline WHERE rowid = new.id;
           END""",
        """CREATE TRIGGER mentor_search_delete AFTER DELETE ON mentor_profiles BEGIN
               DELETE FROM mentor_search WHERE rowid = old.id;
           END""",
        f"""CREATE TRIGGER mentor_search_owner AFTER UPDATE OF user_id ON mentor_profiles BEGIN
               UPDATE mentor_search SET name = {name_of_owner} WHERE rowid = new.id;
           END""",
        f"""CREATE TRIGGER mentor_search_name AFTER UPDATE OF display_name, username, closed_at ON users BEGIN
               UPDATE mentor_search SET name = {NAME.format(u='new')}
                   WHERE rowid = (SELECT id FROM mentor_profiles WHERE user_id = new.id);
           END""",
    ]
    if with_tags:
        def retag(row: str) -> str:
            return f"UPDATE mentor_search SET tags = {TAGS.format(profile=row + '.profile_id')} " \
                   f"WHERE rowid = {row}.profile_id;"
        statements += [
            f"""CREATE TRIGGER mentor_search_tags_insert AFTER INSERT ON mentor_profile_tags BEGIN
                   {retag('new')}
               END""",
            f"""CREATE TRIGGER mentor_search_tags_update AFTER UPDATE ON mentor_profile_tags BEGIN
                   {retag('old')}
                   {retag('new')}
               END""",
            f"""CREATE TRIGGER mentor_search_tags_delete AFTER DELETE ON mentor_profile_tags BEGIN
                   {retag('old')}
               END""",
        ]
    values = ", ".join(["p.headline", SECTIONS.format(profile="p.id"), NAME.format(u="u")]
                       + ([TAGS.format(profile="p.id")] if with_tags else []))
    statements.append(f"""INSERT INTO mentor_search(rowid, {columns})
                              SELECT p.id, {values} FROM mentor_profiles AS p JOIN users AS u ON u.id = p.user_id""")
    return statements


ENGLISH = "'english'::regconfig"
SECTIONS_VECTOR = f"""setweight(to_tsvector({ENGLISH}, coalesce((
                   SELECT string_agg(body_md, ' ' ORDER BY position) FROM mentor_profile_sections
                   WHERE profile_id = profile AND NOT hidden), '')), 'B')"""
TAGS_VECTOR = f"""setweight(to_tsvector({ENGLISH}, coalesce((
                   SELECT string_agg(mentor_tags.name, ' ' ORDER BY mentor_profile_tags.position)
                   FROM mentor_profile_tags JOIN mentor_tags ON mentor_tags.id = mentor_profile_tags.tag_id
                   WHERE mentor_profile_tags.profile_id = profile), '')), 'B')"""


def _postgresql_vector_function(with_tags: bool) -> str:
    return f"""CREATE OR REPLACE FUNCTION mentor_profile_search_vector(profile integer, headline text, owner integer)
           RETURNS tsvector LANGUAGE sql STABLE AS $$
           SELECT setweight(to_tsvector({ENGLISH}, coalesce(headline, '')), 'A')
               || setweight(to_tsvector({ENGLISH}, coalesce((
                   SELECT {NAME.format(u='users')} FROM users WHERE id = owner), '')), 'A')
               || {SECTIONS_VECTOR}{' || ' + TAGS_VECTOR if with_tags else ''} $$"""


REFRESH_ALL = "UPDATE mentor_profiles SET search_vector = mentor_profile_search_vector(id, headline, user_id)"

POSTGRESQL_UPGRADE = [
    _postgresql_vector_function(with_tags=True),
    """CREATE FUNCTION mentor_tags_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
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
    """CREATE TRIGGER mentor_tags_search AFTER INSERT OR UPDATE OR DELETE ON mentor_profile_tags
           FOR EACH ROW EXECUTE FUNCTION mentor_tags_search_refresh()""",
    REFRESH_ALL,
]

POSTGRESQL_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS mentor_tags_search ON mentor_profile_tags",
    "DROP FUNCTION IF EXISTS mentor_tags_search_refresh()",
    _postgresql_vector_function(with_tags=False),
    REFRESH_ALL,
]


def _run(statements):
    for statement in statements:
        op.execute(statement)


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        _run(POSTGRESQL_UPGRADE)
    else:
        _run(_sqlite_mentor_search(with_tags=True))


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        _run(POSTGRESQL_DOWNGRADE)
    else:
        _run(_sqlite_mentor_search(with_tags=False))

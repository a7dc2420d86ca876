"""The database objects search keeps outside the models, by name.

The full-text indexes are made with raw SQL in the search migration (FTS5 virtual tables
on SQLite, tsvector columns with GIN indexes on PostgreSQL), because neither is something
SQLAlchemy models describe. Alembic's comparison of models and database would otherwise
report them as tables, columns and indexes to drop; `include_object` tells it to look away,
and nothing else.
"""

# FTS5 virtual tables; SQLite also makes shadow tables named after each (`post_search_data`, ...).
# And, on SQLite, the range of post ids written each day (forum/search/backends/sqlite.py).
SEARCH_TABLES = ("post_search", "idea_call_search", "mentor_search", "post_search_days")
FTS5_SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")
# PostgreSQL: a tsvector column on each searched table, with its GIN index.
SEARCH_COLUMN = "search_vector"
SEARCH_INDEXES = ("ix_posts_search_vector", "ix_idea_calls_search_vector", "ix_mentor_profiles_search_vector")


def is_search_table(name: str) -> bool:
    return name in SEARCH_TABLES or any(
        name == table + suffix for table in SEARCH_TABLES for suffix in FTS5_SHADOW_SUFFIXES)


def include_object(object_, name, type_, reflected, compare_to) -> bool:
    """Alembic hook: leave out the search index objects found in the database only."""
    if not reflected or compare_to is not None:
        return True
    if type_ == "table":
        return not is_search_table(name)
    if type_ == "column":
        return name != SEARCH_COLUMN
    if type_ == "index":
        return name not in SEARCH_INDEXES
    return True

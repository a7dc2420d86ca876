"""`flask --app forum search-optimize`: fold the search index's recent writes into its
main structure, as a nightly job.

Both engines take writes cheaply by keeping them apart from the main index, and every
search then reads the parts as well. FTS5 writes each transaction's words as a new
segment and merges segments only a few at a time, so a forum grown by single posts holds
several; finding one post's words (which highlighting does for each result of a page)
looks in every segment. At 200,000 posts, "gentle boundaries" cost 62 M instructions a
search before the segments were merged into one and 42 M after (bench.instructions), its
page's highlights 2.2 ms of SQL against 0.6 ms. PostgreSQL's GIN indexes keep new entries
in a pending list that every search reads in full until autovacuum, or this, moves them in
(PostgreSQL lets only the indexes' owner, the user that ran the migrations, do it).

Nothing is lost or found differently: the same words point to the same rows. On
PostgreSQL writes go on while it runs; on SQLite they wait for it as for any other write
(about a second at 200,000 posts, well within the busy timeout).
"""
from forum.extensions import db
from forum.search.backends import backend_for_session


def optimize_search_index() -> str:
    """Merge the index's parts on the database in use; say what was done."""
    done = backend_for_session().merge_index_parts()
    db.session.commit()
    return done

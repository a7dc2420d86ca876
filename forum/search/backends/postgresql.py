"""Search on PostgreSQL: the tsvector columns the search migration made (GIN-indexed),
ranked by ts_rank, highlighted by ts_headline."""
from sqlalchemy import func, literal_column, select, text
from sqlalchemy.dialects.postgresql import aggregate_order_by

from forum.extensions import db
from forum.models.ideas import IdeaCall
from forum.models.mentors import MentorProfile, ProfileSection
from forum.models.posts import Post, Thread
from forum.search.backends import Match, Snippets
from forum.search.terms import MARK_START, MARK_STOP

ENGLISH = literal_column("'english'::regconfig")
HEADLINE_OPTIONS = f'StartSel="{MARK_START}", StopSel="{MARK_STOP}", MaxWords=35, MinWords=15, ShortWord=2'
WHOLE_FIELD = f'StartSel="{MARK_START}", StopSel="{MARK_STOP}", HighlightAll=true'


def _vector(table):
    # The column is not in the models (see forum/search/schema.py), so it is named here.
    return literal_column(f"{table.__tablename__}.search_vector")


def _query(terms):
    # plainto_tsquery reads words only: none of what a reader types is an operator.
    return func.plainto_tsquery(ENGLISH, " ".join(terms))


def _match(model, terms) -> Match:
    vector, query = _vector(model), _query(terms)
    # Negated so that, as with bm25 on SQLite, a lower score ranks first.
    return Match(model.__table__, vector.op("@@")(query), -func.ts_rank(vector, query),
                 newest_first=model.__mapper__.primary_key[0].desc())


def _headline(text, terms, options=HEADLINE_OPTIONS):
    return func.ts_headline(ENGLISH, text, _query(terms), options)


class PostgresSearch:
    name = "postgresql"

    # Its GIN index gives every match at once, in no useful order (forum/search/services.py).
    finds_older_posts_late = True

    def plan_for_these_words(self) -> None:
        """Plan this transaction's statements for the words asked: prepared statements
        (forum/ops/transactions.py) otherwise fall back to one generic plan, which knows
        no word's frequency ("gentle boundaries" took 41 ms instead of 10). And no
        parallel plans, whose Append may read the older posts before the recent ones."""
        db.session.execute(text("SELECT set_config('plan_cache_mode', 'force_custom_plan', true), "
                                "set_config('max_parallel_workers_per_gather', '0', true)"))

    def posts(self, terms) -> Match:
        return _match(Post, terms)

    def calls(self, terms) -> Match:
        return _match(IdeaCall, terms)

    def mentors(self, terms) -> Match:
        return _match(MentorProfile, terms)

    def post_snippets(self, terms, ids) -> Snippets:
        if not ids:
            return Snippets({}, {})
        rows = db.session.execute(select(Post.id, _headline(Post.body_md, terms)).where(Post.id.in_(ids))).all()
        return Snippets(title={}, text=dict(rows))

    def call_snippets(self, terms, ids) -> Snippets:
        if not ids:
            return Snippets({}, {})
        rows = db.session.execute(
            select(IdeaCall.thread_id, _headline(Thread.title, terms, WHOLE_FIELD), _headline(IdeaCall.question_md, terms))
            .join(Thread, Thread.id == IdeaCall.thread_id).where(IdeaCall.thread_id.in_(ids))).all()
        return Snippets(title={row[0]: row[1] for row in rows}, text={row[0]: row[2] for row in rows})

    def mentor_snippets(self, terms, ids) -> Snippets:
        if not ids:
            return Snippets({}, {})
        in_order = aggregate_order_by(literal_column("' '"), ProfileSection.position)
        sections = (select(func.string_agg(ProfileSection.body_md, in_order))
                    .where(ProfileSection.profile_id == MentorProfile.id, ProfileSection.hidden.is_(False))
                    .scalar_subquery())
        rows = db.session.execute(
            select(MentorProfile.id, _headline(MentorProfile.headline, terms, WHOLE_FIELD),
                   _headline(func.coalesce(sections, ""), terms))
            .where(MentorProfile.id.in_(ids))).all()
        return Snippets(title={row[0]: row[1] for row in rows}, text={row[0]: row[2] for row in rows})

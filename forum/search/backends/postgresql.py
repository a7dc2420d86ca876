"""Search on PostgreSQL: the tsvector columns the search migration made (GIN-indexed),
ranked by ts_rank, highlighted by ts_headline."""
from contextlib import contextmanager

from sqlalchemy import bindparam, case, func, literal_column, select, text
from sqlalchemy.dialects.postgresql import aggregate_order_by

from forum.extensions import db
from forum.models.ideas import IdeaCall
from forum.models.mentors import MentorProfile, ProfileSection
from forum.models.posts import Post, Thread
from forum.search.backends import Highlights, Match, Plan
from forum.search.schema import SEARCH_INDEXES
from forum.search.terms import MARK_START, MARK_STOP

# English with accents folded, as SQLite's remove_diacritics folds them ("cafe" finds "café"):
# made by migration e4c2a8f6b1d9, which the tsvector columns use too.
CONFIG = "english_unaccent"
FOLDED_ENGLISH = literal_column(f"'{CONFIG}'::regconfig")
HEADLINE_OPTIONS = f'StartSel="{MARK_START}", StopSel="{MARK_STOP}", MaxWords=35, MinWords=15, ShortWord=2'
WHOLE_FIELD = f'StartSel="{MARK_START}", StopSel="{MARK_STOP}", HighlightAll=true'
# A longer text's snippet is one fragment, which ts_headline stretches to both sides of
# the match, as SQLite's snippet does: without it, the snippet began at the first matched
# word and grew to the right only, so "sleep" showed "sleep 2. Several listeners…" and
# not what was said of sleep. A fragment also sheds a short first word and the last
# full stop, so a text about as long as a snippet is shown whole.
AROUND_THE_MATCH = HEADLINE_OPTIONS + ", MaxFragments=1"
SHOWN_WHOLE_UP_TO = 200  # characters: about the 35 words of a snippet


def _vector(table):
    # The column is not in the models (see forum/search/schema.py), so it is named here.
    return literal_column(f"{table.__tablename__}.search_vector")


def _query(words):
    # plainto_tsquery reads words only: none of what a reader types is an operator.
    return func.plainto_tsquery(FOLDED_ENGLISH, words)


def _match(model, words) -> Match:
    vector, query = _vector(model), _query(words)
    # Negated so that, as with bm25 on SQLite, a lower score ranks first.
    return Match(model.__table__, vector.op("@@")(query), -func.ts_rank(vector, query),
                 newest_first=model.__mapper__.primary_key[0].desc())


def _headline(text, words, options=HEADLINE_OPTIONS):
    return func.ts_headline(FOLDED_ENGLISH, text, _query(words), options)


def _snippet(text, words):
    return case((func.length(text) <= SHOWN_WHOLE_UP_TO, _headline(text, words, WHOLE_FIELD)),
                else_=_headline(text, words, AROUND_THE_MATCH))


def _visible_sections(profile):
    in_order = aggregate_order_by(literal_column("' '"), ProfileSection.position)
    return (select(func.string_agg(ProfileSection.body_md, in_order))
            .where(ProfileSection.profile_id == profile.id, ProfileSection.hidden.is_(False))
            .scalar_subquery())


class PostgresSearch:
    name = "postgresql"

    # Its GIN index gives every match at once, in no useful order (forum/search/ranking.py).
    finds_older_posts_late = True
    # ts_headline works on each row's text, found by id: nothing to narrow.
    narrows_highlights = False
    # The ranked statement is planned afresh for its words on every search, so the reader's
    # visibility reads its sets of ids first and binds them: planning the subqueries that
    # would read them, in each branch of the statement, took a third of its time.
    binds_reader_sets = True

    def words(self, terms) -> str:
        return " ".join(terms)

    @contextmanager
    def planned_for_these_words(self, terms):
        """Plan the ranking for the words asked: prepared statements (forum/ops/
        transactions.py) otherwise fall back to one generic plan, which knows no word's
        frequency ("gentle boundaries" took 41 ms instead of 10). And no parallel plans,
        whose Append may read the older posts before the recent ones. Binds the newest
        post's id: a window of recent posts the planner can see the size of
        (forum/search/ranking.py). And says which words are stop words, which
        plainto_tsquery drops, in the same statement rather than one more.

        Afterwards the rest of the page (highlights by id, the header's unread count) runs
        its prepared statements again instead of planning each afresh (about 1.5 ms)."""
        settings = db.session.execute(text(
            "SELECT before.plan_cache_mode, "
            "set_config('plan_cache_mode', 'force_custom_plan', true), "
            "set_config('max_parallel_workers_per_gather', '0', true), "
            "(SELECT max(id) FROM posts) AS newest_post_id, "
            # A stop word's vector is empty (to_tsvector, unlike plainto_tsquery, says so
            # without a NOTICE).
            "ARRAY(SELECT typed.word FROM unnest(CAST(:terms AS text[])) WITH ORDINALITY AS typed(word, position) "
            f"      WHERE to_tsvector('{CONFIG}', typed.word) = ''::tsvector ORDER BY typed.position) AS too_common "
            # Read before it is set: OFFSET 0 keeps the subquery from being folded in.
            "FROM (SELECT current_setting('plan_cache_mode') AS plan_cache_mode OFFSET 0) AS before"),
            {"terms": list(terms)}).one()
        yield Plan({"newest_post_id": settings.newest_post_id}, list(settings.too_common))
        db.session.execute(text("SELECT set_config('plan_cache_mode', :mode, true)"),
                           {"mode": settings.plan_cache_mode})

    def too_common(self, terms) -> list[str]:
        """The words plainto_tsquery drops (English stop words), in the order typed, in one
        statement: for the directory's words box, which asks only when nothing matched."""
        return list(db.session.scalars(text(
            "SELECT typed.word FROM unnest(CAST(:terms AS text[])) WITH ORDINALITY AS typed(word, position) "
            f"WHERE to_tsvector('{CONFIG}', typed.word) = ''::tsvector ORDER BY typed.position"),
            {"terms": list(terms)}))

    def posts_in_threads(self):
        """Only posts in the threads bound as `part_threads`: the index on (thread_id, …)
        gives them, for the planner to intersect with the words' matches."""
        return Post.thread_id.in_(bindparam("part_threads", expanding=True))

    def part_threads_params(self, thread_ids: list[int]) -> dict:
        return {"part_threads": thread_ids}

    def posts_by_author(self):
        """Nothing more than `author_id = …`, which the planner intersects through its index."""
        return None

    def author_params(self, author_id: int) -> dict:
        return {}

    def posts_in_dates(self, since: bool, until: bool) -> list:
        """Nothing more than the posts' own dates: the planner intersects the words' matches
        with the posts of a narrow or old range through ix_posts_created_at, and checks a
        wide recent one on the matches. (Before that index, up to an old date, "listening"
        cost 18 ms against 8.5 without; 200,000 posts, 6 December.)
        SQLite's table of each day's ids is not copied here: its row for today, updated by
        every new post and held until each commit, would make every post wait its turn."""
        return []

    def date_params(self, since, until) -> dict:
        return {}

    def merge_index_parts(self) -> str:
        """Move the GIN indexes' pending entries into the indexes (forum/search/maintenance.py)."""
        for index in SEARCH_INDEXES:
            db.session.execute(text("SELECT gin_clean_pending_list(CAST(:index AS regclass))"), {"index": index})
        return "PostgreSQL: pending entries of the GIN indexes moved in"

    def posts(self, words) -> Match:
        return _match(Post, words)

    def calls(self, words) -> Match:
        return _match(IdeaCall, words)

    def mentors(self, words) -> Match:
        return _match(MentorProfile, words)

    def mentors_matching(self, words):
        """SQL: the profile's indexed words (headline, shown sections, name, tags) hold all of `words`,
        for the directory's words box (forum/mentors/directory.py), through the GIN index."""
        return _vector(MentorProfile).op("@@")(_query(words))

    def post_highlights(self, words) -> Highlights:
        return Highlights(Post.__table__, Post.id, None, _snippet(Post.body_md, words))

    def call_highlights(self, words) -> Highlights:
        return Highlights(IdeaCall.__table__, IdeaCall.thread_id, _headline(Thread.title, words, WHOLE_FIELD),
                          _snippet(IdeaCall.question_md, words))

    def mentor_highlights(self, words) -> Highlights:
        return Highlights(MentorProfile.__table__, MentorProfile.id,
                          _headline(MentorProfile.headline, words, WHOLE_FIELD),
                          _snippet(func.coalesce(_visible_sections(MentorProfile), ""), words))


POSTGRES_SEARCH = PostgresSearch()

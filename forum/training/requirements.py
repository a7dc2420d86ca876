"""What a discussion asks of a trainee, and how far they are, from one statement over the
trainee's own posts in the discussion.

A discussion is done with a response (a top-level post) of at least `min_words` words and
replies to the responses of at least `required_peer_replies` different fellow trainees
(people enrolled in the same program; replies to yourself do not count, and two replies
to the same trainee count once; a fellow who left the program since is one still, since
what they wrote stays). Removed posts do not count; a reply to a response a
moderator hid since still does (the trainee did answer it). After a trainer reopens a
discussion, only posts written after the reopening count.
"""
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, case, exists, func, or_, select
from sqlalchemy.orm import aliased

from forum.extensions import db
from forum.models.posts import Post
from forum.models.training import Discussion, DiscussionReopening, Enrollment
from forum.training.records import asked_of_enrolled

# A number with a decimal point or thousands separators ("7.5", "10,000") is one word.
_WORD = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+(?:['’-][^\W_]+)*")
# Markdown's list markers ("1.", "2)", "-", "*", "+", nested or in a quote) at the start of a
# line: numbering is not words, or "1. tired 2. sad 3. ok" would count twice its words.
_LIST_MARKERS = re.compile(r"^[ \t>]*(?:(?:\d{1,9}[.)]|[-*+])(?:[ \t]+|$))+")
# The post a reply answers. Made once: an alias builds its columns on first use, which
# cost 0.4 ms on every discussion page when a new one was made for every request.
_RESPONSE = aliased(Post, name="response")


def _line_key(line: str) -> str:
    return " ".join(line.split()).lower()


def count_words(body: str, template: str = "") -> int:
    """Words the trainee wrote: lines left exactly as in the response template don't count,
    nor list numbers; a number in the text ("my 3 highs") does."""
    untouched = {_line_key(line) for line in template.splitlines() if line.strip()}
    return sum(len(_WORD.findall(_LIST_MARKERS.sub("", line)))
               for line in body.splitlines() if _line_key(line) not in untouched)


@dataclass
class Checklist:
    """How far a trainee is in one discussion, for the checklist and the completion check."""

    min_words: int
    needed_peers: int
    best_response_words: int = 0
    has_response: bool = False
    peers_replied: int = 0
    # The fellow trainees those replies answer (ids).
    peer_ids: frozenset[int] = frozenset()
    # Their live replies under their own response (a reply to a reply joins the response
    # it is under): they never count, and the checklist says so.
    replies_to_self: int = 0
    # Their live replies under a fellow trainee's response they had replied under already: a fellow counts once,
    # and the checklist says so too.
    repeat_replies: int = 0
    # Fellow trainees who have posted, and those taking part who have not yet, read only
    # while replies are missing (None otherwise).
    fellows_posted: int | None = None
    fellows_to_come: int | None = None

    @property
    def response_ok(self) -> bool:
        return self.has_response and self.best_response_words >= self.min_words

    @property
    def replies_ok(self) -> bool:
        return self.peers_replied >= self.needed_peers

    @property
    def met(self) -> bool:
        return self.response_ok and self.replies_ok

    @property
    def replies_counted(self) -> int:
        return min(self.peers_replied, self.needed_peers)

    @property
    def fellows_awaited(self) -> int:
        """How many more fellow trainees must post a response before enough replies can be written."""
        return max(self.needed_peers - (self.fellows_posted or 0), 0)

    @property
    def out_of_reach(self) -> bool:
        """The program holds fewer fellow trainees than the replies asked: waiting can't
        meet it, only more trainees enrolling or a trainer asking fewer."""
        return (self.fellows_to_come is not None
                and self.fellows_posted + self.fellows_to_come < self.needed_peers)

    @property
    def fellows_in_reach(self) -> int:
        return (self.fellows_posted or 0) + (self.fellows_to_come or 0)


def fellows_posted_and_to_come(user_id: int, discussion, counted: frozenset[int] = frozenset()) -> tuple[int, int]:
    """How many fellow trainees have a live response in the discussion, or one the trainee's
    counted replies answer (`counted`: their ids; a moderator may have hidden it since, and
    the reply still counts): the most people a trainee can count replies to there for now;
    and how many more take part in the program, are asked the discussion and have not posted
    one yet: those the trainee may still wait for. Not those who completed the program before
    it was added: it is only offered to them. One statement.
    A fellow whose only posts are replies has not posted: a reply to a reply joins the
    response it is under, so it answers that response's author."""
    live = and_(Post.deleted_at.is_(None), Post.hidden_at.is_(None))
    responded = or_(live, Post.author_id.in_(counted)) if counted else live
    response_here = (Post.thread_id == discussion.thread_id, Post.parent_id.is_(None), responded)
    posted = (select(func.count(func.distinct(Post.author_id)))
              .join(Enrollment, and_(Enrollment.user_id == Post.author_id,
                                     Enrollment.program_id == discussion.program_id))
              .where(Post.author_id != user_id, *response_here).scalar_subquery())
    to_come = (select(func.count(Enrollment.id))
               .where(Enrollment.program_id == discussion.program_id, Enrollment.user_id != user_id,
                      Enrollment.left_at.is_(None), asked_of_enrolled(discussion.id),
                      ~exists().where(Post.author_id == Enrollment.user_id, *response_here))
               .scalar_subquery())
    return tuple(db.session.execute(select(posted, to_come)).one())


@dataclass
class FellowCounts:
    """Of a program's enrolments, for one discussion: who can respond there for trainees to reply to."""

    enrolled: int  # taking part
    asked: int  # of those, the ones it is asked of: held up if it asks too much
    # Taking part, not asked it (they completed the program before it was added) and without
    # a response there: the trainer is told why they are not counted.
    not_coming: int = 0
    # Who left with a response there: a reply to it still counts.
    left_having_responded: int = 0

    @property
    def others(self) -> int:
        """The fellow trainees each trainee asked it has to reply to, there or still to come."""
        return self.enrolled - self.not_coming - 1 + self.left_having_responded


def too_few_fellows_warnings(discussions) -> dict[int, str]:
    """too_few_fellows_warning for each of a program's `discussions` that asks too much, by
    id. One statement."""
    if not discussions:
        return {}
    counts = _fellow_counts([discussion.id for discussion in discussions])
    return {discussion.id: warning for discussion in discussions
            if discussion.id in counts and (warning := too_few_fellows_warning(discussion, counts[discussion.id]))}


def _fellow_counts(discussion_ids: list[int]) -> dict[int, FellowCounts]:
    """Discussion id -> FellowCounts, for those of them whose program has had anyone enrol."""
    responded = exists().where(Post.thread_id == Discussion.thread_id, Post.author_id == Enrollment.user_id,
                               Post.parent_id.is_(None), Post.deleted_at.is_(None), Post.hidden_at.is_(None))
    taking_part, asked = Enrollment.left_at.is_(None), asked_of_enrolled(Discussion.id)

    def how_many(*where):
        return func.count(case((and_(*where), 1)))
    rows = db.session.execute(
        select(Discussion.id, how_many(taking_part), how_many(taking_part, asked),
               how_many(taking_part, ~asked, ~responded), how_many(~taking_part, responded))
        .join(Enrollment, Enrollment.program_id == Discussion.program_id)
        .where(Discussion.id.in_(discussion_ids)).group_by(Discussion.id))
    return {discussion_id: FellowCounts(*numbers) for discussion_id, *numbers in rows}


def too_few_fellows_warning(discussion, counts: FellowCounts) -> str | None:
    """What a trainer is told when `discussion` asks each trainee it is asked of to reply to
    more fellow trainees than they have: the others enrolled, but for those it is not asked of
    who have not responded there, and those who left having responded there. Nobody can
    complete it, nor open what follows, until more enrol. None when it fits, and while it is
    asked of nobody taking part (nobody is held up yet)."""
    needed, others = discussion.required_peer_replies, counts.others
    if counts.asked < 1 or needed <= others:
        return None
    asks = "a fellow trainee" if needed == 1 else f"{needed} different fellow trainees"
    if counts.enrolled == 1 and others == 0:
        holds = "only 1 trainee is enrolled, with nobody else to reply to"
    else:
        holds = f"only {counts.enrolled} trainee{' is' if counts.enrolled == 1 else 's are'} enrolled"
        if counts.not_coming:
            holds += (f", {counts.not_coming} of whom completed the program before it was added and "
                      f"{'has' if counts.not_coming == 1 else 'have'} not responded there")
            holds += "," if counts.left_having_responded else ""
        if left := counts.left_having_responded:
            holds += f" and {left} who left {'has' if left == 1 else 'have'} a response there"
        holds += (f", so each has {others} {'other' if others == 1 else 'others'} to reply to" if others
                  else ", so there is nobody else to reply to")
    return (f"“{discussion.title}” asks each trainee to reply to {asks}, but {holds}: nobody can complete it "
            "from now on until more trainees enrol or it asks for fewer replies.")


def counting_since(enrollment_id: int, discussion_id: int) -> datetime | None:
    """When the discussion was last reopened for this enrolment: older posts no longer count."""
    return db.session.scalar(select(func.max(DiscussionReopening.reopened_at)).where(
        DiscussionReopening.enrollment_id == enrollment_id,
        DiscussionReopening.discussion_id == discussion_id))


def _own_live_posts(with_since: bool):
    """Select a row per live post of the trainee in the discussion: a response's text (NULL
    for a reply), and for a reply the author of the response it answers when that author is
    a fellow trainee (NULL otherwise).

    One statement for the whole checklist, read on every discussion page and after every
    post there; made once for each of its two forms, its values left as parameters."""
    response = _RESPONSE
    statement = (
        select(Post.parent_id, case((Post.parent_id.is_(None), Post.body_md)), Enrollment.user_id)
        .select_from(Post)
        .outerjoin(response, Post.parent_id == response.id)
        .outerjoin(Enrollment, and_(Enrollment.user_id == response.author_id,
                                    Enrollment.program_id == bindparam("program_id")))
        .where(Post.thread_id == bindparam("thread_id"), Post.author_id == bindparam("user_id"),
               Post.deleted_at.is_(None), Post.hidden_at.is_(None)))
    if with_since:
        statement = statement.where(Post.created_at > bindparam("since"))
    return statement


_OWN_LIVE_POSTS = {False: _own_live_posts(False), True: _own_live_posts(True)}


def checklist_for(user_id: int, discussion, since: datetime | None) -> Checklist:
    """`since`: when the discussion was last reopened for the trainee (see `counting_since`)."""
    parameters = {"program_id": discussion.program_id, "thread_id": discussion.thread_id, "user_id": user_id}
    if since is not None:
        parameters["since"] = since
    word_counts, peers, to_self, to_peers = [], set(), 0, 0
    for parent_id, response_text, peer_id in db.session.execute(_OWN_LIVE_POSTS[since is not None], parameters):
        if parent_id is None:
            word_counts.append(count_words(response_text, discussion.response_template))
        elif peer_id == user_id:
            to_self += 1
        elif peer_id is not None:
            peers.add(peer_id)
            to_peers += 1
    return Checklist(min_words=discussion.min_words, needed_peers=discussion.required_peer_replies,
                     best_response_words=max(word_counts, default=0), has_response=bool(word_counts),
                     peers_replied=len(peers), peer_ids=frozenset(peers),
                     replies_to_self=to_self, repeat_replies=to_peers - len(peers))

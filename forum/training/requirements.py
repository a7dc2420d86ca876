"""What a discussion asks of a trainee, and how far they are: counted in SQL, not in loops.

A discussion is done with a response (a top-level post) of at least `min_words` words and
replies to the responses of at least `required_peer_replies` different fellow trainees
(people enrolled in the same program; replies to yourself do not count, and two replies
to the same trainee count once). Removed posts do not count. After a trainer reopens a
discussion, only posts written after the reopening count.
"""
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, distinct, func, select
from sqlalchemy.orm import aliased

from forum.extensions import db
from forum.models.posts import Post
from forum.models.training import DiscussionReopening, Enrollment

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
# The post a reply answers. Made once: an alias builds its columns on first use, which
# cost 0.4 ms on every discussion page when a new one was made for every request.
_RESPONSE = aliased(Post, name="response")


def _line_key(line: str) -> str:
    return " ".join(line.split()).lower()


def count_words(body: str, template: str = "") -> int:
    """Words the trainee wrote: lines left exactly as in the response template don't count."""
    untouched = {_line_key(line) for line in template.splitlines() if line.strip()}
    return sum(len(_WORD.findall(line)) for line in body.splitlines() if _line_key(line) not in untouched)


@dataclass
class Checklist:
    """How far a trainee is in one discussion, for the checklist and the completion check."""

    min_words: int
    needed_peers: int
    best_response_words: int = 0
    has_response: bool = False
    peers_replied: int = 0

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


def counting_since(enrollment_id: int, discussion_id: int) -> datetime | None:
    """When the discussion was last reopened for this enrolment: older posts no longer count."""
    return db.session.scalar(select(func.max(DiscussionReopening.reopened_at)).where(
        DiscussionReopening.enrollment_id == enrollment_id,
        DiscussionReopening.discussion_id == discussion_id))


def _live_posts_by(user_id: int, thread_id: int, since: datetime | None):
    clauses = [Post.thread_id == thread_id, Post.author_id == user_id,
               Post.deleted_at.is_(None), Post.hidden_at.is_(None)]
    if since is not None:
        clauses.append(Post.created_at > since)
    return clauses


def peers_replied_to(user_id: int, discussion, since: datetime | None = None) -> int:
    """How many different fellow trainees' responses `user_id` replied to in the discussion."""
    response = _RESPONSE
    statement = (
        select(func.count(distinct(response.author_id)))
        .select_from(Post)
        .join(response, Post.parent_id == response.id)
        .join(Enrollment, and_(Enrollment.user_id == response.author_id,
                               Enrollment.program_id == discussion.program_id))
        .where(*_live_posts_by(user_id, discussion.thread_id, since), response.author_id != user_id)
    )
    return db.session.scalar(statement) or 0


def response_word_counts(user_id: int, discussion, since: datetime | None = None) -> list[int]:
    """Word counts of the trainee's own live responses (usually one)."""
    bodies = db.session.scalars(select(Post.body_md).where(
        *_live_posts_by(user_id, discussion.thread_id, since), Post.parent_id.is_(None)))
    return [count_words(body, discussion.response_template) for body in bodies]


def checklist_for(user_id: int, discussion, since: datetime | None) -> Checklist:
    """`since`: when the discussion was last reopened for the trainee (see `counting_since`)."""
    counts = response_word_counts(user_id, discussion, since)
    return Checklist(min_words=discussion.min_words, needed_peers=discussion.required_peer_replies,
                     best_response_words=max(counts, default=0), has_response=bool(counts),
                     peers_replied=peers_replied_to(user_id, discussion, since))

"""Fill an empty database with a busy community, quickly: rows are built in Python with
their ids and counters, then written with bulk inserts (forum/bench/writer.py).

The shape (defaults; every number can be scaled down for tests):
- 5,000 people: listeners, 1,000 mentors, trainers, moderators; one in eight a teen.
- Two programs; the first one's opening discussion holds 1,000 responses, each with a
  peer reply, and the trainees who answered have completed it (a badge for finishing).
- A call with 1,000 ideas, a reply each and 20,000 reactions, and four smaller calls.
- 1,000 mentor profiles with sections, tags and hours; 20,000 reviews (500 for one
  mentor), each from a closed mentorship, some with their private conversation.
- The rest of the posts spread over threads (some for teens, adults, or badge holders),
  with replies, reactions, @mentions and the notifications they send.

Counters kept on write (post and reply counts, reactions, ratings, responsiveness) are
computed from the rows made here, so they agree with the rows; the search index fills
itself through the database's triggers and generated columns.
"""
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace

from forum.accounts.passwords import hash_password
from forum.bench.people import PeopleMaker
from forum.bench.text import TextMaker
from forum.bench.writer import BulkWriter
from forum.extensions import db
from forum.links import path_for
from forum.mentors.responsiveness import Span, course_of, wait_of
from forum.models.posts import REACTION_KINDS
from forum.posts.policies import policy_for
from forum.posts.text import render_post_body
from forum.text import render_markdown

BENCH_PASSWORD = "bench-password"
MAIN_PROGRAM = "bench-listening-basics"
MAIN_CALL_TITLE = "How could the forum help new listeners settle in?"
TABLE_ORDER = (
    "roles", "users", "user_roles", "badges", "user_badges", "threads", "thread_members", "programs",
    "discussions", "enrollments", "discussion_completions", "idea_calls", "posts", "idea_statuses", "reactions",
    "mentions", "notifications", "mentor_tags", "mentor_profiles", "mentor_profile_sections",
    "mentor_profile_tags", "mentor_availability_slots", "mentorship_requests", "mentor_reviews",
    "mentor_responsiveness_spans",
)


@dataclass
class Shape:
    posts: int = 200_000
    users: int = 5_000
    mentors: int = 1_000
    reviews: int = 20_000
    top_mentor_reviews: int = 500
    ideas: int = 1_000
    idea_reactions: int = 20_000
    responses: int = 1_000

    def discussion_sizes(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """How many trainees answer each discussion of the two programs (`parts.py`), each
        with a response and a reply: all of them the main program's first, a quarter the
        rest; a tenth in the small program."""
        responses = self.responses
        return (responses, responses // 4, responses // 4, responses // 4), (responses // 10,) * 4

    def call_sizes(self) -> list[tuple[int, int]]:
        """The ideas and reactions of each call (`parts.py`), each idea with a reply: the
        main call, then four small ones."""
        return [(self.ideas, self.idea_reactions)] + [(self.ideas // 20, self.ideas // 4)] * 4

    def fewest_posts(self) -> int:
        """The fewest posts that hold the programs' responses and replies, the calls' ideas
        and replies, and the mentees' conversations.

        The conversations grow with the posts asked for (one for every twenty, up to
        --reviews, two posts each: `parts.py`), so the least that fits is found by raising
        the count until it holds its own conversations."""
        fixed = (2 * sum(sum(sizes) for sizes in self.discussion_sizes())
                 + 2 * sum(ideas for ideas, _ in self.call_sizes()))
        posts = fixed
        while posts < (needed := fixed + 2 * min(self.reviews, posts // 20)):
            posts = needed
        return posts

    def problems(self) -> list[str]:
        problems = []
        if self.users < self.mentors + 20:
            problems.append("--users must exceed --mentors by at least 20")
        if self.responses > self.users // 2:
            problems.append("--responses can be at most half of --users")
        if self.top_mentor_reviews > self.reviews:
            problems.append("--top-mentor-reviews cannot exceed --reviews")
        if self.posts < (fewest := self.fewest_posts()):
            problems.append(f"--posts must be at least {fewest} for these programs, calls and reviews")
        return problems


def table(name: str):
    return db.metadata.tables[name]


class Seeder:
    def __init__(self, shape: Shape, now: datetime, seed: int = 1):
        self.shape, self.now = shape, now
        self.random = random.Random(seed)
        self.text = TextMaker(seed)
        self.rows = BulkWriter()
        self.posts_made = 0
        self.reacted = set()
        self.post_link = path_for("posts.permalink", post_id=987654321).replace("987654321", "{}")
        self.profile_link = lambda username: path_for("accounts.profile", username=username)

    # Building blocks ---------------------------------------------------------------------

    def moment(self, days_back: float = 365) -> datetime:
        return self.now - timedelta(seconds=self.random.uniform(3600, days_back * 86400))

    def thread(self, kind: str, title: str, author: dict | None, at: datetime, *, audience: str = "everyone",
               badge_id: int | None = None, members=(), locked: bool = False) -> dict:
        thread = self.rows.add(table("threads"), kind=kind, title=title[:200],
                               author_id=author["id"] if author else None, audience=audience,
                               required_badge_id=badge_id, is_private=bool(members), locked=locked,
                               created_at=at, last_post_at=None, post_count=0, top_level_count=0)
        for member in members:
            self.rows.add(table("thread_members"), thread_id=thread["id"], user_id=member["id"])
        return thread

    def post(self, thread: dict, author: dict, at: datetime, *, parent: dict | None = None,
             body: str | None = None, mention: dict | None = None) -> dict:
        body = body or self.text.body()
        if mention:
            body = f"{body} @{mention['username']}"
            html = render_markdown(body, {mention["username_key"]: mention["username"]}, self.profile_link)
        else:
            html = TextMaker.html(body)
        post = self.rows.add(table("posts"), thread_id=thread["id"], parent_id=parent["id"] if parent else None,
                             author_id=author["id"], body_md=body, body_html=html, created_at=at,
                             edited_at=None, deleted_at=None, hidden_at=None, hidden_by_id=None,
                             hidden_reason="", submission_token=None, reply_count=0, reaction_count=0,
                             last_reply_at=None)
        self.posts_made += 1
        thread["post_count"] += 1
        thread["last_post_at"] = max(thread["last_post_at"] or at, at)
        if parent is None:
            thread["top_level_count"] += 1
        else:
            parent["reply_count"] += 1
            parent["last_reply_at"] = max(parent["last_reply_at"] or at, at)
            if parent["author_id"] != author["id"]:
                written = policy_for(thread["kind"]).name_of_post(SimpleNamespace(parent_id=parent["parent_id"]))
                self.notify(parent["author_id"], "reply", f"{author['display_name']} replied to your {written} in "
                            f"“{thread['title']}”", post, author, at)
        if mention and mention["id"] != author["id"]:
            self.rows.add(table("mentions"), post_id=post["id"], user_id=mention["id"])
            self.notify(mention["id"], "mention", f"{author['display_name']} mentioned you in “{thread['title']}”",
                        post, author, at)
        return post

    def notify(self, user_id: int, kind: str, message: str, post: dict, actor: dict, at: datetime) -> None:
        read = self.random.random() < 0.7
        self.rows.add(table("notifications"), user_id=user_id, kind=kind, actor_id=actor["id"], post_id=post["id"],
                      message=message[:300], link=self.post_link.format(post["id"]), count=1, created_at=at,
                      read_at=at + timedelta(hours=2) if read else None)

    def react(self, post: dict, user: dict, kind: str | None = None) -> bool:
        kind = kind or self.random.choice(list(REACTION_KINDS))
        key = (post["id"], user["id"], kind)
        if key in self.reacted:
            return False
        self.reacted.add(key)
        self.rows.add(table("reactions"), post_id=post["id"], user_id=user["id"], kind=kind,
                      created_at=post["created_at"] + timedelta(minutes=self.random.randint(1, 600)))
        post["reaction_count"] += 1
        return True

    def timeline(self, start: datetime, count: int) -> list[datetime]:
        step = (self.now - start) / (count + 1)
        return [start + step * (number + 1) for number in range(count)]

    # The community -----------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        self.check_renderer()
        self.people = PeopleMaker(self, hash_password(BENCH_PASSWORD)).make()
        from forum.bench.parts import seed_ideas, seed_mentors, seed_training

        seed_training(self)
        seed_ideas(self)
        seed_mentors(self)
        self.general_threads()
        written = self.rows.write_all([table(name) for name in TABLE_ORDER])
        self.rows.reset_sequences()
        db.session.commit()
        return written

    def check_renderer(self) -> None:
        """Plain bodies skip the Markdown renderer: make sure it would store the same HTML."""
        for _ in range(20):
            body = self.text.body()
            if render_post_body(body, []) != TextMaker.html(body):
                raise RuntimeError(f"the renderer no longer makes <p>text</p> of plain text: {body!r}")

    def general_threads(self) -> None:
        people = self.people
        badge_id = people.badge_id
        while self.posts_made < self.shape.posts:
            size = min(self.shape.posts - self.posts_made, self.random.randint(5, 40))
            roll = self.random.random()
            audience, members = "everyone", people.all
            if roll < 0.05:
                audience, members = "teen", people.teens
            elif roll < 0.10:
                audience, members = "adult", people.adults
            locked_to_badge = badge_id if self.random.random() < 0.01 else None
            author = self.random.choice(members)
            start = self.moment()
            thread = self.thread("general", self.text.title(), author, start, audience=audience,
                                 badge_id=locked_to_badge)
            tops = []
            for at in self.timeline(start, size):
                writer = self.random.choice(members)
                parent = self.random.choice(tops) if tops and self.random.random() < 0.4 else None
                mention = self.random.choice(members) if self.random.random() < 0.05 else None
                post = self.post(thread, writer, at, parent=parent, mention=mention)
                if parent is None:
                    tops.append(post)
                if self.random.random() < 0.15:
                    for reader in self.random.sample(members, 3)[:self.random.randint(1, 3)]:
                        self.react(post, reader)


def responsiveness_course(requests: list[dict], now: datetime) -> list[Span]:
    """The course of the median answer time that answering the last of these requests
    would store (forum.mentors.responsiveness)."""
    waits = [wait_of(SimpleNamespace(**{"end_reason": "", **r})) for r in requests if r["created_at"] <= now]
    return course_of([wait for wait in waits if wait is not None], now)

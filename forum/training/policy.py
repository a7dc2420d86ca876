"""The posts engine's rules for threads of kind "discussion": a trainee reads and posts
only in discussions opened to them, and each post (written, edited or restored) may
complete the discussion for its author."""
from markupsafe import Markup

from forum.accounts.permissions import is_signed_in
from forum.memo import transaction_memo
from forum.models.posts import Post
from forum.posts.policies import ListingAsked, PostBox, ThreadPolicy
from forum.training import completion, own_posts, services

NOT_IN_A_PROGRAM = "This discussion is not part of a program."
# The discussion page's response box, and the engine's page that brings back a response it refused.
RESPONSE_LABEL = "Your response"
RESPONSE_HINT = "Markdown works. @name mentions a fellow trainee; > quotes."


class DiscussionPolicy(ThreadPolicy):
    def _access(self, user, thread):
        # Asked several times for every post of a page: one memo lookup answers it.
        memo = transaction_memo("discussion_access")
        key = (user.id if is_signed_in(user) else None, thread.id)
        if key not in memo:
            discussion = services.discussion_for_thread(thread.id)
            memo[key] = services.access_to(user, discussion) if discussion is not None else None
        return memo[key]

    def read_refusal(self, user, thread):
        access = self._access(user, thread)
        return NOT_IN_A_PROGRAM if access is None else access.refusal

    def post_refusal(self, user, thread):
        return self.read_refusal(user, thread)

    def reply_refusal(self, user, thread, parent):
        access = self._access(user, thread)
        if access is None:
            return NOT_IN_A_PROGRAM
        if access.refusal is None and access.hides_others and parent.author_id != user.id:
            return "Post your own response first; then you can read and reply to the others'."
        return access.refusal

    def listing_filter(self, user, thread):
        access = self._access(user, thread)
        if access is not None and access.hides_others:
            return Post.author_id == user.id
        return None

    def visible_threads_filter(self, user, bound: bool = False):
        return services.open_discussion_threads(user, bound)

    def listed_posts_filter(self, user, bound: bool = False):
        return services.responses_held_back_clause(user, bound)

    def reader_id_sets(self, user) -> dict:
        return services.discussion_id_sets(user)

    def link_when_closed(self, user, thread, post=None) -> str | None:
        discussion = services.discussion_for_thread(thread.id)
        return None if discussion is None else own_posts.link_when_closed(user, discussion, post)

    def own_closed_posts_filter(self, user):
        return own_posts.closed_programs_posts_clause(user)

    def as_read_by_author(self, user, audience: str, html: str) -> str:
        return own_posts.as_read_by_author(user, audience, html)

    def post_box(self, user, thread) -> PostBox:
        discussion = services.discussion_for_thread(thread.id)
        if discussion is None:
            return super().post_box(user, thread)
        return PostBox(heading=discussion.title, box_heading=RESPONSE_LABEL,
                       context_html=Markup('<p class="prompt-text">{}</p>').format(discussion.prompt),
                       label=RESPONSE_LABEL, hint=RESPONSE_HINT, button="Post response")

    def name_of_post(self, post) -> str:
        return "reply" if post.parent_id is not None else "response"

    def places_of(self, threads) -> dict[int, str]:
        programs = services.program_titles_of_threads([thread.id for thread in threads])
        return {thread.id: f"“{thread.title}” of the program {programs[thread.id]}" if thread.id in programs
                else f"“{thread.title}”" for thread in threads}

    def after_post(self, post) -> None:
        completion.complete_discussion_if_done(post)

    def news_after_post(self, post) -> str | None:
        return completion.news_after_post(post)

    def after_edit(self, post) -> None:
        completion.complete_discussion_if_met(post)

    def after_restore(self, post) -> None:
        completion.complete_discussion_if_met(post)

    def listing_asked(self, user, thread, shown: dict) -> ListingAsked:
        # A discussion's page has one order (its own page number aside).
        return ListingAsked()

    def thread_url(self, thread, **params) -> str:
        discussion = services.discussion_for_thread(thread.id)
        if discussion is None:
            return super().thread_url(thread, **params)
        return services.discussion_url(discussion, **params)

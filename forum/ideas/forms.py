"""Forms of calls for ideas. They check shape; the services check meaning."""
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import Regexp

from forum.forms import ForumForm, long_text_box, short_line_box
from forum.ideas.phase_questions import phase_confirmations
from forum.ideas.policy import IDEA_HINT, IDEA_LABEL
from forum.models.ideas import IDEA_STATUSES, PHASES
from forum.posts.forms import PostForm, post_body_box
from forum.posts.services import TITLE_LIMIT
from forum.text.typed import typed_whole_number

AUDIENCE_CHOICES = [SelectChoice("everyone", "Everyone"), SelectChoice("teen", "Teens only"),
                    SelectChoice("adult", "Adults only")]


class CallForm(ForumForm):
    title = short_line_box("Title", TITLE_LIMIT,
                           description="A short line people see in the list of calls for ideas.")
    question = long_text_box("The question",
                             description="What ideas are you looking for, and why? Markdown works.")
    audience = SelectField("Who may take part", choices=AUDIENCE_CHOICES, default="everyone")
    required_badge = SelectField("Only holders of this badge", default="",
                                 description="Leave at “No badge needed” for an open call.")
    hide_reactions_while_collecting = BooleanField(
        "Hide reaction counts while ideas are collected, so early favourites don't steer the rest")

    def set_badges(self, badges) -> None:
        self.required_badge.choices = [SelectChoice("", "No badge needed")] + [
            SelectChoice(badge.slug, f"{badge.icon} {badge.name}") for badge in badges]


class CallEditForm(CallForm):
    # The call_version the form was opened at: saving tells if someone edited the call since.
    based_on = HiddenField()

    @classmethod
    def for_call(cls, call, call_version: str) -> "CallEditForm":
        thread = call.thread
        return cls(formdata=None, title=thread.title, question=call.question_md, audience=thread.audience,
                   required_badge=thread.required_badge.slug if thread.required_badge else "",
                   hide_reactions_while_collecting=call.hide_reactions_while_collecting, based_on=call_version)

    def keep_who_may_take_part(self, call) -> None:
        """Once ideas came in, the page shows who may take part as words, not menus: a save
        that sends neither keeps what is stored (editing.edit_call refuses one sending others)."""
        thread = call.thread
        if not self.audience.raw_data:
            self.audience.data = thread.audience
        if not self.required_badge.raw_data:
            self.required_badge.data = thread.required_badge.slug if thread.required_badge else ""

    def describe_hiding_for(self, call) -> None:
        """Past collecting the box changes nothing readers see (IdeaCall.reaction_counts_hidden):
        said, so staff don't expect counts to vanish when they tick it."""
        if call.phase != "collecting":
            self.hide_reactions_while_collecting.description = (
                "This call is past collecting ideas, so its reaction counts show either way: this matters only "
                "if it moves back to collecting.")


class PhaseForm(ForumForm):
    phase = SelectField("Phase", choices=[SelectChoice(key, label) for key, label in PHASES.items()])

    @classmethod
    def for_call(cls, call, shortlist_empty: bool) -> "PhaseForm":
        """The call's phase chosen, and each other phase carrying the question the script
        asks before moving there (static/js/forum.js reads the chosen option's data-confirm)."""
        form = cls(formdata=None, phase=call.phase)
        questions = phase_confirmations(call, shortlist_empty)
        form.phase.choices = [SelectChoice(key, label, render_kw={"data-confirm": questions[key]} if key in questions
                                           else None) for key, label in PHASES.items()]
        return form


class StatusForm(ForumForm):
    status = SelectField("Status", choices=[SelectChoice(key, label) for key, label in IDEA_STATUSES.items()
                                            if key != "merged"])
    note = long_text_box("Note from staff",
                         description="Shown with the idea and on the shortlist. Required when declining.")


class MergeForm(ForumForm):
    target = StringField("Merge into idea number", description="The number shown beside each idea on the call page.",
                         validators=[Regexp(r"^\s*#?\s*\d{1,12}\s*$",
                                            message="Type the idea's number, like 42 (it is shown on each idea).")])
    # Its own id: the review page shows this form beside StatusForm, which has a note too.
    note = long_text_box("Note from staff", id="merge-note",
                         description="Optional: why these ideas belong together.")

    @property
    def target_id(self) -> int | None:
        # "#12" or "idea 12": the digits, wherever they are.
        return typed_whole_number("".join(ch for ch in (self.target.data or "") if ch.isdecimal()))


class IdeaForm(PostForm):
    """The engine's post box, worded for ideas; it posts to the engine's own endpoint."""

    body = post_body_box(IDEA_LABEL, IDEA_HINT)

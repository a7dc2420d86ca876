"""Training forms: they check shape; the services check meaning (requirements, badges)."""
from types import SimpleNamespace

from sqlalchemy import select
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import Length

from forum.extensions import db
from forum.forms import ForumForm, long_text_box, short_line_box
from forum.models.accounts import Badge
from forum.posts.forms import PostForm, post_body_box
from forum.text.typed import typed_whole_number
from forum.training import authoring, discussion_authoring
from forum.training.authoring import SLUG_LIMIT, TITLE_LIMIT
from forum.training.policy import RESPONSE_HINT, RESPONSE_LABEL

AUDIENCE_CHOICES = [SelectChoice("everyone", "Everyone"), SelectChoice("adult", "Adults only"),
                    SelectChoice("teen", "Teens only")]


def badge_choices() -> list[SelectChoice]:
    badges = db.session.scalars(select(Badge).order_by(Badge.name))
    return [SelectChoice("", "No badge")] + [SelectChoice(b.slug, f"{b.icon} {b.name}") for b in badges]


class ResponseForm(PostForm):
    """The engine's post form, labelled as a response; it posts to posts.create."""

    body = post_body_box(RESPONSE_LABEL, RESPONSE_HINT)


class ProgramForm(ForumForm):
    title = short_line_box("Title", TITLE_LIMIT)
    slug = short_line_box("Short name in the address", SLUG_LIMIT,
                          description="Lower-case letters, digits and dashes. Leave it empty to make it from the title.")
    summary_md = long_text_box("Summary",
                               description="Markdown works. Shown in the catalogue and on the program page.")
    audience = SelectField("Who it is for", choices=AUDIENCE_CHOICES)
    required_badge = SelectField("Badge needed to enter", description="Only holders of this badge may enrol.")
    awarded_badge = SelectField("Badge awarded on completion")
    # The program_version the edit form was opened at: saving tells if it changed since.
    based_on = HiddenField()
    preview = SubmitField("Preview")
    save = SubmitField("Save program")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.required_badge.choices = self.awarded_badge.choices = badge_choices()

    def values(self) -> dict:
        return dict(title=self.title.data, slug=self.slug.data, summary_md=self.summary_md.data,
                    audience=self.audience.data, required_badge=self.required_badge.data,
                    awarded_badge=self.awarded_badge.data)

    @classmethod
    def for_program(cls, program):
        return cls(formdata=None, title=program.title, slug=program.slug, summary_md=program.summary_md,
                   audience=program.audience,
                   required_badge=program.required_badge.slug if program.required_badge else "",
                   awarded_badge=program.awarded_badge.slug if program.awarded_badge else "",
                   based_on=authoring.program_version(program))


class DiscussionForm(ForumForm):
    # A number typed into the title goes stale once the discussions are reordered, added or deleted.
    title = short_line_box("Title", TITLE_LIMIT,
                           description="For example: What group support is. Leave its number out: the pages number "
                                       "the discussions themselves, and keep it right when you reorder them.")
    lesson_md = long_text_box("Lesson",
                              description="Markdown works. Trainees read this before the prompt.")
    prompt = long_text_box("Discussion prompt",
                           description="One or two sentences: what trainees respond to.")
    response_template = long_text_box("Response template",
                                      description="Pre-fills the response box, e.g. “3 highs: 1. 2. 3.”. Lines left "
                                                  "as in the template, and list numbers, don't count as words.")
    # Text fields: the service turns them into numbers and explains what is wrong.
    min_words = StringField("Minimum words in the response", default="30")
    required_peer_replies = StringField("Fellow trainees to reply to", default="2",
                                        description="Replies to different trainees' responses; at least 1.")
    post_first = BooleanField("Hide others' responses until the trainee has posted their own")
    # Which discussion an edit form was opened for: its URL names a position, and the
    # discussions may be reordered in another tab before it is saved.
    discussion_id = HiddenField()
    # The discussion_version the edit form was opened at: saving tells if it changed since.
    based_on = HiddenField()
    preview = SubmitField("Preview")
    save = SubmitField("Save discussion")

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "title", "lesson_md", "prompt", "response_template", "min_words", "required_peer_replies",
            "post_first")}

    def as_previewed(self) -> SimpleNamespace:
        """What the preview shows under the lesson, as the discussion page would: requirements
        only once both are whole numbers of at least 1 (the service says what is wrong otherwise)."""
        words, peers = typed_whole_number(self.min_words.data), typed_whole_number(self.required_peer_replies.data)
        return SimpleNamespace(prompt=self.prompt.data, response_template=self.response_template.data,
                               min_words=words, required_peer_replies=peers, post_first=self.post_first.data,
                               requirements_typed=bool(words and peers and words > 0 and peers > 0))

    @classmethod
    def for_discussion(cls, discussion):
        return cls(formdata=None, **{name: getattr(discussion, name) for name in (
            "title", "lesson_md", "prompt", "response_template", "post_first")},
            min_words=str(discussion.min_words), required_peer_replies=str(discussion.required_peer_replies),
            discussion_id=str(discussion.id), based_on=discussion_authoring.discussion_version(discussion))

    @property
    def opened_for(self) -> int | None:
        return typed_whole_number(self.discussion_id.data)


class ReorderForm(ForumForm):
    """Positions arrive as position-<discussion id> fields; see `wanted_positions`."""


def wanted_positions(formdata) -> dict[int, str]:
    """Discussion id -> the position typed for it (checked by the service)."""
    prefix = "position-"
    wanted = {}
    for key, value in formdata.items():
        discussion_id = typed_whole_number(key[len(prefix):]) if key.startswith(prefix) else None
        if discussion_id is not None:
            wanted[discussion_id] = value
    return wanted


class ReopenForm(ForumForm):
    reason = StringField("Why (the trainee is told)", validators=[Length(max=300)])

"""Post forms. Each carries a one-time submission token so a double click posts once."""
import secrets

from wtforms import HiddenField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import Length

from forum.forms import ForumForm, ReasonButtonForm, long_text_box
from forum.models.moderation import REASON_LIMIT
from forum.models.posts import REACTION_KINDS
from forum.posts.email_pause import PAUSE_LENGTHS


def new_submission_token() -> str:
    """A form's one-time token: the same form sent twice (a double-click) posts once."""
    return secrets.token_urlsafe(24)


def post_body_box(label: str, description: str | None = None) -> TextAreaField:
    """The box a post, reply, response or idea is written in: no maxlength (see
    `long_text_box`); the service checks BODY_LIMIT and answers with the real count."""
    return long_text_box(label, description)


POST_HINT = "Markdown works. @name mentions someone; > quotes."


class PostForm(ForumForm):
    body = post_body_box("Your post", POST_HINT)
    submission_token = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.submission_token.data:
            self.submission_token.data = new_submission_token()


class ReplyForm(PostForm):
    body = post_body_box("Your reply", POST_HINT)


class EditForm(ForumForm):
    # Labelled for what is edited ("Your reply", "Ana's idea") by the view.
    body = post_body_box("Post", POST_HINT)
    # The text's version as the page was opened (forum/posts/services.py's body_version).
    based_on = HiddenField()


class HideForm(ReasonButtonForm):
    reason = StringField("Why hide it? (the author is told)", validators=[Length(max=REASON_LIMIT)])


class ReactionForm(ForumForm):
    kind = HiddenField()


class ActionForm(ForumForm):
    """Only the CSRF token: the action is in the URL."""


class EmailPreferencesForm(ForumForm):
    """Built per request from the registered notification kinds (see views)."""


class PauseEmailsForm(ForumForm):
    """Taking a break from emails (forum/posts/email_pause.py): for how long."""

    pause_for = RadioField("Pause all emails for", choices=[SelectChoice(key, label) for key, (label, _)
                                                            in PAUSE_LENGTHS.items()],
                           invalid_choice_message="Choose how long to pause emails for.")


def reaction_choices():
    return [SelectChoice(kind, label) for kind, (_, label) in REACTION_KINDS.items()]

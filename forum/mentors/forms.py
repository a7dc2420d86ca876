"""Mentor page forms. They check shape (lengths); services check meaning and say why in words."""
from wtforms import BooleanField, HiddenField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from forum.forms import ForumForm, long_text_box, short_line_box, time_zone_choices
from forum.mentors.policy import MESSAGE_LABEL
from forum.mentors.services import HEADLINE_LIMIT
from forum.posts.forms import POST_HINT, PostForm, post_body_box

# Lengths here only stop absurd payloads; the services give the friendly message. The long
# texts have no maxlength at all (see long_text_box): each service checks its own limit.
RATING_CHOICES = [SelectChoice(str(n), f"{n} star{'s' if n > 1 else ''}") for n in range(5, 0, -1)]


class MentorSettingsForm(ForumForm):
    headline = short_line_box(
        "Headline", HEADLINE_LIMIT,
        description="One line readers see on your card, e.g. “Helping new listeners find their feet”.")
    tracks = StringField("Tracks", validators=[Length(max=1000)],
                         description="Comma-separated, strongest first, e.g. “Listener support, Group chats”.")
    knowledge = TextAreaField("Knowledge areas", validators=[Length(max=2000)],
                              description="Comma-separated, strongest first; the first three show on your card.")
    languages = StringField("Languages", validators=[Length(max=1000)], description="Comma-separated.")
    mentors_teens = BooleanField("I mentor teen listeners")
    mentors_adults = BooleanField("I mentor adult listeners")
    accepting = BooleanField("I'm taking new mentees")
    timezone = SelectField("Your time zone", validate_choice=False)
    hours = TextAreaField("Weekly hours, in your time zone", validators=[Length(max=3000)],
                          description="One line each, e.g. “Mon-Fri 18:00-20:00” or “Sat, Sun 10:00-12:30”.")
    ending = HiddenField()  # the mentorships the mentor agreed to end (endings.ending_key)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = time_zone_choices()


class TeenApprovalAskForm(ForumForm):
    note = long_text_box("A note for the admins (optional)",
                         description="Plain text, up to 300 characters: what they may want to know, such as "
                                     "your experience with teens. Only admins read it.")


class SectionForm(ForumForm):
    body = long_text_box(
        "Text",
        description="Markdown works: **bold**, *italic*, lists with “- ”. Leave it empty to skip the section.")
    hidden = BooleanField("Hide this section from readers")


class RequestForm(ForumForm):
    message = long_text_box("Your message",
                            description="Say what you'd like help with; only the mentor reads it.")


class AnswerForm(ForumForm):
    note = long_text_box("A note to the listener (optional)")
    decision = HiddenField()


class MessageForm(PostForm):
    """The conversation page's box: its page speaks of messages, not posts."""
    body = post_body_box(MESSAGE_LABEL, POST_HINT)


class ReviewForm(ForumForm):
    rating = RadioField("Rating", choices=RATING_CHOICES, validate_choice=False)
    body = long_text_box("Your review",
                         description="What helped, what could be better. Markdown works.")


class ReviewReplyForm(ForumForm):
    body = long_text_box("Your reply",
                         description="You can reply once (and edit it later); readers see it under the review.")


class AvailableForm(ForumForm):
    hours = HiddenField()


class MoveForm(ForumForm):
    direction = HiddenField()

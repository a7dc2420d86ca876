"""Mentor page forms. They check shape (lengths); services check meaning and say why in words."""
from wtforms import BooleanField, HiddenField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from forum.forms import ForumForm
from forum.mentors.availability import time_zone_names
from forum.mentors.requests import MESSAGE_LIMIT, NOTE_LIMIT
from forum.mentors.reviews import REPLY_LIMIT, REVIEW_LIMIT
from forum.mentors.services import SECTION_LIMIT

# Lengths here only stop absurd payloads; the services give the friendly message.
RATING_CHOICES = [SelectChoice(str(n), f"{n} star{'s' if n > 1 else ''}") for n in range(5, 0, -1)]


class MentorSettingsForm(ForumForm):
    headline = StringField(
        "Headline", validators=[Length(max=400)],
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = [SelectChoice(name, name.replace("_", " ")) for name in time_zone_names()]


class SectionForm(ForumForm):
    body = TextAreaField(
        "Text", validators=[Length(max=SECTION_LIMIT * 2)],
        description="Markdown works: **bold**, *italic*, lists with “- ”. Leave it empty to skip the section.")
    hidden = BooleanField("Hide this section from readers")


class RequestForm(ForumForm):
    message = TextAreaField("Your message", validators=[Length(max=MESSAGE_LIMIT * 2)],
                            description="Say what you'd like help with; only the mentor reads it.")


class AnswerForm(ForumForm):
    note = TextAreaField("A note to the listener (optional)", validators=[Length(max=NOTE_LIMIT * 2)])
    decision = HiddenField()


class ReviewForm(ForumForm):
    rating = RadioField("Rating", choices=RATING_CHOICES, validate_choice=False)
    body = TextAreaField("Your review", validators=[Length(max=REVIEW_LIMIT * 2)],
                         description="What helped, what could be better. Markdown works.")


class ReviewReplyForm(ForumForm):
    body = TextAreaField("Your reply", validators=[Length(max=REPLY_LIMIT * 2)],
                         description="You can reply once; readers see it under the review.")


class AvailableForm(ForumForm):
    hours = HiddenField()


class MoveForm(ForumForm):
    direction = HiddenField()

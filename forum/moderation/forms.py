"""Moderation forms: they check shape; the services check meaning."""
from wtforms import BooleanField, DateField, HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from forum.forms import ForumForm, ReasonButtonForm, long_text_box
from forum.models.moderation import REASON_LIMIT
from forum.moderation.audit import AUDIT_ACTIONS, AUDIT_TARGET_TYPES
from forum.moderation.services import SUSPENSION_DAYS


class FlagForm(ForumForm):
    # No maxlength (see long_text_box): the service refuses a longer reason with its real count.
    reason = long_text_box(
        "What is wrong?", validators=[DataRequired("Tell the moderators what is wrong, in a few words.")],
        description=f"Up to {REASON_LIMIT} characters. Only moderators read this. The person is not told who flagged.")
    urgent = BooleanField("Someone may be in danger (they write about hurting themselves or someone else)",
                          description="Moderators are told at once, and it goes first in their queue.")


class ReasonForm(ReasonButtonForm):
    reason = StringField("Reason", validators=[DataRequired("Give a reason."), Length(max=REASON_LIMIT)])


class NoteForm(ReasonButtonForm):
    note = StringField("Note (optional)", validators=[Length(max=REASON_LIMIT)])

    def reason_to_send_again(self) -> str:
        return " ".join((self.note.data or "").split())[:REASON_LIMIT]


class SuspendForm(ForumForm):
    days = SelectField("For how long", coerce=int, choices=[
        SelectChoice(days, f"{days} day{'s' if days != 1 else ''}") for days in SUSPENSION_DAYS])
    # Own ids: this form shares the moderator's person page with AgeGroupForm, and two
    # inputs with id="reason" leave one of them without a label for screen readers.
    reason = StringField("Why you suspend them (they are told)", id="suspension-reason", validators=[
        DataRequired("Say why; the person is told."), Length(max=REASON_LIMIT)])


class AgeGroupForm(ForumForm):
    age_group = SelectField("Age group", choices=[SelectChoice("teen", "Teen"), SelectChoice("adult", "Adult")])
    reason = StringField("Why you change it (kept in the audit log)", id="age-group-reason", validators=[
        DataRequired("Say why; it goes in the audit log."), Length(max=REASON_LIMIT)])
    # What the moderator agreed the move ends (services.ending_after_age_group_change).
    ending = HiddenField(id="age_group_ending")


class ClearProfileForm(ForumForm):
    remove_bio = BooleanField("Remove the bio")
    reset_name = BooleanField("Put the display name back to the username")
    reason = StringField("Why you clear it (they are told)", id="profile-reason", validators=[
        DataRequired("Say why; the person is told."), Length(max=REASON_LIMIT)])


def _with_any(options: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice("", "Any"), *(SelectChoice(key, label) for key, label in options.items())]


class AuditFilterForm(ForumForm):
    """Read from the query string: filtering changes nothing, so it needs no CSRF token."""

    class Meta:
        csrf = False

    # The log shows every name as "@moss": copied from there, the @ is not part of the name.
    actor = StringField("By (username)", validators=[Optional(), Length(max=20)],
                        filters=[lambda name: name.strip().removeprefix("@") if name else name])
    about = StringField("About whom (username)", validators=[Optional(), Length(max=20)],
                        filters=[lambda name: name.strip().removeprefix("@") if name else name],
                        description="The person, their profile and what they wrote.")
    action = SelectField("Action", validators=[Optional()])
    target_type = SelectField("About", validators=[Optional()])
    since = DateField("From", validators=[Optional()])
    until = DateField("Until", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.action.choices = _with_any(AUDIT_ACTIONS)
        self.target_type.choices = _with_any(AUDIT_TARGET_TYPES)

    def validate_until(self, field):
        if field.data and self.since.data and self.since.data > field.data:
            raise ValidationError("The “from” date comes after the “until” date.")

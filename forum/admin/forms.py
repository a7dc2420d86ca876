from forum.forms import ForumForm as FlaskForm, ReasonButtonForm
from wtforms import HiddenField, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from forum.models.accounts import ROLE_NAMES


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RolesForm(FlaskForm):
    roles = MultiCheckboxField("Roles", choices=[SelectChoice(name, name.capitalize()) for name in ROLE_NAMES])
    # The roles the form was opened with (staff.roles_version): saving tells if another
    # admin changed them since, rather than putting back what that admin took away.
    opened_with = HiddenField(id="roles_opened_with")
    # What the admin agreed to end by taking the mentor role: mentorships, an approval to mentor
    # teens (endings.role_ending).
    ending = HiddenField(id="roles_ending")


class AwardBadgeForm(FlaskForm):
    badge = SelectField("Badge", validators=[DataRequired("Choose a badge.")])
    # Each "Why" box on the person's page says which action it explains: they sit close together.
    reason = StringField("Why you award it (optional)", validators=[Length(max=200)])


class TeenApprovalForm(FlaskForm):
    """Approve an adult mentor to mentor teens ("1"), or withdraw it ("0")."""
    approve = HiddenField()
    # Its own id: the badge form's "Why" box on the same page is "reason" too, and two boxes
    # of one id left the badge's without a name and gave this one both labels.
    reason = StringField("Why you approve them", validators=[Length(max=1000)], id="teens_reason",
                         description="Goes in the audit log; the mentor is told the decision, not the reason.")
    # The mentorships with teens the admin agreed to end by withdrawing (endings.ending_key).
    ending = HiddenField(id="teens_ending")


class TeenDeclineForm(FlaskForm):
    """Decline an adult mentor's ask to be approved for teens: unlike approving, the mentor
    reads the reason, to know what to do before asking again."""
    # Labelled apart from the approval's "Why" just above it, which the mentor does not read.
    reason = StringField("Why you decline", validators=[Length(max=1000)], id="teens_decline_reason",
                         description="The mentor reads this, and it goes in the audit log.")


class RevokeBadgeForm(ReasonButtonForm):
    """Why a badge is taken away, as AwardBadgeForm asks why it is given: optional, kept in
    the audit log and told to the person. The badge is in the URL; each badge's box has its
    own id and names its badge (templates/admin/user.html)."""
    reason = StringField("Why you take it away (optional)", validators=[Length(max=200)])


class BadgeForm(FlaskForm):
    slug = StringField("Short name", validators=[DataRequired("Give a short name."), Length(2, 40)],
                       description="Lower-case letters, digits and dashes, e.g. group-support-basics.")
    name = StringField("Name", validators=[DataRequired("Give the badge a name."), Length(max=60)])
    description = TextAreaField("Description", validators=[Length(max=300)])
    icon = StringField("Icon", validators=[Length(max=8)], default="★", description="An emoji or symbol.")

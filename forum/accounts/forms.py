"""Account forms: they check shape; services check meaning."""
from forum.forms import ForumForm as FlaskForm, long_text_box, time_zone_choices
from wtforms import BooleanField, SelectChoice, EmailField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from forum.accounts.passwords import MAX_PASSWORD_LENGTH

AGE_GROUP_CHOICES = [SelectChoice("teen", "I am a teen (13-17)"), SelectChoice("adult", "I am an adult (18 or over)")]


class RegisterForm(FlaskForm):
    username = StringField(
        "Username", validators=[DataRequired("Choose a username."), Length(3, 20, "Use 3 to 20 characters.")],
        description="3 to 20 letters, digits or underscores. Others @mention you by it.",
    )
    display_name = StringField("Display name (optional)", validators=[Length(max=50)])
    email = EmailField(
        "Email", validators=[DataRequired("Enter your email address."), Email(), Length(max=254)],
        description="Only used for password resets and the notifications you choose.",
    )
    password = PasswordField(
        "Password", validators=[DataRequired("Choose a password."), Length(max=MAX_PASSWORD_LENGTH)],
        description="At least 10 characters.",
    )
    age_group = RadioField("Age", choices=AGE_GROUP_CHOICES,
                           validators=[DataRequired("Tell us whether you are a teen or an adult.")])


class LoginForm(FlaskForm):
    login = StringField("Username or email", validators=[DataRequired("Enter your username or email."), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=MAX_PASSWORD_LENGTH)])
    remember = BooleanField("Keep me signed in on this device")


class ConfirmRegistrationForm(FlaskForm):
    """Only the CSRF token: the pending registration is in the URL."""


class ConfirmEmailChangeForm(FlaskForm):
    """Only the CSRF token: the new address is in the URL."""


class ResetRequestForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired("Enter your email address."), Email()])


class ResetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired("Choose a new password."), Length(max=MAX_PASSWORD_LENGTH)],
                             description="At least 10 characters.")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired("Enter your current password.")])
    password = PasswordField("New password", validators=[DataRequired("Choose a new password."), Length(max=MAX_PASSWORD_LENGTH)],
                             description="At least 10 characters. Your other devices will be signed out.")


class ChangeEmailForm(FlaskForm):
    email = EmailField("New email", validators=[DataRequired("Enter your new email address."), Email(), Length(max=254)])
    password = PasswordField("Your password", validators=[DataRequired("Enter your password to confirm.")])


class ProfileForm(FlaskForm):
    display_name = StringField("Display name", validators=[DataRequired("Enter a display name."), Length(max=50)])
    # No maxlength (see long_text_box): a pasted bio was cut at it without a word.
    bio = long_text_box("About you", "Markdown works: **bold**, *italic*, lists and links.")


WRITING_CHOICES = [
    SelectChoice("keep", "Keep them, signed “Former member”, so conversations still make sense"),
    SelectChoice("remove", "Remove them, as if I had removed each one"),
]


class CloseAccountForm(FlaskForm):
    writing = RadioField("Your posts, responses, replies and ideas", choices=WRITING_CHOICES,
                         validators=[DataRequired("Choose what happens to what you wrote.")])
    password = PasswordField("Your password", validators=[DataRequired("Enter your password to confirm.")])
    understood = BooleanField("I understand that a closed account can't be opened again",
                              validators=[DataRequired("Tick the box to say you understand that closing is for good.")])


class TimeZoneForm(FlaskForm):
    # Any value comes through to the service, which says in words what is wrong with it.
    time_zone = SelectField("Your time zone", validate_choice=False,
                            description="Dates and times on the forum, and in its emails to you, are given in it.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone.choices = time_zone_choices()

"""What every form of the forum shares."""
from flask_wtf import FlaskForm

from forum.extensions import csrf

EXPIRED_MESSAGE = ("This page was open too long or your session ended before you sent it. "
                   "Nothing is lost: check your text below and send it again.")


class ForumForm(FlaskForm):
    """A form whose CSRF failure reads as a plain-words form error, not a blank 400."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            try:
                return super().wrap_formdata(form, formdata)
            except (TypeError, ValueError):
                return None  # a JSON body that is not an object: nothing was submitted

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if "csrf_token" in self.errors:
            self.csrf_token.errors = []
            self.form_errors.append(EXPIRED_MESSAGE)
        return valid

    def first_error(self) -> str | None:
        """The first thing wrong, for a form posted from a page that shows no fields of
        its own (a button on a list) and answers with a flashed message."""
        for message in self.form_errors:
            return message
        for messages in self.errors.values():
            for message in messages:
                return message
        return None


def form_checks_csrf(view):
    """Let the view's ForumForm check the CSRF token instead of the global guard.

    The global guard answers a bad token with a bare 400 before the view runs, losing
    what the person typed; a form that checks it itself re-renders with their text.
    Only for views that validate a ForumForm on every POST.
    """
    return csrf.exempt(view)

"""What every form of the forum shares."""
from collections.abc import Callable
from typing import NamedTuple

from flask import flash, g, render_template, request, session, url_for
from flask_wtf import FlaskForm
from wtforms import SelectChoice, StringField, TextAreaField
from werkzeug.wrappers import Response

from forum.extensions import csrf
from forum.local_time import time_zone_names
from forum.models.moderation import REASON_LIMIT

EXPIRED_MESSAGE = ("This page was open too long or your session ended before you sent it. "
                   "Nothing is lost: check your text below and send it again.")
# The same for a form the site-wide guard refuses (a button, or a form with no page of its
# own to come back to): said on the error page, with how to send it again.
EXPIRED_BUTTON_MESSAGE = ("This page was open too long or your session ended before you pressed that, "
                          "so nothing was changed. Please try again.")


# WTForms' own messages ("Field cannot be longer than 50 characters.") in the forum's
# words. WTForms fills in min, max and length after, so a message can say how long the
# text is. A message not here (one a form wrote itself) passes through as it is.
PLAIN_WORDS = {
    "Field cannot be longer than %(max)d character.":
        "Keep it to %(max)d character (this is %(length)d).",
    "Field cannot be longer than %(max)d characters.":
        "Keep it to %(max)d characters or fewer (this is %(length)d).",
    "Field must be at least %(min)d character long.": "Write at least %(min)d character.",
    "Field must be at least %(min)d characters long.": "Write at least %(min)d characters.",
    "Field must be between %(min)d and %(max)d characters long.":
        "Use %(min)d to %(max)d characters (this is %(length)d).",
    "This field is required.": "Fill this in.",
    "Not a valid choice.": "Choose one of the options in the list.",
    # A choice of numbers (a suspension's days) sent empty or as words.
    "Invalid Choice: could not coerce.": "Choose one of the options in the list.",
    # WTForms says the same of "last-tuesday" and of 2026-02-30: one answer for both.
    "Not a valid date value.": "Write a date that exists, as year-month-day, for example 2026-03-01.",
    "Not a valid integer value.": "Write a whole number, for example 3.",
    "Invalid email address.": "That doesn't look like an email address; check it for typos.",
}


class _PlainWords:
    """WTForms' translations hook, used here to reword its English rather than translate it."""

    def gettext(self, message: str) -> str:
        return PLAIN_WORDS.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


def long_text_box(label: str, description: str | None = None, **kwargs) -> TextAreaField:
    """A box for text of many lines: a post, a mentor's section, a review, a call's question.

    Deliberately without a Length validator: WTForms turns one into `maxlength`, and a
    browser cuts a paste at maxlength without a word, so an over-long text went up cut, or
    the refusal quoted the cut length rather than what was pasted. The part's service checks
    its limit once and answers with the real count, the text kept in the box to shorten;
    MAX_CONTENT_LENGTH (forum/config.py) still stops absurd payloads before they are read."""
    return TextAreaField(label, description=description, **kwargs)


def short_line_box(label: str, limit: int, description: str | None = None, **kwargs) -> StringField:
    """A one-line box (a title, a name) whose `maxlength` is the service's own limit, so
    typing stops where the service would refuse. Not exactly: browsers count an emoji as
    two, so a title of emoji stops early, and a paste past the limit is cut without a
    word; for a line of 120 or 200 characters that is taken as the lesser harm than a
    title sent back again and again. No Length validator: the service checks the limit,
    once, in its own words."""
    return StringField(label, description=description, render_kw={"maxlength": limit}, **kwargs)


def time_zone_choices() -> list[SelectChoice]:
    """The zones a member's or a mentor's settings offer (forum/local_time.py), as people
    write them: "America/Buenos Aires"."""
    return [SelectChoice(name, name.replace("_", " ")) for name in time_zone_names()]


class ForumForm(FlaskForm):
    """A form whose CSRF failure reads as a plain-words form error, not a blank 400, and
    whose fields complain in plain words too."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return _PlainWords()

        def wrap_formdata(self, form, formdata):
            try:
                return super().wrap_formdata(form, formdata)
            except (TypeError, ValueError):
                return None  # a JSON body that is not an object: nothing was submitted

        def render_field(self, field, render_kw):
            # A hidden token needs no id, and every form on a page of several (a moderator's
            # or an admin's page about a person) would repeat id="csrf_token".
            if field.type == "CSRFTokenField":
                render_kw = {"id": False, **render_kw}
            return super().render_field(field, render_kw)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if "csrf_token" in self.errors:
            self.csrf_token.errors = []
            self.form_errors.append(EXPIRED_MESSAGE)
        return valid

    @property
    def expired(self) -> bool:
        """Whether `validate` refused the CSRF token (the page was open too long). A view
        that checks its own token (`form_checks_csrf`) must change nothing then."""
        return EXPIRED_MESSAGE in self.form_errors

    def first_error(self) -> str | None:
        """The first thing wrong, for a form posted from a page that shows no fields of
        its own (a button on a list) and answers with a flashed message."""
        for message in self.form_errors:
            return message
        for name, messages in self.errors.items():
            for message in messages:
                # Away from its field, a message needs the field's name ("Note: keep it to...").
                label = self[name].label.text if name in self._fields else ""
                return f"{label}: {message[:1].lower()}{message[1:]}" if label else message
        return None


class ReasonButtonForm(ForumForm):
    """A button that asks why (hide, delete) and checks its own token: each form declares
    its own `reason` field, and an expired page answers through `sent_back_if_expired`."""

    valid = False  # what `validate_on_submit` said, once `sent_back_if_expired` asked

    def reason_to_send_again(self) -> str:
        """The reason typed, on one line and kept to the length a reason may have: it
        rides in the session cookie until the next page."""
        return " ".join((self.reason.data or "").split())[:REASON_LIMIT]

    def expired_words(self) -> str:
        """For a button whose page had expired: nothing was done, and the reason typed, to
        send again."""
        reason = self.reason_to_send_again()
        return f"{EXPIRED_BUTTON_MESSAGE} Your reason, to send again: “{reason}”" if reason else EXPIRED_BUTTON_MESSAGE


# The reason typed on a button whose page had expired, and the button (its form's action),
# kept for the next page shown, as a flash is: {"action": path, "reason": text}. One at a
# time, so the cookie holds at most one reason besides the flash (which compresses with it).
SENT_BACK_KEY = "reason_sent_back"


def sent_back_if_expired(form: ReasonButtonForm, back: Callable[[], Response]) -> Response | None:
    """Validate a reason button's form in a view that checks its own token (`form_checks_csrf`).

    When the page had expired, the view must change nothing: this answers for it with
    `back()`, the expired words flashed and the reason kept for its box on that page
    (`reason_sent_back`), so the moderator only presses the button again. Otherwise None,
    and the view acts, reading `form.valid`.

    The reason is in the message too: the page they go back to is the one they came from,
    but the box may no longer be on it (another moderator acted, the queue moved on a
    page), and a reason only in a box that is not shown would be lost. In the message it is
    never wrong; in the box it saves typing it again."""
    form.valid = form.validate_on_submit()
    if not form.expired:
        return None
    send_reason_back(form.reason_to_send_again())
    flash(form.expired_words(), "error")
    return back()


def send_reason_back(reason: str) -> None:
    """Keep `reason` for the box of the button this request came from, on the next page shown
    (`reason_sent_back`): for a view that redirects back to that button's page, as after an
    expired page, or after "no" on the page `ask_first` showed."""
    if reason:
        session[SENT_BACK_KEY] = {"action": url_for(request.endpoint, **request.view_args), "reason": reason}
    else:
        # A reason still kept is from an earlier press no page has shown yet; the box
        # must show what was sent last, which is nothing.
        session.pop(SENT_BACK_KEY, None)


def _sent_back() -> dict | None:
    # Taken from the session once a request, by the first page rendered (see
    # `keep_reasons_for_one_page`) or the first box that asks, whichever comes first.
    if "reason_sent_back" not in g:
        g.reason_sent_back = session.pop(SENT_BACK_KEY, None) if SENT_BACK_KEY in session else None
    return g.reason_sent_back


def any_reason_sent_back() -> bool:
    """Whether some box on the page being shown may get a reason back (cheap to ask per card)."""
    return _sent_back() is not None


def reason_sent_back(action: str) -> str:
    """The reason to put back in the box of the button posting to `action`, on the page
    shown right after that button's page had expired; "" otherwise."""
    sent_back = _sent_back()
    return sent_back["reason"] if sent_back and sent_back["action"] == action else ""


def keep_reasons_for_one_page(app) -> None:
    """Make `reason_sent_back` a template global, and forget the reason once a page is
    shown, whether or not it had the box (the message still says the reason), so it
    does not turn up in a box days later."""
    app.jinja_env.globals["reason_sent_back"] = reason_sent_back

    @app.context_processor
    def forget_reason_sent_back():
        _sent_back()
        return {}


def form_checks_csrf(view):
    """Let the view's ForumForm check the CSRF token instead of the global guard.

    The global guard answers a bad token with a bare 400 before the view runs, losing
    what the person typed; a form that checks it itself re-renders with their text.
    Only for views that validate a ForumForm on every POST.
    """
    return csrf.exempt(view)


def confirmed() -> bool:
    """Whether a button that asks before it ends something (data-confirm) was answered yes:
    static/js/forum.js adds the field when its question is answered, and the page
    `ask_first` shows sends it. Without JavaScript the button's own form comes without it."""
    return request.form.get("confirmed") == "yes"


def kept_by_answer() -> bool:
    """Whether the page `ask_first` showed with `back_keeps_form` was answered "keep it": its back
    button sends the form again, unchanged, for the view to show the form with what was typed."""
    return request.form.get("confirmed") == "no"


def seen_what_it_ends(form, key: str, description: str) -> bool:
    """Whether whoever sends `form` saw what saving it ends, which no later change brings back
    (mentorships ended by a change of role, approval, age group or a mentor's settings). `key`
    names what it would end, empty when nothing. The first time, the form comes back with
    `description` above it and carries `key` in its `ending` field, to be sent again; anything
    more begun meanwhile changes the key, and asks again."""
    if not key or form.ending.data == key:
        return True
    form.ending.data = key
    form.form_errors.append(description)
    return False


class ShownBack(NamedTuple):
    """A text typed into the form, shown on the question's page, where the details speak of
    it ("with your note if you wrote one"): `none` says so when nothing was typed."""
    label: str  # "Your note"
    text: str
    none: str


def ask_first(question: str, details: str, button: str, back: str, back_label: str,
              kept: dict[str, str] | None = None, back_keeps_form: str = "",
              shown_back: ShownBack | None = None) -> str:
    """The button's question on a page of its own, for a browser without JavaScript: its
    button sends the same form again, answered (`kept`: the form's other fields), and
    `back` changes nothing.

    `back_keeps_form`: what `kept` holds was typed (a note), and a link back would lose it, so the
    back button sends the form again answered "no" (`kept_by_answer`), for the view to show
    its form with the text still in it. It names the id of that form (or of its heading) on the
    page shown, sent as the fragment of the back button's own address: the browser lands at the
    form, not at the top of a long page, with or without JavaScript. Only that button's: "yes"
    mostly redirects, which would carry the fragment on and leave the message at the top unseen.

    Sent to the address the button's form was sent to, query string and all: a form's action
    may carry where to go afterwards (a moderator's queue page, as `?back=`), which answering
    the question must not lose. The same app's own address, so safe to post to."""
    action = request.script_root + (request.full_path if request.query_string else request.path)
    return render_template("confirm.html", question=question, details=details, button=button, action=action,
                           back=back, back_label=back_label, kept=kept or {}, back_keeps_form=back_keeps_form,
                           shown_back=shown_back)

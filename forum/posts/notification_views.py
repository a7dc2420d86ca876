"""The notifications page and the email choices in settings."""
from urllib.parse import urlencode

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import BooleanField, RadioField, SelectChoice

from forum.clock import utcnow
from forum.errors import DomainError, NotFound
from forum.extensions import csrf, db
from forum.forms import form_checks_csrf
from forum.models.accounts import User
from forum.local_time import local_date, zone_of
from forum.posts import bp, digests, email_pause, email_stop, following, notifications
from forum.posts.forms import ActionForm, EmailPreferencesForm, PauseEmailsForm

NOTIFICATIONS_PER_PAGE = 30


@bp.get("/notifications")
@login_required
def notifications_page():
    page = db.paginate(notifications.notifications_for(current_user), page=request.args.get("page", 1, type=int),
                       per_page=NOTIFICATIONS_PER_PAGE, error_out=False)
    # Each linked by the engine's address, which leads on to its part's page: asking each
    # part for its own (a discussion's program) cost a statement for every thread followed.
    return render_template("posts/notifications.html", page=page, followed=following.followed_threads(current_user))


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def read_notification(notification_id):
    # Back to the page the button was on (marking one read on page 3 went to page 1), where
    # the notification was: on a phone, the top of the page was a long scroll from it. Read,
    # it moves below those still unread, and the one that was below it is in its place (or,
    # for the last on the page, the one above it stays in its own).
    page = request.form.get("page", 1, type=int)
    anchor = f"notification-{request.form.get('back_at', type=int) or notification_id}"
    back = url_for("posts.notifications_page", page=page, _anchor=anchor) if page > 1 else url_for(
        "posts.notifications_page", _anchor=anchor)
    if not ActionForm().validate_on_submit():
        return redirect(back)
    notification = notifications.mark_read(current_user, notification_id)
    if notification is None:
        raise NotFound("That notification can't be found.")
    return redirect(notification.link if request.form.get("go") else back)


@bp.before_app_request
def read_notification_followed_from_email():
    """An emailed link names its notification (`notifications.followed_from`): following
    it reads the notification, as pressing it on the notifications page does, then goes to
    the page's own address. Someone signed out signs in first and comes back with it; a
    link someone forwarded reads nothing of theirs (`mark_read` checks whose it is)."""
    if notifications.FOLLOWED_FROM not in request.args or request.method not in ("GET", "HEAD"):
        return None
    if not current_user.is_authenticated:
        return None
    notification_id = request.args.get(notifications.FOLLOWED_FROM, type=int)
    if notification_id is not None:
        notifications.mark_read(current_user, notification_id)
    rest = [(name, value) for name, value in request.args.items(multi=True) if name != notifications.FOLLOWED_FROM]
    return redirect(request.script_root + request.path + (f"?{urlencode(rest)}" if rest else ""))


@bp.post("/notifications/read-all")
@login_required
def read_all_notifications():
    if ActionForm().validate_on_submit():
        notifications.mark_all_read(current_user)
        flash("All notifications are marked read.", "info")
    return redirect(url_for("posts.notifications_page"))


DELIVERY_CHOICES = [SelectChoice("each", "Each as it happens"), SelectChoice("daily", "Together, in one email a day")]


def _preferences_form(formdata=None):
    class Form(EmailPreferencesForm):
        pass

    offered = notifications.kinds_offered_to(current_user)
    for kind, label in offered.items():
        setattr(Form, f"email_{kind}", BooleanField(label))
    at_once = [label for kind, label in offered.items() if kind in notifications.ALWAYS_AT_ONCE]
    # Sent without it (an older page), the choice stays as it was.
    Form.delivery = RadioField("How should they come?", choices=DELIVERY_CHOICES,
                               default="daily" if notifications.daily_email_chosen(current_user) else "each",
                               description=f"Whichever you choose, these come at once: “{'”, “'.join(at_once)}”." if at_once
                               else None)
    form = Form(formdata=formdata) if formdata is not None else Form(formdata=None)
    form.offered = offered
    if formdata is None:
        chosen = notifications.email_kinds(current_user)
        for kind in offered:
            getattr(form, f"email_{kind}").data = kind in chosen
    return form


def _saved_words(chosen: list[str], offered: dict[str, str], daily: bool) -> str:
    """What now comes by email, in the member's words: "saved" alone left them to wonder
    whether a daily email of nothing ticked would come, and when."""
    at_once = [offered[kind] for kind in chosen if daily and kind in notifications.ALWAYS_AT_ONCE]
    gathered = len(chosen) - len(at_once)
    if not chosen:
        return "Saved: no emails. Your notifications still show in the forum."
    kinds = f"the {gathered} kind{'' if gathered == 1 else 's'} you ticked"
    if not daily:
        return f"Saved: an email each time for {kinds}."
    if not at_once:
        return f"Saved: one email a day for {kinds}."
    urgent = f"an email at once for “{'”, “'.join(at_once)}”"
    return f"Saved: one email a day for {kinds}, and {urgent}." if gathered else f"Saved: {urgent}."


@bp.route("/settings/notifications", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def notification_settings():
    form = _preferences_form(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        chosen = [kind for kind in form.offered if getattr(form, f"email_{kind}").data]
        daily = form.delivery.data == "daily"
        notifications.set_email_kinds(current_user, chosen, daily=daily)
        paused = email_pause.paused_until(current_user, utcnow())
        flash(_saved_words(chosen, form.offered, daily) + (f" {_paused_words(paused)}" if paused else ""), "success")
        return redirect(url_for("posts.notification_settings"))
    return _settings_page(form, PauseEmailsForm(formdata=None))


def _settings_page(form, pause_form):
    paused_until = email_pause.paused_until(current_user, utcnow())
    # A pause stops these too, though they never wait for the daily email: said before pausing.
    chosen = notifications.email_kinds(current_user) if paused_until is None else set()
    urgent = [label for kind, label in form.offered.items() if kind in notifications.ALWAYS_AT_ONCE and kind in chosen]
    return render_template("posts/notification_settings.html", form=form, pause_form=pause_form,
                           paused_until=paused_until, until_resumed=email_pause.UNTIL_RESUMED, urgent=urgent)


def _paused_words(until) -> str:
    if until == email_pause.UNTIL_RESUMED:
        return "Emails are paused until you turn them back on."
    return f"Emails are paused until {local_date(until, zone_of(current_user))}."


@bp.post("/settings/notifications/pause")
@login_required
@form_checks_csrf
def pause_emails():
    pause_form = PauseEmailsForm()
    if pause_form.validate():
        try:
            until = email_pause.pause_emails(current_user, pause_form.pause_for.data, utcnow())
        except DomainError as error:
            pause_form.pause_for.errors = [error.message]
        else:
            flash(f"{_paused_words(until)} Your notifications still show in the forum.", "success")
            return redirect(url_for("posts.notification_settings"))
    return _settings_page(_preferences_form(), pause_form)


@bp.post("/settings/notifications/resume")
@login_required
def resume_emails():
    if ActionForm().validate_on_submit():
        email_pause.resume_emails(current_user, utcnow())
        flash("Emails are on again, as you chose them below.", "success")
    return redirect(url_for("posts.notification_settings"))


@bp.route("/email/stop/<token>", methods=["GET", "POST"])
@csrf.exempt
def stop_emails(token):
    """The link at the foot of a notification email: asks, then stops that kind of email
    for the person it was sent to, signed in or not; a mail app's one-click Unsubscribe
    stops it at once (forum/posts/email_stop.py)."""
    one_click = request.method == "POST" and email_stop.is_one_click(request.form)
    if request.method == "POST" and not one_click:
        csrf.protect()  # the site-wide guard, for the page's own button
    found = email_stop.read_stop_token(token)
    person = found and db.session.get(User, found[0])
    known = found and (found[1] in notifications.NOTIFICATION_KINDS or found[1] == digests.DIGEST)
    if person is None or person.closed_at is not None or not known:
        return render_template("posts/stop_emails.html", label=None), 404
    user_id, kind = found
    if one_click:
        # The provider reads only the status and keeps no cookie: no page, no flash.
        if kind == digests.DIGEST:
            digests.stop_daily_email(user_id)
        else:
            email_stop.stop_emails(user_id, kind)
        return "Unsubscribed.\n", 200, {"Content-Type": "text/plain; charset=utf-8"}
    if kind == digests.DIGEST:
        return _stop_daily_email(token, person)
    label = notifications.kind_label(kind, person)
    if request.method == "POST":
        # Its page's CSRF token was checked above.
        email_stop.stop_emails(user_id, kind)
        flash(f"You'll get no more emails about “{label}”.", "success")
        return redirect(url_for("posts.stop_emails", token=token))
    return render_template("posts/stop_emails.html", label=label, person=person,
                           emailed=email_stop.still_emailed(user_id, kind))


def _stop_daily_email(token, person):
    """The link at the foot of a daily email (forum/posts/digests.py)."""
    if request.method == "POST":
        digests.stop_daily_email(person.id)
        flash("You'll get no more daily emails.", "success")
        return redirect(url_for("posts.stop_emails", token=token))
    at_once = [label for kind, label in notifications.kinds_offered_to(person).items()
               if kind in notifications.ALWAYS_AT_ONCE and kind in notifications.email_kinds(person)]
    return render_template("posts/stop_emails.html", label="Your daily email", daily=True, person=person,
                           at_once=at_once, emailed=not digests.daily_email_stopped(person.id))

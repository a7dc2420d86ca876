"""Account pages: register, sign in and out, password reset, profile and settings."""
from flask import Response, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from forum import rate_limits
from forum.accounts import bp, closing, email_change, own_writing, registration, resetting, services
from forum.accounts.forms import (
    ChangeEmailForm, ChangePasswordForm, CloseAccountForm, ConfirmEmailChangeForm, ConfirmRegistrationForm, LoginForm, ProfileForm,
    RegisterForm, ResetPasswordForm, ResetRequestForm, TimeZoneForm,
)
from forum.accounts.permissions import profile_edit_refusal
from forum.accounts.redirects import safe_next
from forum.accounts.session import keeps_text_when_signed_out
from forum.clock import utcnow
from forum.errors import DomainError, attach_to_form, attach_where_free
from forum.extensions import csrf, db
from forum.forms import EXPIRED_BUTTON_MESSAGE, ForumForm, form_checks_csrf
from forum.models.accounts import retired_username_owner, user_by_username
from forum.posts.authored import authored_posts


def _sign_in(user, remember: bool) -> None:
    # A fresh session at sign-in, so a session fixed before sign-in is worthless.
    session.clear()
    login_user(user, remember=remember)


@bp.route("/register", methods=["GET", "POST"])
@form_checks_csrf
def register():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            sent_to = registration.start_registration(
                username=form.username.data, email=form.email.data, password=form.password.data,
                age_group=form.age_group.data, display_name=form.display_name.data or "",
                address=rate_limits.client_address(),
            )
        except DomainError as error:
            attach_to_form(form, error)
        else:
            # Named on the next page, so a mistyped address shows before a day of waiting.
            session[REGISTRATION_SENT_TO] = sent_to
            return redirect(url_for("accounts.registration_sent"))
    elif form.is_submitted():
        # A taken name and an easy password are told with a mistyped address, in one round.
        attach_where_free(form, registration.registration_problems(
            username=form.username.data or "", password=form.password.data or "",
            age_group=form.age_group.data or "", display_name=form.display_name.data or ""))
    return render_template("accounts/register.html", form=form)


REGISTRATION_SENT_TO = "registration_sent_to"


@bp.get("/register/sent")
def registration_sent():
    return render_template("accounts/register_sent.html", sent_to=session.get(REGISTRATION_SENT_TO))


@bp.route("/register/confirm/<token>", methods=["GET", "POST"])
def confirm_registration(token):
    """The emailed link shows a button: opening a link (GET) never creates anything."""
    try:
        pending = registration.pending_registration(token)
    except DomainError as error:
        if current_user.is_authenticated:
            # Most often the email's link pressed again after joining: they are in already,
            # and the register page would only send them home.
            flash(f"This link has expired or was already used. You are signed in as @{current_user.username}.",
                  "info")
            return redirect(url_for("home.index"))
        flash(error.message, "error")
        return redirect(url_for("accounts.register"))
    form = ConfirmRegistrationForm()
    if form.validate_on_submit():
        try:
            user = registration.finish_registration(token)
        except DomainError as error:
            flash(error.message, "error")
            return redirect(url_for("accounts.register"))
        _sign_in(user, remember=False)
        flash(f"Welcome, {user.display_name}! Your account is ready.", "success")
        return redirect(url_for("home.index"))
    return render_template("accounts/register_confirm.html", form=form, pending=pending)


@bp.route("/login", methods=["GET", "POST"])
@form_checks_csrf
def login():
    if current_user.is_authenticated:
        if request.method == "POST":
            # The sign-in page left open in another tab: this tab is signed in already, and
            # the form must not seem to have switched accounts.
            flash(f"You are signed in already, as @{current_user.username}. "
                  "To use another account, sign out first.", "info")
        return redirect(safe_next(request.args.get("next"), url_for("home.index")))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.login.data, form.password.data,
                                         address=rate_limits.client_address())
        except DomainError as error:
            attach_to_form(form, error)
        else:
            _sign_in(user, remember=form.remember.data)
            flash(f"Signed in. Welcome back, {user.display_name}.", "success")
            return redirect(safe_next(request.args.get("next"), url_for("home.index")))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@csrf.exempt
def logout():
    if current_user.is_authenticated:
        csrf.protect()  # the site-wide guard, for the signed in: no other site signs them out
    # Someone already signed out (in another tab, or their session ended elsewhere) who
    # presses Sign out on a page left open gets what they asked for: signed out, told so.
    # Clear first: logout_user leaves a note in the session that deletes the remember
    # cookie, and clearing afterwards would erase the note and keep the person signed in.
    session.clear()
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("home.index"))


@bp.route("/reset", methods=["GET", "POST"])
@form_checks_csrf
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        try:
            services.count_reset_request(form.email.data, address=rate_limits.client_address())
        except DomainError as error:  # too many: said the same whether the address has an account
            attach_to_form(form, error)
            return render_template("accounts/reset_request.html", form=form)
        resetting.mail_reset_link(form.email.data)
        # The same answer whether or not the address belongs to someone.
        flash("If that address belongs to an account, a reset link is on its way.", "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@form_checks_csrf
def reset_password(token):
    config = current_app.config
    try:
        user = services.user_for_reset_token(token, current_app.secret_key, config["PASSWORD_RESET_MAX_AGE"])
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("accounts.reset_request"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.set_new_password(user, form.password.data)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            if current_user.is_authenticated and current_user.id == user.id:
                # Their own link, opened where they are still signed in (most often someone
                # kept signed in who forgot the password the settings ask for): as after a
                # change in the settings, this session stays and the others end.
                _stay_signed_in_here()
                flash("Your password is changed. Other devices have been signed out.", "success")
                return redirect(url_for("accounts.settings"))
            if current_user.is_authenticated:
                # Someone else's link opened on a computer signed in to another account
                # (their own was signed out by the change): not "sign in with the new one".
                flash(f"The password of @{user.username} is changed. You are still signed in as "
                      f"@{current_user.username}: to sign in as @{user.username}, sign out first.", "success")
                return redirect(url_for("home.index"))
            flash("Your password is changed. Sign in with the new one.", "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form, token=token, account=user)


@bp.get("/users/<username>")
def profile(username):
    # An @mention of someone who has since closed their account: say so, under that name,
    # without leading on to the account's new one.
    name = username.removeprefix("@")
    user = db.session.scalar(user_by_username(name)) or db.first_or_404(retired_username_owner(name))
    if name != username:
        # "@juniper", as mentions and pages write people's names: one address per profile.
        # A closed account keeps the name it was found by, never its new one.
        return redirect(url_for("accounts.profile", username=name if user.closed_at else user.username), 301)
    # A closed account's page says only that it was closed.
    posts = None if user.closed_at else authored_posts(current_user, user, request.args.get("page", 1, type=int) or 1)
    return render_template("accounts/profile.html", profile_user=user, posts=posts)


@bp.route("/settings/profile", methods=["GET", "POST"])
@form_checks_csrf
@keeps_text_when_signed_out("bio")
@login_required
def edit_profile():
    form = ProfileForm(obj=current_user) if request.method == "GET" else ProfileForm()
    if request.method == "GET":
        form.bio.data = current_user.bio_md
    status = 200
    if form.validate_on_submit():
        try:
            services.update_profile(current_user, display_name=form.display_name.data, bio_md=form.bio.data or "")
        except DomainError as error:
            # Refused for who sends it (suspended), a 403; the form comes back with their text.
            attach_to_form(form, error)
            status = 403 if error.status == 403 else 200
        else:
            flash("Your profile is saved.", "success")
            return redirect(url_for("accounts.profile", username=current_user.username))
    return render_template("accounts/edit_profile.html", form=form,
                           refusal=profile_edit_refusal(current_user, current_user, utcnow())), status


def _render_settings(password_form=None, email_form=None, zone_form=None):
    return render_template(
        "accounts/settings.html",
        password_form=password_form or ChangePasswordForm(prefix="pw", formdata=None),
        # Empty: "Now:" above it names the current address, which in the box was typed after.
        email_form=email_form or ChangeEmailForm(prefix="em", formdata=None),
        zone_form=zone_form or TimeZoneForm(formdata=None, time_zone=current_user.time_zone),
    )


def _settings_at_top():
    """After a change that worked: the page at its top, where the message saying so is.
    The settings' forms are sent to their own card (`#email-heading`), so that a refused one
    comes back at its errors, and a redirect without an anchor of its own keeps the form's:
    on a phone the message was then far above, out of sight. "#top" is the page's top in
    every browser, with no element of that name."""
    return redirect(url_for("accounts.settings", _anchor="top"))


@bp.get("/settings")  # the address people type or guess: the settings, not "We couldn't find that page"
@bp.get("/settings/account")
@login_required
def settings():
    return _render_settings()


@bp.post("/settings/password")
@form_checks_csrf
@login_required
def change_password():
    form = ChangePasswordForm(prefix="pw")
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            _stay_signed_in_here()
            flash("Your password is changed. Other devices have been signed out.", "success")
            return _settings_at_top()
    elif form.is_submitted() and form.password.data and not form.password.errors:
        # The current password left empty: the new one's problems are told in the same round.
        for problem in services.new_password_problems(form.password.data):
            attach_to_form(form, problem)
    return _render_settings(password_form=form)


@bp.post("/settings/time-zone")
@form_checks_csrf
@login_required
def change_time_zone():
    form = TimeZoneForm()
    if form.validate_on_submit():
        try:
            services.set_time_zone(current_user, form.time_zone.data)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(f"Times are shown in your time zone now: {current_user.time_zone.replace('_', ' ')}.", "success")
            return _settings_at_top()
    # The list shows the zone still in force, not the one refused.
    form.time_zone.data = current_user.time_zone
    return _render_settings(zone_form=form), 422


@bp.post("/settings/sign-out-elsewhere")
@form_checks_csrf
@login_required
def sign_out_elsewhere():
    if ForumForm().validate_on_submit():  # the token alone: the action is the address
        services.end_every_session(current_user)
        _stay_signed_in_here()
        flash("You are signed out on every other device and browser, including those that kept you "
              "signed in. You are still signed in here.", "success")
    else:
        flash(EXPIRED_BUTTON_MESSAGE, "error")
    return redirect(url_for("accounts.settings"))


@bp.post("/settings/writing.csv")
@form_checks_csrf
@login_required
def download_writing():
    if not ForumForm().validate_on_submit():  # the token alone, as for any button
        flash(EXPIRED_BUTTON_MESSAGE, "error")
        return redirect(url_for("accounts.settings", _anchor="writing-heading"))
    try:
        name, text = own_writing.own_writing_file(current_user, utcnow())
    except DomainError as error:  # downloaded too often: said on the settings page
        flash(error.message, "error")
        return _render_settings(), error.status
    return Response(text, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _stay_signed_in_here() -> None:
    """After the epoch moved on: sign this session in again so only the others end,
    renewing "keep me signed in" on this device if it was on."""
    remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    _sign_in(current_user._get_current_object(), remember=remembered)


@bp.post("/settings/email")
@form_checks_csrf
@login_required
def change_email():
    form = ChangeEmailForm(prefix="em")
    if form.validate_on_submit():
        try:
            new_email = email_change.start_email_change(current_user, form.password.data, form.email.data)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(f"To finish, open the link we sent to {new_email}. "
                  f"Until then your address stays {current_user.email}.", "info")
            return _settings_at_top()
    return _render_settings(email_form=form)


@bp.route("/settings/close", methods=["GET", "POST"])
@form_checks_csrf
@login_required
def close_account():
    form = CloseAccountForm()
    if refusal := closing.closing_refusal(current_user, utcnow()):
        # Said on the page, before anything is filled in; a form sent anyway (from a page
        # opened before) is refused for who sends it, a 403, without a look at its password.
        return render_template("accounts/close.html", form=form, refusal=refusal), 403 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            closing.close_account(current_user._get_current_object(), form.password.data,
                                  remove_writing=form.writing.data == "remove")
        except DomainError as error:
            attach_to_form(form, error)
        else:
            session.clear()  # first, as in logout: the remember cookie must go too
            logout_user()
            flash("Your account is closed. Thank you for the time you spent here, and take care.", "success")
            return redirect(url_for("home.index"))
    elif form.is_submitted() and not form.expired and form.password.data:
        # Refused for a box not ticked or a choice not made: a wrong password is told with them.
        attach_where_free(form, closing.password_problems(current_user, form.password.data))
    return render_template("accounts/close.html", form=form)


def _after_email_link():
    # The link may be opened on a device that is not signed in: the sign-in page then,
    # rather than a "please sign in to see that page" for the settings.
    return url_for("accounts.settings" if current_user.is_authenticated else "accounts.login")


@bp.route("/settings/email/confirm/<token>", methods=["GET", "POST"])
@form_checks_csrf
def confirm_email_change(token):
    """The emailed link shows a button: mail scanners open links, and opening one (GET)
    never changes anything."""
    try:
        user, new_email = email_change.email_change_for_token(token)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(_after_email_link())
    form = ConfirmEmailChangeForm()
    if form.validate_on_submit():
        try:
            email_change.finish_email_change(token)
        except DomainError as error:
            flash(error.message, "error")
            return redirect(_after_email_link())
        if current_user.is_authenticated and current_user.id != user.id:
            # The new inbox read on a computer signed in to another account: not "your".
            flash(f"The email address of @{user.username} is now {new_email}.", "success")
            return redirect(url_for("home.index"))
        flash(f"Your email address is now {new_email}.", "success")
        return redirect(_after_email_link())
    return render_template("accounts/email_confirm.html", form=form, profile_user=user, new_email=new_email)

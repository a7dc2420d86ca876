"""Moderators' pages about people (suspension, age group) and the audit log."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.accounts.redirects import safe_next
from forum.clock import utcnow
from forum.errors import DomainError, attach_to_form, flash_outcome
from forum.extensions import db
from forum.forms import ask_first, confirmed, form_checks_csrf, kept_by_answer, seen_what_it_ends
from forum.local_time import local_datetime, zone_of
from forum.models.accounts import user_by_username
from forum.moderation import audit, bp, services
from forum.moderation.forms import AgeGroupForm, AuditFilterForm, ClearProfileForm, SuspendForm
from forum.moderation.permissions import can_change_age_group, can_moderate, can_read_audit_log
from forum.posts.forms import ActionForm

AUDIT_PER_PAGE = 50


def _moderated_user(username):
    if not can_moderate(current_user):
        abort(403)
    return db.first_or_404(user_by_username(username))


def _queue_page() -> dict:
    """The queue page the moderator came from (`back` in the address), kept through the
    actions here so "← Moderation queue" returns to it and the flag they were handling."""
    back = request.args.get("back") or ""
    queue = url_for("moderation.queue")
    return {"back": back} if back.split("?")[0] == queue and safe_next(back, "") else {}


def _person_page(user):
    return redirect(url_for("moderation.user", username=user.username, **_queue_page()))


def bio_removal_question(user) -> tuple[str, str]:
    """What ticking "Remove the bio" asks, in a dialog (forum.js) or on a page of its own:
    the bio is kept nowhere, the audit log noting only that it was removed."""
    return (f"Remove the bio of @{user.username} for good?",
            "It is not kept anywhere, not even in the audit log, so it cannot be given back. They are told why.")


def _render_user(user, suspend_form=None, age_form=None, profile_form=None, status=200):
    profile_form = profile_form or ClearProfileForm(formdata=None)
    profile_form.remove_bio.render_kw = {"data-confirm": " ".join(bio_removal_question(user))}
    return render_template(
        "moderation/user.html", person=user, came_from=_queue_page(),
        queue_page=_queue_page().get("back") or url_for("moderation.queue"),
        suspension=services.current_suspension(user, utcnow()),
        suspend_form=suspend_form or SuspendForm(formdata=None),
        age_form=age_form or AgeGroupForm(formdata=None, age_group=user.age_group),
        profile_form=profile_form,
        # Only where the form shows, which the hints are said under.
        age_group_hints=services.age_group_hints(user) if can_change_age_group(current_user, user) else [],
        lift_form=ActionForm(), history=db.session.scalars(audit.entries_about_user(user.id)).all(),
        actions=audit.AUDIT_ACTIONS,
    ), status


@bp.get("/mod/users/<username>")
@login_required
def user(username):
    return _render_user(_moderated_user(username))


@bp.post("/mod/users/<username>/suspend")
@login_required
@form_checks_csrf
def suspend(username):
    user = _moderated_user(username)
    form = SuspendForm()
    if form.validate_on_submit():
        try:
            suspension = services.suspend(current_user, user, days=form.days.data, reason=form.reason.data)
        except DomainError as error:
            if error.status != 400:
                raise
            attach_to_form(form, error)
        else:
            longer = (" (an earlier, longer suspension was already in force)"
                      if user.suspended_until > suspension.ends_at else "")
            until = local_datetime(user.suspended_until, zone_of(current_user))
            flash(f"@{user.username} is suspended until {until}{longer} "
                  "and signed out everywhere.", "success")
            return _person_page(user)
    return _render_user(user, suspend_form=form, status=422)


@bp.post("/mod/users/<username>/lift")
@login_required
def lift(username):
    user = _moderated_user(username)
    if ActionForm().validate_on_submit():
        flash_outcome(lambda: services.lift_suspension(current_user, user), f"@{user.username} can take part again.")
    return _person_page(user)


@bp.post("/mod/users/<username>/age-group")
@login_required
@form_checks_csrf
def change_age_group(username):
    user = _moderated_user(username)
    form = AgeGroupForm()
    if form.validate_on_submit():
        if not _age_ending_agreed(form, user):
            return _render_user(user, age_form=form)  # nothing wrong and nothing done: asked first
        try:
            ended = services.change_age_group(current_user, user, form.age_group.data, form.reason.data)
        except DomainError as error:
            if error.status != 400:
                raise
            attach_to_form(form, error)
        else:
            flash(f"@{user.username} is now in the {user.age_group} group. {ended}".strip(), "success")
            return _person_page(user)
    return _render_user(user, age_form=form, status=422)


def _age_ending_agreed(form, user) -> bool:
    """Whether the moderator saw what the move ends, as the admin's page asks before taking the
    mentor role (admin/views.py): moving back reopens nothing, so the first time the form comes
    back naming it, the reason kept; more begun meanwhile ask again."""
    key, ending = services.ending_after_age_group_change(current_user, user, form.age_group.data)
    return seen_what_it_ends(form, key, f"Moving @{user.username} to the {form.age_group.data} group {ending} "
                             "Change again to go ahead.")


@bp.post("/mod/users/<username>/profile")
@login_required
@form_checks_csrf
def clear_profile(username):
    user = _moderated_user(username)
    form = ClearProfileForm()
    if form.validate_on_submit():
        if kept_by_answer():  # "Keep the bio" on the page that asked: the person's page, the form as it was sent
            return _render_user(user, profile_form=form)
        if form.remove_bio.data and not confirmed() and services.may_remove_bio(current_user, user):
            # Sent without JavaScript, so the box's question was not asked yet. (A refusal is
            # left to the service, which says why.)
            kept = {"remove_bio": "y", "reason": form.reason.data}
            if form.reset_name.data:
                kept["reset_name"] = "y"
            return ask_first(*bio_removal_question(user), button="Remove the bio",
                             back=url_for("moderation.user", username=user.username, **_queue_page()),
                             back_label="Keep the bio", kept=kept, back_keeps_form="profile-heading")
        try:
            services.clear_profile(current_user, user, remove_bio=form.remove_bio.data,
                                   reset_name=form.reset_name.data, reason=form.reason.data)
        except DomainError as error:
            if error.status != 400:
                raise
            attach_to_form(form, error)
        else:
            flash(f"@{user.username}'s profile is cleared, and they are told why.", "success")
            return _person_page(user)
    return _render_user(user, profile_form=form, status=422)


@bp.get("/mod/audit")
@login_required
def audit_log():
    if not can_read_audit_log(current_user):
        abort(403)
    form = AuditFilterForm(request.args)
    zone_name = zone_of(current_user)
    # The boxes mean the reader's own days, as the When column shows their own clock.
    form.since.description = form.until.description = f"Days in {zone_name.replace('_', ' ')}"
    form.validate()  # a filter that makes no sense is shown with its error and left out
    filters = {name: getattr(form, name).data for name in ("actor", "about", "action", "target_type", "since", "until")
               if getattr(form, name).data and not getattr(form, name).errors}
    for name in ("actor", "about"):  # still filtered (to nothing), and said why beside the box
        if name in filters and not audit.is_known_name(filters[name]):
            getattr(form, name).errors = [f"Nobody here is called @{filters[name]}."]
    page = db.paginate(audit.audit_log(**filters, zone_name=zone_name),
                       page=request.args.get("page", 1, type=int), per_page=AUDIT_PER_PAGE, error_out=False)
    return render_template("moderation/audit.html", form=form, page=page, actions=audit.AUDIT_ACTIONS,
                           target_types=audit.AUDIT_TARGET_TYPES, target_links=audit.target_links(page.items))

"""Admin pages: find a user, change their roles and badges, manage badges."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from forum.accounts import staff
from forum.accounts.permissions import can_manage_users
from forum.admin import bp
from forum.clock import utcnow
from forum.accounts.notices import award_badge_and_tell, revoke_badge_and_tell
from forum.admin.forms import (
    AwardBadgeForm, BadgeForm, RevokeBadgeForm, RolesForm, TeenApprovalForm, TeenDeclineForm,
)
from forum.errors import Conflict, DomainError, Forbidden, attach_to_form, attach_where_free
from forum.extensions import db
from forum.forms import (
    ask_first, confirmed, form_checks_csrf, kept_by_answer, seen_what_it_ends, sent_back_if_expired,
)
from forum.mentors import endings, teen_approval, teen_asks
from forum.models.accounts import user_by_username

USERS_PER_PAGE = 25


# Whose pages these are and whom to ask: the error page's own "ask a moderator" sent a
# moderator, who may read the queue but not these, round in a circle.
NOT_AN_ADMIN = ("Only admins can open the admin pages, where people's roles and badges are changed. "
                "If you need something changed there, ask an admin.")


@bp.before_request
@login_required
def require_admin():
    if not can_manage_users(current_user):
        raise Forbidden(NOT_AN_ADMIN, title="For admins only")


# The People page's views besides everyone: the adult mentors an admin is to look at for teens.
TEEN_VIEWS = {
    "teens-waiting": ("Waiting for approval to mentor teens", teen_asks.waiting_for_approval),
    "teens-by-nobody": ("Approved by nobody (at the upgrade)", teen_asks.approved_by_nobody),
}


@bp.get("/users")
def users():
    counts = {name: teen_asks.count_of(listed()) for name, (_, listed) in TEEN_VIEWS.items()}
    view = request.args.get("view", "")
    if view in TEEN_VIEWS:
        query, listed = "", TEEN_VIEWS[view][1]()
    else:
        view, query = "", request.args.get("q", "")[:100]
        listed = staff.users_matching(query)
    page = db.paginate(listed, per_page=USERS_PER_PAGE, error_out=False)
    return render_template("admin/users.html", page=page, query=query, view=view, views=TEEN_VIEWS, counts=counts,
                           now=utcnow())


def _user_forms(user, roles_form=None, award_form=None, teens_form=None, revoke_form=None, revoke_slug=None,
                decline_form=None):
    # Only what they lack: offered one they hold, an admin was only told they hold it. A form
    # sent back (an expired page, a suspended admin) keeps its choice and shows its error, even
    # when another admin awarded that badge meanwhile.
    chosen = award_form.badge.data if award_form is not None else None
    award_form = award_form or AwardBadgeForm(formdata=None)
    to_award = db.session.scalars(staff.badges_to_award(user, chosen=chosen))
    award_form.badge.choices = _with_none_chosen([SelectChoice(b.slug, f"{b.icon} {b.name}") for b in to_award])
    roles_form = roles_form or RolesForm(formdata=None, roles=sorted(user.role_names),
                                         opened_with=staff.roles_version(user))
    # Only for the adult mentors an admin approves for teens (or withdraws it from).
    mentor_profile = None if teen_approval.approval_subject_refusal(user) else teen_approval.profile_of(user)
    teens_form = teens_form or TeenApprovalForm(formdata=None)
    # A badge's "Take away" refused (a reason too long, a suspended admin) comes back with
    # its own box as it was sent; every other badge's box is empty.
    return dict(profile_user=user, roles_form=roles_form, award_form=award_form,
                revoke_form=RevokeBadgeForm(formdata=None), refused_revoke=(revoke_slug, revoke_form),
                teens_form=teens_form, decline_form=decline_form or TeenDeclineForm(formdata=None),
                mentor_profile=mentor_profile, now=utcnow(),
                self_approval=teen_approval.self_approval_refusal(current_user, user))


@bp.get("/users/<username>")
def user(username):
    user = db.first_or_404(user_by_username(username))
    return render_template("admin/user.html", **_user_forms(user))


@bp.post("/users/<username>/roles")
@form_checks_csrf
def update_roles(username):
    user = db.first_or_404(user_by_username(username))
    form = RolesForm()
    status = 200
    if form.validate_on_submit():
        saving = dict(by=current_user, based_on=form.opened_with.data)
        try:
            if _role_ending_agreed(form, user, saving):
                before = user.role_names
                ended = staff.set_roles(user, form.roles.data, **saving)
                changed = staff.roles_change_in_words(user, before)
                flash(f"{changed} {ended}".strip(), "success" if before != user.role_names else "info")
                return redirect(url_for("admin.user", username=user.username))
        except DomainError as error:
            attach_to_form(form, error)
            if isinstance(error, Conflict):  # their roles as they are now; saving again, having seen them, goes through
                form.opened_with.data, status = staff.roles_version(user), 409
    return render_template("admin/user.html", **_user_forms(user, roles_form=form)), status


def _role_ending_agreed(form, user, saving: dict) -> bool:
    """Whether the admin saw what taking the mentor role ends. Ended mentorships and an approval
    to mentor teens don't come back with the role, so the first time the form comes back naming
    them (and carrying them, to be saved again); more begun meanwhile ask again. What saving would refuse (a
    suspended admin, roles changed meanwhile) is said before it asks, as withdrawing asks."""
    if "mentor" not in user.role_names or "mentor" in form.roles.data:
        return True
    staff.check_roles(user, form.roles.data, **saving)
    return seen_what_it_ends(form, *endings.role_ending(user))


@bp.post("/users/<username>/teen-mentoring")
@form_checks_csrf
def teen_mentoring(username):
    user = db.first_or_404(user_by_username(username))
    form = TeenApprovalForm()
    status = 422
    if form.validate_on_submit():
        try:
            if not _withdrawal_ending_agreed(form, user):
                status = 200  # nothing wrong and nothing done: asked first
            else:
                done, message = _approve_or_withdraw(user, form.approve.data, form.reason.data or "")
                flash(message, "success" if done else "info")
                return redirect(url_for("admin.user", username=user.username))
        except DomainError as error:  # a reason missing, a suspended admin: told beside the form, the reason kept
            attach_to_form(form, error)
    return render_template("admin/user.html", **_user_forms(user, teens_form=form)), status


def _withdrawal_ending_agreed(form, user) -> bool:
    """Whether the admin saw what withdrawing the approval ends, as _role_ending_agreed asks
    before taking the mentor role: the first time the form comes back naming it, the reason kept.
    What withdrawing would refuse (no reason, a suspended admin) is said before it asks, or an
    admin who confirmed would only then be refused."""
    profile = teen_approval.profile_of(user)
    if form.approve.data != "0" or profile is None or profile.teens_approved_at is None:
        return True
    teen_approval.check_withdrawal(current_user, user, form.reason.data or "")
    ending = endings.ending_after_teen_approval_withdrawn(user)
    return seen_what_it_ends(form, endings.ending_key(ending),
                             endings.describe_teen_approval_ending(user, ending) if ending else "")


@bp.post("/users/<username>/teen-mentoring/decline")
@form_checks_csrf
def decline_teen_mentoring(username):
    user = db.first_or_404(user_by_username(username))
    form = TeenDeclineForm()
    if form.validate_on_submit():
        try:
            declined = teen_approval.decline(current_user, user, form.reason.data or "")
        except DomainError as error:  # a reason missing, a suspended admin: told beside the form, the reason kept
            attach_to_form(form, error)
        else:
            if declined:
                flash(f"{user.username}'s request to mentor teens is declined; they were told why.", "success")
            else:
                flash(f"{user.username} has no request to mentor teens waiting (any more).", "info")
            return redirect(url_for("admin.user", username=user.username))
    return render_template("admin/user.html", **_user_forms(user, decline_form=form)), 422


def _approve_or_withdraw(user, approve: str, reason: str) -> tuple[bool, str]:
    """The button says which ("1" approve, "0" withdraw): a double-click changes nothing twice."""
    if approve == "1":
        if teen_approval.approve(current_user, user, reason):
            return True, f"{user.username} is approved to mentor teens; they were told."
        return False, f"{user.username} was approved to mentor teens already."
    if approve == "0":
        withdrawn, ended = teen_approval.withdraw(current_user, user, reason)
        if withdrawn:
            return True, f"{user.username} is no longer approved to mentor teens; they were told. {ended}".strip()
        return False, f"{user.username} was not approved to mentor teens (any more)."
    raise DomainError("Choose to approve or to withdraw the approval.")


def _with_none_chosen(badges: list[SelectChoice]) -> list[SelectChoice]:
    """The award list starts on no badge: the person is told at once, and a press with none
    chosen gave them the first on the list. Sent as it is, the form says "Choose a badge."."""
    return [SelectChoice("", "Choose a badge"), *badges] if badges else []


@bp.post("/users/<username>/badges")
@form_checks_csrf
def award_badge(username):
    user = db.first_or_404(user_by_username(username))
    form = AwardBadgeForm()
    every_badge = db.session.scalars(staff.all_badges())
    form.badge.choices = _with_none_chosen([SelectChoice(b.slug, b.name) for b in every_badge])
    if form.validate_on_submit():
        badge = staff.badge_by_slug(form.badge.data)
        try:
            awarded = award_badge_and_tell(user, badge, by=current_user, reason=form.reason.data or "")
        except DomainError as error:  # e.g. a suspended admin: told beside the form, the reason kept
            attach_to_form(form, error)
        else:
            if awarded:
                flash(f"{user.username} now holds {badge.name}.", "success")
            else:
                flash(f"{user.username} already holds {badge.name}.", "info")
            return redirect(url_for("admin.user", username=user.username))
    return render_template("admin/user.html", **_user_forms(user, award_form=form))


@bp.post("/users/<username>/badges/<slug>/revoke")
@form_checks_csrf
def revoke_badge(username, slug):
    user = db.first_or_404(user_by_username(username))
    badge = staff.badge_by_slug(slug)
    back = url_for("admin.user", username=user.username)
    form = RevokeBadgeForm()
    if (expired := sent_back_if_expired(form, lambda: redirect(back))) is not None:
        return expired  # nothing taken; the reason typed is put back in its box
    if kept_by_answer():  # "Keep the badge" on the page that asked: the person's page, the reason in its box
        return render_template("admin/user.html", **_user_forms(user, revoke_form=form, revoke_slug=badge.slug))
    held = any(held.badge_id == badge.id for held in user.badges)
    if form.valid and held and not confirmed():  # sent without JavaScript: the button's question not asked yet
        return ask_first(*taking_badge_question(user, badge), button="Take the badge away", back=back,
                         back_label="Keep the badge", kept={"reason": form.reason.data or ""},
                         back_keeps_form=f"badge-{badge.slug}")
    if form.valid or not held:  # gone already: no box to tell about the reason, and nothing to take
        try:
            taken = revoke_badge_and_tell(user, badge, by=current_user, reason=form.reason.data or "")
        except DomainError as error:  # e.g. a suspended admin: told beside the badge's box, the reason kept
            attach_to_form(form, error)
        else:
            if taken:
                flash(f"{badge.name} taken from {user.username}.", "success")
            else:
                flash(f"{user.username} does not hold {badge.name} (any more).", "info")
            return redirect(back)
    return render_template("admin/user.html", **_user_forms(user, revoke_form=form, revoke_slug=badge.slug))


@bp.app_template_global()
def taking_badge_question(user, badge) -> tuple[str, str]:
    """What Take away asks, in a dialog (forum.js) or on a page of its own: the person is told at once."""
    name = user.display_name
    return (f"Take {badge.name} away from {name}?",
            f"{name} is told at once, with your reason if you gave one, and can no longer enter "
            "what the badge unlocks. Awarding it again gives it back.")


@bp.route("/badges", methods=["GET", "POST"])
@form_checks_csrf
def badges():
    form = BadgeForm()
    if form.validate_on_submit():
        try:
            badge = staff.create_badge(slug=form.slug.data, name=form.name.data,
                                       description=form.description.data or "", icon=form.icon.data or "★",
                                       by=current_user)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(f"Badge {badge.name} created.", "success")
            return redirect(url_for("admin.badges"))
    elif form.is_submitted():
        attach_where_free(form, staff.badge_problems(slug=form.slug.data or "", name=form.name.data or ""))
    return render_template("admin/badges.html", form=form, badges=db.session.scalars(staff.all_badges()).all())

"""What every member can do: flag something, block someone, see whom they blocked."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from forum.accounts.redirects import safe_next
from forum.errors import DomainError, attach_to_form
from forum.extensions import db
from forum.forms import form_checks_csrf
from forum.models.accounts import user_by_username
from forum.moderation import blocking, bp, danger, flags
from forum.moderation.forms import FlagForm
from forum.posts.came_from import view_shown, where_post_is
from forum.posts.forms import ActionForm

BLOCKED_PER_PAGE = 30


@bp.route("/flag/<target_type>/<int:target_id>", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def flag(target_type, target_id):
    target = flags.flag_target_for(current_user, target_type, target_id)
    form = FlagForm()
    # Said on the form, so they know before sending that what they write is added to it.
    earlier = flags.open_flag_of(current_user, target_type, target_id)
    refused = False
    if form.validate_on_submit():
        try:
            flags.create_flag(current_user, target_type, target_id, form.reason.data, urgent=form.urgent.data)
        except DomainError as error:
            if error.status not in (400, 403, 429):
                raise
            attach_to_form(form, error)
            refused = error.status == 403  # suspended: said by the form, with the reason kept
        else:
            told = form.urgent.data and danger.anyone_to_tell(current_user, target.concerns)
            flash(_thanks(earlier is not None, urgent=form.urgent.data, told=told), "success")
            return redirect(_back_from_flagging(target))
    status = 403 if refused else 422 if form.errors or form.form_errors else 200
    return render_template("moderation/flag.html", form=form, target=target, earlier=earlier), status


def _thanks(flagged_before: bool, *, urgent: bool, told: bool) -> str | Markup:
    if flagged_before:
        said = "You flagged this already; what you wrote now was added for the moderators."
    elif urgent:
        said = "Thank you; nobody else is told you flagged it."
    else:
        return "Thank you. A moderator will look at it; nobody else is told you flagged it."
    if urgent:
        # The forum cannot reach anyone itself: say where help comes from faster than a moderator.
        said += (" The moderators have been told at once, and they will look at it first." if told else
                 " It waits first in the moderators' queue, but no moderator can be told at once right now.")
        # Markup, so the flashed words keep their link: Help now is where the crisis lines are.
        return Markup("{} If someone is in immediate danger, contact your local emergency services now. "
                      '<a href="{}">Help now</a> lists crisis lines.').format(said, url_for("home.help_now"))
    return said


def _back_from_flagging(target) -> str:
    """The page the Flag link was on: a post in the view of its thread it was read in
    (a call sorted by reactions); else the flagged thing's own link."""
    if target.post is not None and target.link and (shown := view_shown()):
        return where_post_is(current_user, target.post, shown)
    return target.link or url_for("home.index")


@bp.post("/users/<username>/block")
@login_required
def block(username):
    person = db.first_or_404(user_by_username(username))
    if ActionForm().validate_on_submit():
        blocking.block(current_user, person)
        flash(f"You blocked {person.display_name}. You won't hear from them, and their posts are folded away. "
              "They are not told.", "success")
        # Imported here: the mentors' rules import this package's rules on blocking.
        from forum.mentors.requests import open_request_between, request_link

        mentorship = open_request_between(current_user.id, person.id) or open_request_between(person.id, current_user.id)
        if mentorship is not None:
            # A block quiets them but does not end a mentorship (ending one tells the other
            # person, which a block never does): say so, on the page where it can be ended.
            flash(f"Your mentorship with {person.display_name} is still open: they can still write in its "
                  "conversation, though you won't be told. You can end it here.", "info")
            return redirect(request_link(mentorship))
    return redirect(url_for("accounts.profile", username=person.username))


@bp.post("/users/<username>/unblock")
@login_required
def unblock(username):
    person = db.first_or_404(user_by_username(username))
    if ActionForm().validate_on_submit():
        blocking.unblock(current_user, person)
        flash(f"You unblocked {person.display_name}.", "success")
    # Back where it was pressed (the Settings page, a page of the list), else on their profile.
    return redirect(safe_next(request.form.get("back"), url_for("accounts.profile", username=person.username)))


@bp.get("/settings/blocked")
@login_required
def blocked_people():
    page = db.paginate(blocking.blocked_people(current_user), page=request.args.get("page", 1, type=int),
                       per_page=BLOCKED_PER_PAGE, error_out=False)
    if not page.items and page.page > 1:
        # Past the last page (its last person unblocked from it): the last one, not "You haven't blocked anyone".
        return redirect(url_for("moderation.blocked_people", page=page.pages or None))
    return render_template("moderation/blocked.html", page=page, action_form=ActionForm())

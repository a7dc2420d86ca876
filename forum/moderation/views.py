"""The moderators' queue and what can be done from it."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.accounts.redirects import safe_next
from forum.clock import utcnow
from forum.errors import DomainError, NotFound, flash_outcome
from forum.extensions import db
from forum.forms import ask_first, confirmed, form_checks_csrf, sent_back_if_expired
from forum.moderation import bp, flags, reopening, services, waiting
from forum.moderation.forms import NoteForm, ReasonForm
from forum.moderation.permissions import can_delete_permanently, can_moderate, own_flags_refusal, post_concerns
from forum.posts import services as post_services
from forum.posts.policies import policy_for

FLAGS_PER_PAGE = 20
DISMISSALS_PER_PAGE = 20


@bp.app_template_global("flags_waiting")
def flags_waiting(viewer) -> waiting.Waiting:
    """For the header and the home page: asked only of a moderator."""
    return waiting.waiting_in_queue() if can_moderate(viewer) else waiting.Waiting(0, 0)


def _require_moderator() -> None:
    if not can_moderate(current_user):
        abort(403)


def _back_to_queue():
    # The queue page the moderator acted from, so they keep their place.
    return redirect(safe_next(request.form.get("back"), url_for("moderation.queue")))


def _close_flags(flag, status: str, done: str):
    form = NoteForm()
    if (expired := sent_back_if_expired(form, _back_to_queue)) is not None:
        return expired
    if form.valid:
        try:
            closed, what = flags.close_flag_group(current_user, flag, status, form.note.data)
        except DomainError as error:  # another moderator got there first
            flash(error.message, "info")
        else:
            flash(done.format(f"{closed} flag{'s' if closed != 1 else ''} on {what}"), "success")
    else:
        flash(form.first_error(), "error")
    return _back_to_queue()


def _named(post) -> str:
    # The queue's entries look alike on a busy evening: say whose post a button acted on.
    return f"the {_name_of(post)} by @{post.author.username} in “{post.thread.title}”"


def _name_of(post) -> str:
    """"response", "idea", "message": as the queue's heading and the flagger's notice name it."""
    return policy_for(post.thread.kind).name_of_post(post)


def _whose(post) -> str:
    named = _named(post)
    return named[0].upper() + named[1:]


@bp.app_template_global()
def deleting_question(post, named: str) -> tuple[str, str]:
    """What "Delete for good" asks, in a dialog (forum.js) or on a page of its own: unlike
    hiding, nothing brings the post back. `named`: the post as the queue names it."""
    replies = post.reply_count
    gone = (f"It and its {replies} repl{'y' if replies == 1 else 'ies'} go for good, with their reactions."
            if replies else "It goes for good, with its reactions.")
    return f"Delete {named} for good?", f"{gone} This cannot be undone."


@bp.get("/mod")
@login_required
def queue():
    """The queue, or one of its lists (`what`), or only what may be about someone in danger (`urgent=1`)."""
    _require_moderator()
    what, urgent_only = waiting.chosen_list(request.args.get("what")), request.args.get("urgent") == "1"
    counts = waiting.queue_counts()
    page = db.paginate(waiting.open_flag_groups(what, urgent_only), page=request.args.get("page", 1, type=int),
                       per_page=FLAGS_PER_PAGE, error_out=False)
    entries = flags.queue_entries(current_user, page.items)
    return render_template("moderation/queue.html", page=page, entries=entries, now=utcnow(), counts=counts,
                           what=what, urgent_only=urgent_only, lists=waiting.QUEUE_LISTS,
                           reason_form=ReasonForm(formdata=None), note_form=NoteForm(formdata=None))


@bp.post("/mod/flags/<int:flag_id>/dismiss")
@login_required
@form_checks_csrf
def dismiss(flag_id):
    flag = services.flag_for_staff(current_user, flag_id)
    return _close_flags(flag, "dismissed", "Dismissed {}: nothing needs doing.")


@bp.get("/mod/dismissed")
@login_required
def dismissed():
    _require_moderator()
    page = db.paginate(reopening.dismissals(), page=request.args.get("page", 1, type=int),
                       per_page=DISMISSALS_PER_PAGE, error_out=False)
    return render_template("moderation/dismissed.html", page=page,
                           entries=reopening.dismissal_entries(current_user, page.items))


@bp.post("/mod/flags/<int:flag_id>/reopen")
@login_required
def reopen(flag_id):
    """Undo a dismiss (the site-wide guard checks the token, as for restoring a post)."""
    flag = services.flag_for_staff(current_user, flag_id)
    try:
        count, what = reopening.reopen_dismissed(current_user, flag)
    except DomainError as error:
        flash(error.message, "info")
    else:
        flash(f"{count} flag{'s' if count != 1 else ''} on {what} wait{'s' if count == 1 else ''} in the queue again.",
              "success")
    return redirect(safe_next(request.form.get("back"), url_for("moderation.dismissed")))


@bp.post("/mod/flags/<int:flag_id>/resolve")
@login_required
@form_checks_csrf
def resolve(flag_id):
    flag = services.flag_for_staff(current_user, flag_id)
    return _close_flags(flag, "resolved", "Marked {} as handled.")


@bp.post("/mod/posts/<int:post_id>/hide")
@login_required
@form_checks_csrf
def hide_post(post_id):
    post = services.post_for_staff(current_user, post_id)
    form = ReasonForm()
    if (expired := sent_back_if_expired(form, _back_to_queue)) is not None:
        return expired
    flash_outcome(lambda: services.hide_post(current_user, post, form.reason.data if form.valid else ""),
                  f"{_whose(post)} is hidden, its author told why, and its flags closed.")
    return _back_to_queue()


@bp.post("/mod/posts/<int:post_id>/restore")
@login_required
def restore_post(post_id):
    post = services.post_for_staff(current_user, post_id)
    flash_outcome(lambda: post_services.restore_post(current_user, post), f"{_whose(post)} is back, and its author told.",
                  refusal_category="info")
    return _back_to_queue()


@bp.post("/mod/posts/<int:post_id>/delete")
@login_required
@form_checks_csrf
def delete_post(post_id):
    try:
        post = services.post_for_staff(current_user, post_id)
    except NotFound:
        if not services.deleted_for_good(post_id):
            raise
        # Pressed twice, or from a queue left open: what was asked is done.
        flash("That post is deleted for good already.", "info")
        return _back_to_queue()
    form = ReasonForm()
    if (expired := sent_back_if_expired(form, _back_to_queue)) is not None:
        return expired
    may_delete = can_delete_permanently(current_user) and not own_flags_refusal(current_user, post_concerns(post))
    if form.valid and may_delete and not confirmed():
        # Sent without JavaScript, so the button's question (queue.html) was not asked yet.
        # (A reason missing, or an admin who may not, goes on to the service, which says why.)
        return ask_first(*deleting_question(post, _named(post)), button="Delete for good",
                         back=safe_next(request.form.get("back"), url_for("moderation.queue")),
                         back_label=f"Keep the {_name_of(post)}",
                         kept={"reason": form.reason.data, "back": request.form.get("back", "")})
    whose = _whose(post)  # named before it goes
    try:
        replies = services.delete_post_permanently(current_user, post, form.reason.data if form.valid else "")
    except DomainError as error:
        if error.status != 400:
            raise
        flash(error.message, "error")
    else:
        with_replies = f" and its {replies} repl{'y' if replies == 1 else 'ies'} are" if replies else " is"
        flash(f"{whose}{with_replies} deleted for good.", "success")
    return _back_to_queue()

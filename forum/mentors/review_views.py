"""Writing, editing and answering reviews of mentors; moderators hiding and restoring them.

Reports of reviews are flags: the profile links to the moderation part's flag form."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.accounts.redirects import safe_next
from forum.clock import utcnow
from forum.errors import DomainError, Forbidden, attach_to_form, flash_outcome
from forum.extensions import db
from forum.forms import form_checks_csrf, sent_back_if_expired
from forum.mentors import bp, requests, review_flags, review_page, reviews
from forum.mentors.forms import ReviewForm, ReviewReplyForm
from forum.mentors.permissions import (
    REVIEW_EDIT_WINDOW, can_edit_review, can_see_reply_history, can_see_review, can_see_review_history,
    edit_reply_refusal, edit_review_refusal, reply_refusal,
    review_page_refusal, review_refusal,
)
from forum.moderation.forms import ReasonForm


def _to_review(review):
    # Reviews come ten to a page, newest first: an older one is on a later page.
    page = review_page.page_of_review(review, current_user)
    return redirect(url_for("mentors.profile", username=review.mentor.username, page=page if page > 1 else None,
                            _anchor=f"review-{review.id}"))


@bp.get("/reviews/<int:review_id>")
def review_permalink(review_id):
    """Where a notification about a review leads: the page of the mentor's profile it is on."""
    return _to_review(reviews.get_review_for(current_user, review_id))


def _to_own_review(mentorship, now):
    """Back at the form for a review they wrote (the Back button, an old link), the author is
    after that review: to edit it while they still may, or else to read it. None when it can
    be reached neither way (its mentor page is closed to them now)."""
    review = mentorship.review
    if review is None or review.author_id != current_user.id:
        return None
    if can_edit_review(current_user, review, now):
        flash("You have reviewed this mentorship already. You can change your review here.", "info")
        return redirect(url_for("mentors.edit_review", review_id=review.id))
    if review_page_refusal(current_user, mentorship) is None and can_see_review(current_user, review):
        flash("You have reviewed this mentorship already. Here is your review.", "info")
        return _to_review(review)
    return None


@bp.route("/requests/<int:request_id>/review", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def write_review(request_id):
    mentorship = requests.get_request_for(current_user, request_id)
    now = utcnow()
    refusal = review_refusal(current_user, mentorship, now)
    if refusal and request.method == "GET":
        own_review = _to_own_review(mentorship, now)
        if own_review is None:
            raise Forbidden(refusal)
        return own_review
    form = ReviewForm()
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                review = reviews.write_review(current_user, mentorship, form.rating.data, form.body.data, utcnow())
            except DomainError as error:
                attach_to_form(form, error)
                status = error.status
            else:
                flash("Thank you: your review is up. You can edit it for 7 days.", "success")
                return _to_review(review)
    return render_template("mentors/review_form.html", form=form, mentor=mentorship.mentor,
                           action=url_for("mentors.write_review", request_id=mentorship.id),
                           heading=f"Review your mentorship with {mentorship.mentor.display_name}"), status


@bp.route("/reviews/<int:review_id>/edit", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def edit_review(review_id):
    review = reviews.get_review_for(current_user, review_id)
    refusal = edit_review_refusal(current_user, review, utcnow())
    if refusal and request.method == "GET":
        raise Forbidden(refusal)
    form = ReviewForm()
    status = 200
    if request.method == "GET":
        form.process(data={"rating": str(review.rating), "body": review.body_md})
    else:
        status = 422
        if form.validate_on_submit():
            try:
                reviews.edit_review(current_user, review, form.rating.data, form.body.data, utcnow())
            except DomainError as error:
                attach_to_form(form, error)
                status = error.status
            else:
                flash("Your review is updated.", "success")
                return _to_review(review)
    return render_template("mentors/review_form.html", form=form, mentor=review.mentor,
                           edit_until=review.created_at + REVIEW_EDIT_WINDOW, review_id=review.id,
                           action=url_for("mentors.edit_review", review_id=review.id),
                           heading=f"Edit your review of {review.mentor.display_name}"), status


@bp.route("/reviews/<int:review_id>/reply", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def reply_to_review(review_id):
    review = reviews.get_review_for(current_user, review_id)
    return _reply_page(review, reply_refusal(current_user, review, reviews.profile_of(review), utcnow()),
                       reviews.reply_to_review,
                       endpoint="mentors.reply_to_review", heading=f"Reply to {review.author.display_name}'s review",
                       button="Post reply", done="Your reply is under the review.")


@bp.route("/reviews/<int:review_id>/reply/edit", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def edit_reply(review_id):
    review = reviews.get_review_for(current_user, review_id)
    return _reply_page(review, edit_reply_refusal(current_user, review, reviews.profile_of(review), utcnow()),
                       reviews.edit_reply,
                       endpoint="mentors.edit_reply",
                       heading=f"Edit your reply to {review.author.display_name}'s review", button="Save reply",
                       done="Your reply is updated.", written=review.mentor_reply_md,
                       hint="Readers see your reply was edited.")


def _reply_page(review, refusal: str | None, save, *, endpoint: str, heading: str, button: str, done: str,
                written: str | None = None, hint: str | None = None):
    """The mentor's reply to a review, written or edited: one form, the same rules, and the
    text sent back with its error when refused. `written` is the reply being edited."""
    if refusal and request.method == "GET":
        raise Forbidden(refusal)
    form = ReviewReplyForm()
    if hint:
        form.body.description = hint
    status = 200
    if request.method == "GET":
        if written is not None:
            form.process(data={"body": written})
    else:
        status = 422
        if form.validate_on_submit():
            try:
                save(current_user, review, form.body.data, utcnow())
            except DomainError as error:
                attach_to_form(form, error)
                status = error.status
            else:
                flash(done, "success")
                return _to_review(review)
    return render_template("mentors/review_reply.html", form=form, review=review,
                           action=url_for(endpoint, review_id=review.id), heading=heading, button=button), status


@bp.get("/reviews/<int:review_id>/history")
@login_required
def review_history(review_id):
    return _history_page(review_id, "review", can_see_review_history,
                         "Only the review's author and the moderators can read its earlier versions.")


@bp.get("/reviews/<int:review_id>/reply/history")
@login_required
def reply_history(review_id):
    return _history_page(review_id, "reply", can_see_reply_history,
                         "Only the mentor who replied and the moderators can read the reply's earlier versions.")


def _history_page(review_id: int, part: str, may_read, refusal: str):
    """What the review (`part` "review") or its reply ("reply") said before each edit."""
    review = reviews.get_review_for(current_user, review_id)
    if not may_read(current_user, review):
        raise Forbidden(refusal)
    return render_template("mentors/review_history.html", review=review, part=part,
                           revisions=db.session.scalars(reviews.revisions_of(review, part)).all())


def _whose(review) -> str:
    # The queue's entries look alike on a busy evening: say whose review a button acted on.
    return f"The review by @{review.author.username} of {review.mentor.display_name}"


def _back_to_where_the_moderator_was():
    return redirect(safe_next(request.form.get("back"), url_for("moderation.queue")))


@bp.post("/reviews/<int:review_id>/hide")
@login_required
@form_checks_csrf
def hide_review(review_id):
    review = review_flags.review_for_staff(current_user, review_id)
    form = ReasonForm()
    if (expired := sent_back_if_expired(form, _back_to_where_the_moderator_was)) is not None:
        return expired
    reason = form.reason.data if form.valid else ""
    flash_outcome(lambda: review_flags.hide_review(current_user, review, reason, utcnow()),
                  f"{_whose(review)} is hidden, its author told why, and its flags closed.")
    return _back_to_where_the_moderator_was()


@bp.post("/reviews/<int:review_id>/restore")
@login_required
def restore_review(review_id):
    review = review_flags.review_for_staff(current_user, review_id)
    flash_outcome(lambda: review_flags.restore_review(current_user, review),
                  f"{_whose(review)} is back on their page and in their rating, and its author told.",
                  refusal_category="info")
    return _back_to_where_the_moderator_was()

"""Writing, editing, answering and reporting reviews of mentors."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.clock import utcnow
from forum.errors import DomainError, Forbidden, attach_to_form
from forum.forms import form_checks_csrf
from forum.mentors import bp, requests, reviews
from forum.mentors.forms import ReportForm, ReviewForm, ReviewReplyForm
from forum.mentors.permissions import can_edit_review, can_reply_to_review, can_report_review, review_refusal


def _to_review(review):
    return redirect(url_for("mentors.profile", username=review.mentor.username, _anchor=f"review-{review.id}"))


@bp.route("/requests/<int:request_id>/review", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def write_review(request_id):
    mentorship = requests.get_request_for(current_user, request_id)
    refusal = review_refusal(current_user, mentorship)
    if refusal and request.method == "GET":
        raise Forbidden(refusal)
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
    if request.method == "GET" and not can_edit_review(current_user, review, utcnow()):
        raise Forbidden("A review can be edited by its author for 7 days after it was written.")
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
                           action=url_for("mentors.edit_review", review_id=review.id),
                           heading=f"Edit your review of {review.mentor.display_name}"), status


@bp.route("/reviews/<int:review_id>/reply", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def reply_to_review(review_id):
    review = reviews.get_review_for(current_user, review_id)
    if request.method == "GET" and not can_reply_to_review(current_user, review):
        raise Forbidden("Only the reviewed mentor can reply to a review, once.")
    form = ReviewReplyForm()
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                reviews.reply_to_review(current_user, review, form.body.data, utcnow())
            except DomainError as error:
                attach_to_form(form, error)
                status = error.status
            else:
                flash("Your reply is under the review.", "success")
                return _to_review(review)
    return render_template("mentors/review_reply.html", form=form, review=review), status


@bp.route("/reviews/<int:review_id>/report", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def report_review(review_id):
    review = reviews.get_review_for(current_user, review_id)
    if request.method == "GET" and not can_report_review(current_user, review):
        raise Forbidden("You can't report your own review; edit it instead.")
    form = ReportForm()
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                reviews.report_review(current_user, review, form.reason.data, utcnow())
            except DomainError as error:
                attach_to_form(form, error)
                status = error.status
            else:
                flash("Thank you. The moderators will look at this review.", "success")
                return _to_review(review)
    return render_template("mentors/report_review.html", form=form, review=review), status

"""Mentorship requests and conversations: ask, answer, close, and the lists of both sides."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.clock import utcnow
from forum.errors import Conflict, DomainError, attach_to_form
from forum.extensions import db
from forum.forms import ShownBack, ask_first, confirmed, form_checks_csrf, kept_by_answer
from forum.mentors import bp, pages, requests, services
from forum.mentors.forms import AnswerForm, MessageForm, RequestForm
from forum.mentors.permissions import can_answer_request, can_close_request, request_refusal
from forum.mentors.responsiveness import responsiveness_at

MENTORSHIPS_PER_PAGE = 20


@bp.route("/<username>/request", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def ask(username):
    profile = services.get_profile_for(current_user, username)
    form = RequestForm()
    status = 200
    if form.validate_on_submit():
        try:
            sent = requests.send_request(current_user, profile, form.message.data, utcnow())
        except DomainError as error:
            attach_to_form(form, error)
            status = error.status
        else:
            flash(f"Your request is with {profile.user.display_name}. You'll be told when they answer.", "success")
            return redirect(url_for("mentors.request_page", request_id=sent.id))
    elif form.errors:
        status = 422
    now = utcnow()
    refusal = request_refusal(current_user, profile, requests.open_request_between(current_user.id, profile.user_id),
                              now=now)
    return render_template("mentors/ask.html", form=form, profile=profile, refusal=refusal,
                           responsiveness_seconds=responsiveness_at(profile.user_id, now)), status


@bp.get("/requests/<int:request_id>")
@login_required
def request_page(request_id):
    mentorship = requests.get_request_for(current_user, request_id)
    return render_template("mentors/request.html", mentorship=mentorship, form=AnswerForm(formdata=None),
                           now=utcnow())


@bp.post("/requests/<int:request_id>/answer")
@login_required
@form_checks_csrf
def answer(request_id):
    mentorship = requests.get_request_for(current_user, request_id)
    form = AnswerForm()
    status = 422
    if form.validate_on_submit():
        decide = {"accept": requests.accept_request, "decline": requests.decline_request}.get(form.decision.data)
        if decide is None:
            raise DomainError("Choose to accept or decline the request.")
        if kept_by_answer():  # "Keep the request" on the page that asked: the form again, the note in it
            return render_template("mentors/request.html", mentorship=mentorship, form=form, now=utcnow())
        if decide is requests.decline_request and can_answer_request(current_user, mentorship, utcnow()) \
                and not confirmed():
            # Sent without JavaScript, so the button's question was not asked yet; the note
            # rides along to be sent with the answer. (One no longer open to answer goes on
            # to the service, which says why.)
            note = form.note.data or ""
            try:
                requests.answer_note(note)
            except DomainError as error:
                attach_to_form(form, error)
                return render_template("mentors/request.html", mentorship=mentorship, form=form,
                                       now=utcnow()), error.status
            return ask_first(*declining_question(mentorship), button="Decline the request",
                             back=url_for("mentors.request_page", request_id=mentorship.id),
                             back_label="Keep the request", kept={"decision": "decline", "note": note},
                             back_keeps_form="answer", shown_back=ShownBack("Your note", note, (
                                 f"You wrote no note: {mentorship.mentee.display_name} is told only that "
                                 "you can't take them on.")))
        try:
            decide(current_user, mentorship, form.note.data, utcnow())
        except Conflict as error:
            flash(error.message, "info")
            return redirect(url_for("mentors.request_page", request_id=mentorship.id))
        except DomainError as error:
            attach_to_form(form, error)
            status = error.status
        else:
            if mentorship.status == "accepted":
                flash("You accepted. Your conversation is open; say hello.", "success")
                return redirect(url_for("mentors.conversation", thread_id=mentorship.thread_id))
            flash("You declined the request; the listener has your note." if mentorship.note
                  else "You declined the request; the listener is told.", "success")
            return redirect(url_for("mentors.request_page", request_id=mentorship.id))
    return render_template("mentors/request.html", mentorship=mentorship, form=form, now=utcnow()), status


@bp.app_template_global()
def closing_question(mentorship) -> tuple[str, str]:
    """What the close button asks, in a dialog (forum.js) or on a page of its own."""
    if mentorship.status == "pending":
        name = mentorship.mentor.display_name
        return (f"Withdraw your request to {name}?",
                f"{name} can no longer answer it; to ask again, you write a new request.")
    return ("Close this mentorship?",
            "The conversation stays for you both to read, but no one can write in it again.")


@bp.app_template_global()
def declining_question(mentorship) -> tuple[str, str]:
    """What the Decline button asks, in a dialog (forum.js) or on a page of its own."""
    name = mentorship.mentee.display_name
    return (f"Decline the request from {name}?",
            f"{name} is told at once that you can't take them on, with your note if you wrote one. "
            "They may ask you again later.")


@bp.post("/requests/<int:request_id>/close")
@login_required
def close(request_id):
    mentorship = requests.get_request_for(current_user, request_id)
    if can_close_request(current_user, mentorship) and not confirmed():
        # Sent without JavaScript, so nothing has asked yet. (One no longer open to close
        # goes on to the service, which says why: closed already, declined meanwhile.)
        pending = mentorship.status == "pending"
        return ask_first(*closing_question(mentorship),
                         button="Withdraw my request" if pending else "Close this mentorship",
                         back=url_for("mentors.request_page", request_id=mentorship.id),
                         back_label="Keep my request" if pending else "Keep the mentorship")
    try:
        requests.close_request(current_user, mentorship, utcnow())
    except Conflict as error:
        flash(error.message, "info")
    else:
        # Withdrawn before an answer, a request never had a conversation to keep.
        flash("Closed. The conversation stays here for you both to read." if mentorship.was_accepted
              else "Your request is withdrawn.", "success")
    return redirect(url_for("mentors.request_page", request_id=mentorship.id))


def _mentorships(side: str, template: str):
    status = requests.check_status_filter(request.args.get("status"))
    page = db.paginate(requests.mentorships_of(current_user, side, status),
                       page=max(request.args.get("page", 1, type=int) or 1, 1),
                       per_page=MENTORSHIPS_PER_PAGE, error_out=False)
    return render_template(template, page=page, status=status)


@bp.get("/me/mentors")
@login_required
def my_mentors():
    return _mentorships("mentee", "mentors/my_mentors.html")


@bp.get("/me/mentees")
@login_required
def my_mentees():
    return _mentorships("mentor", "mentors/my_mentees.html")


@bp.get("/conversations/<int:thread_id>")
def conversation(thread_id):
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    view = pages.conversation_page(current_user, thread_id, page, request.args.get("order", "oldest"))
    return render_template("mentors/conversation.html", mentorship=view.request, view=view.view, form=MessageForm())

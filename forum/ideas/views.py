"""HTTP for calls for ideas: the board, a call, opening calls, phases, statuses, the shortlist."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.accounts.staff import all_badges
from forum.errors import DomainError, attach_to_form
from forum.extensions import db
from forum.forms import ask_first, confirmed, form_checks_csrf
from forum.ideas import bp, editing, reading, services
from forum.ideas.forms import CallEditForm, CallForm, IdeaForm, MergeForm, PhaseForm, StatusForm
from forum.ideas.permissions import (
    SORTS, can_change_phase, can_edit_call, can_open_call, can_see_shortlist, can_set_status, sort_refusal, sorts_for,
    status_filter_refusal,
)
from forum.ideas.phase_questions import (
    PHASE_BUTTONS, SHORTLIST_TAKEN_DOWN, WHO_IS_TOLD, phase_question, takes_shortlist_down,
)
from forum.models.ideas import CALL_KIND, IDEA_STATUSES, PHASES, IdeaStatus
from forum.posts.policies import policy_for


@bp.app_context_processor
def idea_template_globals():
    # The panel's calls come through a function, so only pages that show it run its query.
    return {"open_idea_calls": lambda: reading.open_calls_for_home(current_user),
            "PHASE_LABELS": PHASES, "SORT_LABELS": SORTS, "STATUS_LABELS": IDEA_STATUSES}


def _page_arg() -> int:
    return request.args.get("page", 1, type=int) or 1


@bp.get("")
def board():
    phase = request.args.get("phase") or None
    if phase is not None and phase not in PHASES:
        raise DomainError(f"There is no phase called “{phase[:40]}”. Choose one of: {', '.join(PHASES)}.")
    page, counts = reading.board_page(current_user, phase, _page_arg())
    return render_template("ideas/board.html", page=page, counts=counts, phase=phase)


@bp.route("/new", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def open_call():
    if not can_open_call(current_user):
        abort(403, "Only moderators and admins can open a call for ideas.")
    form = CallForm()
    form.set_badges(db.session.scalars(all_badges()))
    status = 422 if request.method == "POST" else 200
    if form.validate_on_submit():
        try:
            call = services.open_call(
                current_user, title=form.title.data, question=form.question.data, audience=form.audience.data,
                badge_slug=form.required_badge.data,
                hide_reactions_while_collecting=form.hide_reactions_while_collecting.data)
        except DomainError as error:
            attach_to_form(form, error)
            status = _refusal_status(error)
        else:
            flash("The call for ideas is open.", "success")
            return redirect(url_for("ideas.call", call_id=call.id))
    return render_template("ideas/open.html", form=form), status


@bp.get("/<int:call_id>")
@bp.get("/<int:call_id>-<slug>")
def call(call_id, slug=None):
    call = services.get_call_for(current_user, call_id)
    sort = request.args.get("sort") or "oldest"
    status = request.args.get("status") or None
    refusal = sort_refusal(current_user, call, sort) or (status and status_filter_refusal(status))
    if refusal:
        raise DomainError(refusal)
    view = reading.call_page(current_user, call, sort, _page_arg(), status)
    # Asked of the call alone, so a visitor is not invited to sign in to share an idea
    # the call would refuse.
    closed_to_ideas = policy_for(CALL_KIND).post_refusal(current_user, call.thread)
    return render_template("ideas/call.html", view=view, call=call, form=IdeaForm(), closed_to_ideas=closed_to_ideas,
                           sorts=sorts_for(current_user, call), who_is_told=WHO_IS_TOLD,
                           phase_form=PhaseForm.for_call(call, shortlist_empty=not view.counts.shortlisted))


@bp.route("/<int:call_id>/edit", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def edit_call(call_id):
    call = services.get_call_for(current_user, call_id)
    if not can_edit_call(current_user, call):
        abort(403, "Only moderators and admins can edit a call for ideas.")
    form = CallEditForm() if request.method == "POST" else CallEditForm.for_call(call, editing.call_version(call))
    form.set_badges(db.session.scalars(all_badges()))
    form.describe_hiding_for(call)
    if settled := editing.audience_is_settled(call):
        form.keep_who_may_take_part(call)
    status, changed_meanwhile = (422 if request.method == "POST" else 200), False
    if form.validate_on_submit():
        try:
            edited = editing.edit_call(
                current_user, call, title=form.title.data, question=form.question.data, audience=form.audience.data,
                badge_slug=form.required_badge.data,
                hide_reactions_while_collecting=form.hide_reactions_while_collecting.data, based_on=form.based_on.data)
        except DomainError as error:
            attach_to_form(form, error)
            status = 409 if error.status == 409 else _refusal_status(error)
            if changed_meanwhile := status == 409:
                # Shown how it reads now, with their text kept: a second save, made having seen it, goes through.
                form.based_on.data = editing.call_version(call)
        else:
            if edited:
                flash("The call is saved. Its page says it was edited.", "success")
            else:
                flash("Nothing to save: the call already reads like that.", "info")
            return redirect(url_for("ideas.call", call_id=call.id))
    return render_template("ideas/edit.html", form=form, call=call, changed_meanwhile=changed_meanwhile,
                           fixed_audience=editing.AUDIENCE_LABELS[call.thread.audience] if settled else None,
                           settled_words=editing.AUDIENCE_SETTLED), status


@bp.post("/<int:call_id>/phase")
@login_required
def change_phase(call_id):
    call = services.get_call_for(current_user, call_id)
    if not can_change_phase(current_user, call):
        abort(403, "Only moderators and admins can change the phase of a call.")
    form = PhaseForm()
    if not form.validate_on_submit():
        raise DomainError(" ".join(form.form_errors or form.phase.errors) or "Choose a phase.")
    asked = form.phase.data != call.phase and not services.publishes_empty_shortlist(call, form.phase.data)
    if asked and not confirmed():
        # Sent without JavaScript, so the option's question (PhaseForm.for_call) was not asked yet.
        # An empty shortlist is refused below at once: a yes to publishing it would only be told no.
        return ask_first(*phase_question(call, form.phase.data), button=PHASE_BUTTONS[form.phase.data],
                         back=url_for("ideas.call", call_id=call.id), back_label=f"Keep it in “{call.phase_label}”",
                         kept={"phase": form.phase.data})
    taken_down = f" {SHORTLIST_TAKEN_DOWN}" if takes_shortlist_down(call, form.phase.data) else ""
    try:
        services.change_phase(current_user, call, form.phase.data)
    except DomainError as error:
        if error.status != 400:
            raise
        flash(error.message, "error")
    else:
        flash(f"The call is now in the phase “{call.phase_label}”.{taken_down} {WHO_IS_TOLD}", "success")
    return redirect(url_for("ideas.call", call_id=call.id))


def _refusal_status(error: DomainError) -> int:
    """A form refused for its content is a 422; one refused for who sends it (a suspended
    moderator) a 403; a rate limit a 429. Either way the form comes back with its text."""
    return error.status if error.status in (403, 429) else 422


def _call_and_idea_to_review(call_id: int, idea_id: int):
    """The call and its idea, or 404 when either is missing, or 403 unless the user is staff."""
    call = services.get_call_for(current_user, call_id)
    idea = services.get_idea_for(current_user, call, idea_id)
    if not can_set_status(current_user, idea):
        abort(403, "Only moderators and admins review ideas.")
    return call, idea


def _call_view_reviewed_from(call) -> dict:
    """The sort, status shown and page of the call the reviewer came from (carried in the
    review page's address), so saving brings them back to the list they were working
    through. A sort they may not use now (reaction counts hidden again) is dropped."""
    came_from = {}
    sort = request.args.get("sort")
    if sort and not sort_refusal(current_user, call, sort):
        came_from["sort"] = sort
    status = request.args.get("status")
    if status and not status_filter_refusal(status):
        came_from["status"] = status
    page = request.args.get("page", 1, type=int) or 1
    if came_from and page > 1:
        came_from["page"] = page
    return came_from


def _back_to_call(call, idea, status: str | None = None) -> str:
    """The call page as the reviewer was reading it, at the idea; else where the idea is.
    An idea given `status` leaves a list of unreviewed ideas or of another status: the
    reviewer comes back to the list's top, where the next idea to review now is."""
    came_from = _call_view_reviewed_from(call)
    if not came_from:
        return url_for("posts.permalink", post_id=idea.id)
    leaves_list = status is not None and (
        (came_from.get("sort") == "unreviewed" and status != "new") or came_from.get("status", status) != status)
    return url_for("ideas.call", call_id=call.id, **came_from, _anchor="ideas" if leaves_list else f"post-{idea.id}")


def _review_page(call, idea, status_form=None, merge_form=None, status=200, merge_asked=None):
    record = db.session.get(IdeaStatus, idea.id)
    merged = record is not None and record.status == "merged"
    status_form = status_form or StatusForm(formdata=None, status="under_review" if merged or record is None
                                            else record.status, note=record.note if record else "")
    # A merged idea is offered no merge form (permissions.merge_refusal) unless the idea
    # it joined was removed, when there is no target left to keep.
    merge_form = merge_form or MergeForm(formdata=None)
    return render_template("ideas/review.html", call=call, idea=idea, record=record,
                           came_from=_call_view_reviewed_from(call), back=_back_to_call(call, idea),
                           status_form=status_form, merge_form=merge_form, merge_asked=merge_asked), status


@bp.route("/<int:call_id>/ideas/<int:idea_id>/review", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def review(call_id, idea_id):
    call, idea = _call_and_idea_to_review(call_id, idea_id)
    if request.method == "GET":
        return _review_page(call, idea)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            changed = services.set_status(current_user, idea, form.status.data, form.note.data)
        except DomainError as error:
            if error.status not in (400, 403):
                raise
            attach_to_form(form, error)
            return _review_page(call, idea, status_form=form, status=_refusal_status(error))
        else:
            if changed:
                flash("Status saved; the idea's author is told." if changed == "status" else "Note saved.", "success")
            else:
                flash(f"Nothing to save: the idea is already “{IDEA_STATUSES[form.status.data]}”, with that note.",
                      "info")
            return redirect(_back_to_call(call, idea, form.status.data))
    return _review_page(call, idea, status_form=form, status=422)


@bp.post("/<int:call_id>/ideas/<int:idea_id>/merge")
@login_required
@form_checks_csrf
def merge(call_id, idea_id):
    call, idea = _call_and_idea_to_review(call_id, idea_id)
    form = MergeForm()
    if form.validate_on_submit():
        try:
            if not confirmed():
                # The idea the number names, shown before anyone is told of the merge.
                asked = services.merge_target_for(current_user, idea, form.target_id, form.note.data)
                return _review_page(call, idea, merge_form=form, merge_asked=asked)
            target = services.merge_idea(current_user, idea, form.target_id, form.note.data)
        except DomainError as error:
            if error.status not in (400, 403):
                raise
            attach_to_form(form, error)
            return _review_page(call, idea, merge_form=form, status=_refusal_status(error))
        else:
            flash(f"Merged into idea #{target.id}. Its author and supporters are told.", "success")
            return redirect(_back_to_call(call, idea, "merged"))
    return _review_page(call, idea, merge_form=form, status=422)


@bp.get("/<int:call_id>/shortlist")
def shortlist(call_id):
    call = services.get_call_for(current_user, call_id)
    published = can_see_shortlist(current_user, call)
    page = reading.shortlist_page(call, _page_arg()) if published else None
    merged = reading.ideas_merged_into([record.post_id for record in page.items]) if page else {}
    return render_template("ideas/shortlist.html", call=call, page=page, published=published, merged=merged)

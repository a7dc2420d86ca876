"""Trainers' pages: writing programs and discussions, ordering, publishing, the dashboard."""
from functools import wraps

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.accounts.redirects import safe_next
from forum.clock import utcnow
from forum.errors import Conflict, DomainError, Forbidden, NotFound, attach_to_form
from forum.forms import ask_first, confirmed, form_checks_csrf, kept_by_answer, send_reason_back
from forum.text.typed import typed_whole_number
from forum.training import authoring, bp, completion, dashboard, discussion_authoring, services
from forum.training.requirements import too_few_fellows_warnings
from forum.training.dashboard_csv import csv_export
from forum.training.forms import DiscussionForm, ProgramForm, ReopenForm, ReorderForm, wanted_positions
from forum.training.permissions import authoring_refusal, can_manage_programs


def trainer_required(view):
    @wraps(view)
    @login_required
    def checked(*args, **kwargs):
        if not can_manage_programs(current_user):
            abort(403, "Only trainers can do this.")
        return view(*args, **kwargs)
    return checked


def _program(slug):
    return services.program_by_slug(current_user, slug)


def _saved_or_preview(form, save, preview_field: str):
    """Run `save` (or render a preview); returns (result, preview_html, status). Errors go
    on the form, which comes back with what was typed (403 when the trainer may not write
    now, e.g. while suspended; 409 when someone else changed it since the form was opened)."""
    if not form.validate_on_submit():
        return None, None, 200
    try:
        if form.preview.data:
            return None, authoring.preview(getattr(form, preview_field).data), 200
        return save(), None, 200
    except DomainError as error:
        attach_to_form(form, error)
        return None, None, error.status if isinstance(error, (Forbidden, authoring.ChangedMeanwhile)) else 200


@bp.route("/programs/new", methods=["GET", "POST"])
@trainer_required
@form_checks_csrf
def create_program():
    form = ProgramForm()
    program, preview, status = _saved_or_preview(
        form, lambda: authoring.create_program(current_user, **form.values()), "summary_md")
    if program is not None:
        flash(f"“{program.title}” is saved as a draft. Add its discussions, then publish it.", "success")
        return redirect(url_for("training.program", slug=program.slug))
    return render_template("training/program_form.html", form=form, program=None, preview=preview), status


@bp.route("/programs/<slug>/edit", methods=["GET", "POST"])
@trainer_required
@form_checks_csrf
def edit_program(slug):
    program = _program(slug)
    form = ProgramForm() if request.method == "POST" else ProgramForm.for_program(program)
    if authoring.audience_is_settled(program):
        form.audience.description = "People have taken part, so who it is for can no longer change."
    saved, preview, status = _saved_or_preview(
        form, lambda: authoring.update_program(current_user, program, form.based_on.data, **form.values()),
        "summary_md")
    if saved is not None:
        flash("The program is saved.", "success")
        return redirect(url_for("training.program", slug=saved.slug))
    if changed_meanwhile := status == 409:
        # Shown how it reads now, with their text kept: a second save, made having seen it, goes through.
        form.based_on.data = authoring.program_version(program)
    return render_template("training/program_form.html", form=form, program=program, preview=preview,
                           changed_meanwhile=changed_meanwhile), status


@bp.post("/programs/<slug>/publish")
@trainer_required
def publish(slug):
    program = _program(slug)
    wanted = request.form.get("published") == "1"
    if program.published and not wanted and not confirmed() and authoring_refusal(current_user, utcnow()) is None:
        # Sent without JavaScript, so the button's question (_trainer_tools.html) was not asked yet.
        # (A trainer who may not unpublish now goes on to the service, which says why.)
        return ask_first(*unpublishing_question(program), button="Unpublish the program",
                         back=url_for("training.program", slug=program.slug), back_label="Keep it published",
                         kept={"published": "0"})
    try:
        authoring.set_published(current_user, program, wanted)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash("The program is published." if wanted else _back_to_draft(program), "success")
    return redirect(url_for("training.program", slug=program.slug))


def _warn_if_too_few_fellows(discussion) -> None:
    """Said where the requirement was just set: a warning, as more trainees may enrol."""
    if warning := too_few_fellows_warnings([discussion]).get(discussion.id):
        flash(warning, "warning")


@bp.app_template_global()
def unpublishing_question(program) -> tuple[str, str]:
    """What the Unpublish button asks, in a dialog (forum.js) or on a page of its own: who
    can no longer reach the program (can_see_program, discussion_refusal)."""
    return (f"Unpublish “{program.title}”?",
            "Until you publish it again, only trainers and admins can open it: its enrolled trainees can no longer "
            "read or post in its discussions (their progress is kept), and nobody else can find it or enrol.")


def _back_to_draft(program) -> str:
    enrolled = authoring.enrolled_count(program)
    if not enrolled:
        return "The program is back to a draft; trainees can't see it."
    # Nobody is notified: a trainee reads why when they next open the program.
    who = "its 1 enrolled trainee reads" if enrolled == 1 else f"its {enrolled:,} enrolled trainees read"
    return (f"The program is back to a draft. Until you publish it again, {who} that it is closed for now "
            "on opening it; their progress is kept.")


@bp.route("/programs/<slug>/discussions/new", methods=["GET", "POST"])
@trainer_required
@form_checks_csrf
def create_discussion(slug):
    program = _program(slug)
    form = DiscussionForm()
    discussion, preview, status = _saved_or_preview(
        form, lambda: discussion_authoring.add_discussion(current_user, program, **form.values()), "lesson_md")
    if discussion is not None:
        flash(f"“{discussion.title}” is added as discussion {discussion.position}.", "success")
        _warn_if_too_few_fellows(discussion)
        return redirect(url_for("training.program", slug=program.slug))
    return render_template("training/discussion_form.html", form=form, program=program, discussion=None,
                           preview=preview), status


@bp.route("/programs/<slug>/discussions/<int:position>/edit", methods=["GET", "POST"])
@trainer_required
@form_checks_csrf
def edit_discussion(slug, position):
    program = _program(slug)
    if request.method == "POST":
        form = DiscussionForm()
        try:
            discussion = discussion_authoring.discussion_shown(program, position, form.opened_for)
        except NotFound:
            if form.opened_for is None:
                raise
            return _deleted_while_edited(program, form)
    else:
        discussion = discussion_authoring.discussion_of(program, position)
        form = DiscussionForm.for_discussion(discussion)
    saved, preview, status = _saved_or_preview(
        form, lambda: discussion_authoring.update_discussion(current_user, discussion, form.based_on.data,
                                                             **form.values()),
        "lesson_md")
    if saved is not None:
        saved, completed = saved
        moved = f" It is now discussion {saved.position}: it was moved while you edited it." \
            if saved.position != position else ""
        now_met = (f" {completed} trainee{' now meets' if completed == 1 else 's now meet'} what it asks and "
                   f"{'has' if completed == 1 else 'have'} completed it; they have been told.") if completed else ""
        flash("The discussion is saved." + moved + now_met, "success")
        _warn_if_too_few_fellows(saved)
        return redirect(url_for("training.program", slug=program.slug))
    if changed_meanwhile := status == 409:
        form.based_on.data = discussion_authoring.discussion_version(discussion)
    return render_template("training/discussion_form.html", form=form, program=program, discussion=discussion,
                           preview=preview, changed_meanwhile=changed_meanwhile), status


def _deleted_while_edited(program, form):
    """The discussion was deleted (in another tab, or by another trainer) while this edit
    was open: what they typed comes back, in a form that adds it as a new discussion."""
    form.form_errors.append("This discussion was deleted while you were editing it, so there is nothing left to "
                            "save your changes into. Your text is below: “Save discussion” adds it to the "
                            "program again, as a new discussion at the end.")
    return render_template("training/discussion_form.html", form=form, program=program, discussion=None,
                           action=url_for("training.create_discussion", slug=program.slug)), 409


@bp.route("/programs/<slug>/discussions/<int:position>/delete", methods=["GET", "POST"])
@trainer_required
def delete_discussion(slug, position):
    """Asks first (a page of its own, so it asks without JavaScript too), then deletes."""
    program = _program(slug)
    if request.method == "GET":
        discussion, count = discussion_authoring.discussion_of(program, position), authoring.discussion_count(program)
        written_in = discussion_authoring.has_been_written_in(discussion)
        refusal = discussion_authoring.WRITTEN_IN.format(title=discussion.title) if written_in \
            else authoring.emptying_refusal(program, discussion, count)
        return render_template("training/discussion_delete.html", program=program, discussion=discussion,
                               refusal=refusal, written_in=written_in, count=count)
    if (discussion := _discussion_pressed_for(program, position)) is None:
        return redirect(url_for("training.program", slug=slug))
    title, moved_up = discussion.title, discussion.position < authoring.discussion_count(program)
    try:
        discussion_authoring.delete_discussion(current_user, program, discussion)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(f"“{title}” is deleted" + ("; the discussions after it moved up a place." if moved_up else "."), "success")
    return redirect(url_for("training.program", slug=slug))


@bp.route("/programs/<slug>/order", methods=["GET", "POST"])
@trainer_required
@form_checks_csrf
def reorder(slug):
    program = _program(slug)
    form = ReorderForm()
    typed, refused, to_fix = {}, False, None
    if form.validate_on_submit():
        typed = wanted_positions(request.form)
        try:
            discussion_authoring.reorder_discussions(current_user, program, typed)
        except Conflict as error:
            flash(error.message, "error")
            typed = {}
        except DomainError as error:
            attach_to_form(form, error)
            refused, to_fix = isinstance(error, Forbidden), error.field
        else:
            flash("The new order is saved.", "success")
            return redirect(url_for("training.reorder", slug=program.slug))
    status = 403 if refused else 422 if form.errors or form.form_errors else 200
    return render_template("training/reorder.html", form=form, program=program, typed=typed, to_fix=to_fix,
                           discussions=discussion_authoring.discussions_of(program),
                           anyone_enrolled=authoring.enrolled_count(program) > 0), status


@bp.post("/programs/<slug>/discussions/<int:position>/move")
@trainer_required
def move(slug, position):
    program = _program(slug)
    if (discussion := _discussion_pressed_for(program, position)) is None:
        return redirect(url_for("training.reorder", slug=program.slug))
    if discussion.position != position:
        # Up or Down means a place next to where the page showed it: a second press of a
        # double-click, or a page left open while the order changed, would move it further.
        flash(f"“{discussion.title}” was moved since that page was shown: it is discussion "
              f"{discussion.position} now. Nothing else moved.", "info")
        return redirect(url_for("training.reorder", slug=program.slug))
    try:
        discussion_authoring.move_discussion(current_user, program, discussion, request.form.get("direction", ""))
    except DomainError as error:
        flash(error.message, "error")
    else:  # the page comes back at its top, above the list: say what moved where
        flash(f"“{discussion.title}” is now discussion {discussion.position}.", "success")
    return redirect(url_for("training.reorder", slug=program.slug))


def _discussion_pressed_for(program, position: int):
    """The discussion a Delete or Move button was shown for, or None (and the trainer told)
    when it was deleted since: a double-click, or a page left open in another tab."""
    discussion_id = typed_whole_number(request.form.get("discussion_id"))
    try:
        return discussion_authoring.discussion_shown(program, position, discussion_id)
    except NotFound:
        if discussion_id is None:
            raise
        flash("That discussion is not in this program any more: it was deleted already.", "info")
        return None


@bp.get("/programs/<slug>/dashboard")
@trainer_required
def progress_dashboard(slug):
    program = _program(slug)
    board = dashboard.dashboard(current_user, program, max(request.args.get("page", 1, type=int) or 1, 1),
                                at=request.args.get("at"), who=request.args.get("who"),
                                sort=request.args.get("sort"))
    return render_template("training/dashboard.html", board=board, program=program, reopen_form=ReopenForm(),
                           sorts=dashboard.SORTS)


@bp.get("/programs/<slug>/dashboard.csv")
@trainer_required
def dashboard_csv(slug):
    program = _program(slug)
    return Response(csv_export(current_user, program), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{program.slug}-progress.csv"'})


@bp.post("/programs/<slug>/enrollments/<int:enrollment_id>/discussions/<int:discussion_id>/reopen")
@trainer_required
def reopen(slug, enrollment_id, discussion_id):
    program = _program(slug)
    form = ReopenForm()
    at_the_row = _dashboard_as_left(program) + f"#trainee-{enrollment_id}"
    if kept_by_answer():  # "Keep it" on the page that asked: back at the row, the reason in its box
        send_reason_back(" ".join((form.reason.data or "").split()))
        return redirect(at_the_row)
    if not confirmed() and (asked := completion.to_reopen(current_user, program, enrollment_id, discussion_id)):
        # Sent without JavaScript, so the form's question (dashboard.html) was not asked yet.
        # (One the service would refuse goes on to it, which says why.)
        enrollment, discussion = asked
        reason = form.reason.data or ""
        return ask_first(*reopening_question(enrollment.user, discussion, enrollment.completed_at is not None),
                         button="Reopen the discussion", back=at_the_row, back_label="Keep their completion",
                         kept={"reason": reason, "back": request.form.get("back") or ""},
                         back_keeps_form=f"trainee-{enrollment_id}" if reason.strip() else "")
    try:
        trainee = completion.reopen_discussion(current_user, program, enrollment_id, discussion_id,
                                             form.reason.data or "")
    except Conflict as error:
        flash(error.message, "info")
    except DomainError as error:  # e.g. a suspended trainer: told on the dashboard, as by Publish and Move
        flash(error.message, "error")
    else:
        flash(f"The discussion is open again for {trainee.display_name}; they have been told.", "success")
        # At the trainee's row: on a phone the table is a long scroll below the funnel.
        return redirect(at_the_row)
    return redirect(_dashboard_as_left(program))


@bp.app_template_global()
def reopening_question(trainee, discussion, graduate: bool) -> tuple[str, str]:
    """What Reopen asks, in a dialog (forum.js) or on a page of its own: what it takes back, which
    nothing but the trainee's new posts gives back."""
    name = trainee.display_name
    taken = ("completion of the program is taken back until they complete it again" if graduate
             else "completion of this discussion is taken back")
    return (f"Reopen “{discussion.title}” for {name}?",
            f"{name}'s {taken}. They need a new response and replies in it, and are told at once, "
            "with your reason if you gave one.")


def _dashboard_as_left(program) -> str:
    """The dashboard page and filter the trainer reopened from, so they keep their place."""
    dashboard_path = url_for("training.progress_dashboard", slug=program.slug)
    back = (request.form.get("back") or "").split("#")[0]
    return back if back.split("?")[0] == dashboard_path and safe_next(back, "") else dashboard_path

"""Trainees' pages: the catalogue, a program, a discussion, enrolling and the certificate."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.errors import Conflict, Forbidden, NotFound
from forum.training import bp, completion, own_posts, pages, services
from forum.training.forms import ResponseForm
from forum.training.permissions import can_manage_programs, can_see_certificate, leave_refusal
from forum.training.requirements import too_few_fellows_warnings


def _page_arg() -> int:
    return max(request.args.get("page", 1, type=int) or 1, 1)


@bp.app_context_processor
def training_panel():
    # Functions, so only the pages that show the panel run its queries. The front page asks
    # for the featured programs twice (its opening words suggest training only when there
    # are some), and its panel lists them: one statement for both.
    featured = []

    def featured_programs():
        if not featured:
            featured.append(pages.featured_programs(current_user))
        return featured[0]

    return {"featured_programs": featured_programs,
            "training_next_steps": lambda: pages.next_steps(current_user),
            "programs_earning_badges": lambda programs: pages.earning_badges(current_user, programs)}


@bp.get("/programs")
def catalogue():
    page, entries = pages.catalogue(current_user, _page_arg())
    return render_template("training/catalogue.html", page=page, entries=entries)


@bp.get("/programs/<slug>")
def program(slug):
    try:
        program = services.program_by_slug(current_user, slug)
    except NotFound:
        # Moved to the other age group since they enrolled, they still read their own words there.
        if (own := own_posts.in_program_of_other_age_group(current_user, slug, _page_arg())) is None:
            raise
        return render_template("training/own_posts_only.html", program=own.program, own_posts=own)
    progress = services.progress_in(current_user, program)
    badge = program.awarded_badge
    # Only while they hold it: an admin may have taken it back since.
    held = progress.is_complete and badge is not None and badge.slug in current_user.badge_slugs
    opens = pages.opened_by_badge(current_user, badge) if held else []
    # Trainers are warned of a discussion asking more replies than its trainees can give.
    too_few = too_few_fellows_warnings(progress.discussions) if can_manage_programs(current_user) else {}
    return render_template("training/program.html", program=program, progress=progress, opens=opens,
                           earning=pages.earning_badge(current_user, program), too_few_fellows=too_few,
                           own_posts=own_posts.in_closed_program(current_user, progress, _page_arg()))


@bp.post("/programs/<slug>/enrol")
@login_required
def enrol(slug):
    program = services.program_by_slug(current_user, slug)
    try:
        progress = completion.enrol_and_complete_if_done(current_user, program)
    except Conflict as error:
        # A second click on the button: say so, and carry on as if it were the first.
        flash(error.message, "info")
        return redirect(url_for("training.program", slug=program.slug))
    if progress.done_count:  # back after leaving
        if progress.current is None:
            flash(f"Welcome back to “{program.title}”. You have completed it: nothing more is asked of you.",
                  "success")
            return redirect(url_for("training.program", slug=program.slug))
        flash(f"Welcome back to “{program.title}”. Your progress is kept: carry on with “{progress.current.title}”.",
              "success")
        return redirect(url_for("training.discussion", slug=program.slug, position=progress.current.position))
    flash(f"You're enrolled in “{program.title}”. Start with “{progress.at(1).title}”.", "success")
    return redirect(url_for("training.discussion", slug=program.slug, position=1))


@bp.route("/programs/<slug>/leave", methods=["GET", "POST"])
@login_required
def leave(slug):
    """Asks first, on a page of its own (so without JavaScript too), saying what leaving
    does; then leaves."""
    program = services.program_by_slug(current_user, slug)
    progress = services.progress_in(current_user, program)
    if request.method == "GET":
        if refusal := (None if progress.left is None else "You have left this program already.") \
                or leave_refusal(current_user, progress):
            flash(refusal, "info")
            return redirect(url_for("training.program", slug=program.slug))
        return render_template("training/leave.html", program=program, progress=progress)
    try:
        services.leave(current_user, program)
    except (Conflict, Forbidden) as error:
        flash(error.message, "info")
    else:
        flash(f"You left “{program.title}”.", "success")
    return redirect(url_for("training.program", slug=program.slug))


@bp.get("/programs/<slug>/discussions/<int:position>")
def discussion(slug, position):
    try:
        shown = pages.discussion_page(current_user, slug, position, _page_arg())
    except NotFound:
        # A program for the other age group has no discussion page for them: only their own posts.
        if own_posts.program_of_other_age_group(current_user, slug) is None:
            raise
        return redirect(url_for("training.program", slug=slug, _anchor="your-posts"))
    if shown.access.refusal:
        return render_template("training/locked.html", shown=shown,
                               earning=pages.earning_badge(current_user, shown.discussion.program)), 403
    form = ResponseForm()
    form.body.data = shown.discussion.response_template
    return render_template("training/discussion.html", shown=shown, form=form)


@bp.get("/programs/<slug>/certificate")
@login_required
def certificate(slug):
    try:
        program = services.program_by_slug(current_user, slug)
    except NotFound:
        # Moved to the other age group since they enrolled: a certificate they earned there is still theirs.
        if (program := own_posts.program_of_other_age_group(current_user, slug)) is None:
            raise
    try:
        progress = completion.certificate_for(current_user, program)
    except Forbidden as error:
        # Not done yet: the program's page shows how far they are and where to carry on.
        flash(error.message, "info")
        return redirect(url_for("training.program", slug=program.slug))
    if not can_see_certificate(current_user, progress):  # a trainer reopened a discussion since
        return render_template("training/certificate_reopened.html", program=program, progress=progress), 403
    return render_template("training/certificate.html", program=program, progress=progress)

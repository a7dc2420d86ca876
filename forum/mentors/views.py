"""The directory, mentor profiles, and the pages where mentors edit their own."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.clock import utcnow
from forum.errors import DomainError, NotFound, attach_to_form
from forum.forms import form_checks_csrf, seen_what_it_ends
from forum.local_time import local_datetime, zone_of
from forum.mentors import bp, directory, endings, pages, requests, services, teen_approval, teen_asks
from forum.mentors.availability import clock_in_zone, weekly_hours_text
from forum.mentors.permissions import is_mentor
from forum.mentors.forms import AvailableForm, MentorSettingsForm, MoveForm, SectionForm, TeenApprovalAskForm
from forum.mentors.responsiveness import label as responsiveness_label
from forum.models.mentors import SECTION_KINDS, SECTION_TITLES
from forum.text.typed import typed_whole_number


def _refusal_status(error: DomainError) -> int:
    """422 for what was typed; 403 when the mentor may not write now (suspended)."""
    return 403 if error.status == 403 else 422


def _page_arg() -> int:
    return max(request.args.get("page", 1, type=int) or 1, 1)


@bp.app_template_filter("responsiveness")
def responsiveness_filter(seconds):
    return responsiveness_label(seconds)


@bp.app_template_filter("clock_in_zone")
def clock_in_zone_filter(moment, zone_name):
    return clock_in_zone(moment, zone_name)


@bp.app_template_global("active_mentors_now")
def active_mentors_now(viewer, limit: int = 6):
    """For the home page panel: asked only when the panel is drawn."""
    return directory.active_now(viewer, utcnow(), limit)


@bp.app_template_global("mentorship_requests_waiting")
def mentorship_requests_waiting(viewer) -> int:
    """For the home page: asked only when the panel is drawn, and only of a mentor (the
    roles are loaded with the person, so everyone else's page runs no query for it)."""
    return requests.waiting_for_answer(viewer) if is_mentor(viewer) else 0


@bp.app_template_global("has_mentees_list")
def has_mentees_list(viewer) -> bool:
    """Whether the mentor page links to `viewer`'s list of mentees: a mentor's, and the one
    someone who no longer mentors keeps while it holds anything (a statement only for them)."""
    return is_mentor(viewer) or requests.was_asked_to_mentor(viewer)


@bp.app_template_global("mentor_audience_for")
def mentor_audience_for(viewer):
    return directory.audience_filter_for(viewer)


@bp.app_template_global("mentor_is_active")
def mentor_is_active(profile) -> bool:
    return directory.is_active(profile, utcnow(), current_user)


@bp.get("")
def index():
    now = utcnow()
    options = directory.tag_options(current_user)
    audiences = directory.audience_choices(current_user)
    filters = directory.parse_filters(request.args, options, audiences)
    page = directory.directory_page(current_user, filters, _page_arg(), now)
    return render_template("mentors/directory.html", page=page, filters=filters, options=options,
                           active=directory.active_now(current_user, now), sorts=directory.SORTS,
                           audiences=audiences)


@bp.get("/<username>")
def profile(username):
    now = utcnow()
    view = pages.profile_page(current_user, username, _page_arg(), now)
    return render_template("mentors/profile.html", view=view, profile=view.profile, now=now,
                           marked_available=directory.is_marked_available(view.profile, now))


@bp.get("/me")
@login_required
def me():
    profile = services.own_profile(current_user)
    return redirect(url_for("mentors.profile", username=profile.user.username))


@bp.route("/me/edit", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def edit():
    profile = services.own_profile(current_user)
    form = MentorSettingsForm()
    status = 200
    if request.method == "GET":
        _fill_from(form, profile)
    elif not form.validate_on_submit():
        status = 422
    elif _ending_agreed(form, profile):
        try:
            ended = services.update_settings(
                current_user, profile, headline=form.headline.data, tracks=form.tracks.data,
                knowledge=form.knowledge.data, languages=form.languages.data,
                mentors_teens=form.mentors_teens.data, mentors_adults=form.mentors_adults.data,
                accepting=form.accepting.data, timezone=form.timezone.data, hours=form.hours.data)
        except DomainError as error:
            attach_to_form(form, error)
            status = _refusal_status(error)
        else:
            flash(f"Your mentor settings are saved. {ended}".strip(), "success")
            return redirect(url_for("mentors.profile", username=current_user.username))
    return _settings_page(profile, form), status


def _fill_from(form: MentorSettingsForm, profile) -> None:
    form.process(data=dict(
        headline=profile.headline, mentors_teens=profile.mentors_teens, mentors_adults=profile.mentors_adults,
        accepting=profile.accepting, timezone=profile.timezone, hours=weekly_hours_text(profile.slots),
        **{field: ", ".join(tag.name for tag in profile.tags_of(kind))
           for field, kind in (("tracks", "track"), ("knowledge", "knowledge"), ("languages", "language"))}))


def _settings_page(profile, form: MentorSettingsForm, ask_form: TeenApprovalAskForm | None = None) -> str:
    return render_template("mentors/edit_settings.html", form=form, profile=profile,
                           ask_form=ask_form or TeenApprovalAskForm(formdata=None), now=utcnow(),
                           admins=services.admins_to_ask_for_teens(profile),
                           declined=teen_approval.last_decline(profile))


@bp.post("/me/teens/ask")
@login_required
@form_checks_csrf
def ask_teen_approval():
    """Ask an admin to approve me to mentor teens; a refused note comes back in its box."""
    profile = services.own_profile(current_user)
    form = TeenApprovalAskForm()
    if form.validate_on_submit():
        try:
            asked, told = teen_asks.ask(current_user, profile, form.note.data or "", utcnow())
        except DomainError as error:
            if error.status == 403:
                raise
            attach_to_form(form, error)
        else:
            flash(_asked_words(profile, asked, told), "success" if asked else "info")
            return redirect(url_for("mentors.edit", _anchor="teens-ask"))
    settings_form = MentorSettingsForm(formdata=None)
    _fill_from(settings_form, profile)
    return _settings_page(profile, settings_form, form), 422


def _asked_words(profile, asked: bool, told: int) -> str:
    if not asked:
        return (f"You asked already, on {local_datetime(profile.teens_asked_at, zone_of(current_user))}; "
                "it waits for an admin.")
    if not told:
        return ("Your request is kept on the admins' list, but no admin can be told at once right now; "
                "you will be told in your notifications when one approves you.")
    return "Your request is sent: the admins were told. You will be told in your notifications when one approves you."


@bp.post("/me/teens/withdraw")
@login_required
def withdraw_teen_approval_request():
    profile = services.own_profile(current_user)
    if teen_asks.withdraw_ask(current_user, profile, utcnow()):
        flash("Your request to mentor teens is withdrawn.", "success")
    else:
        flash("There was no request to mentor teens waiting (any more).", "info")
    return redirect(url_for("mentors.edit", _anchor="teens-ask"))


def _ending_agreed(form, profile) -> bool:
    """Whether the mentor saw what their change of whom they mentor ends. Ended mentorships
    don't come back when the box is ticked again, so the first time the form comes back
    naming them (and carrying them, to be saved again)."""
    ending = endings.ending_after_settings(current_user, profile, form.mentors_teens.data, form.mentors_adults.data)
    return seen_what_it_ends(form, endings.ending_key(ending),
                             endings.describe_ending(ending, current_user) if ending else "")


@bp.get("/me/sections")
@login_required
def sections():
    profile = services.own_profile(current_user)
    ordered = sorted(profile.sections, key=lambda s: (s.position, s.id))
    # Hidden or not: a hidden section that is empty too would show nothing if shown again.
    empty = {section.kind for section in ordered if not services.section_has_content(profile, section)}
    return render_template("mentors/sections.html", profile=profile, sections=ordered, empty=empty)


@bp.route("/me/sections/<kind>", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def edit_section(kind):
    if kind not in SECTION_KINDS:
        raise NotFound("There is no such section.")
    profile = services.own_profile(current_user)
    section = next(s for s in profile.sections if s.kind == kind)
    form = SectionForm()
    status = 200
    if request.method == "GET":
        form.process(data={"body": section.body_md, "hidden": section.hidden})
    elif form.validate_on_submit():
        try:
            services.edit_section(current_user, profile, kind, form.body.data, form.hidden.data)
        except DomainError as error:
            attach_to_form(form, error)
            status = _refusal_status(error)
        else:
            flash(f"“{SECTION_TITLES[kind]}” is saved.", "success")
            return redirect(url_for("mentors.sections"))
    else:
        status = 422
    return render_template("mentors/edit_section.html", form=form, section=section), status


@bp.post("/me/sections/<kind>/move")
@login_required
def move_section(kind):
    profile = services.own_profile(current_user)
    services.move_section(current_user, profile, kind, MoveForm().direction.data or "")
    return redirect(url_for("mentors.sections", _anchor=f"section-{kind}"))


@bp.post("/me/sections/<kind>/visibility")
@login_required
def toggle_section(kind):
    profile = services.own_profile(current_user)
    hidden = request.form.get("hidden") == "1"
    services.set_section_hidden(current_user, profile, kind, hidden)
    flash(f"“{SECTION_TITLES.get(kind, kind)}” is {'hidden' if hidden else 'shown'} on your profile.", "success")
    return redirect(url_for("mentors.sections", _anchor=f"section-{kind}"))


@bp.post("/me/available")
@login_required
def mark_available():
    profile = services.own_profile(current_user)
    hours = typed_whole_number(AvailableForm().hours.data)
    if hours is None:
        raise DomainError("Choose for how many hours you are available.", "hours")
    services.mark_available(current_user, profile, hours, utcnow())
    flash("You show as available now." if hours else "You no longer show as available.", "success")
    return redirect(url_for("mentors.profile", username=current_user.username))

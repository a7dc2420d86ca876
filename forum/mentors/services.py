"""Mentor profiles: created with the role, edited by their mentor (settings, tags, sections, hours)."""
import re
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import contains_eager, joinedload
from sqlalchemy.exc import IntegrityError

from forum.accounts.staff import open_admins, register_role_change_hook
from forum.errors import DomainError, Forbidden, NotFound, Problems
from forum.extensions import db
from forum.local_time import is_time_zone
from forum.mentors import availability, endings
from forum.clock import utcnow
from forum.mentors.permissions import approved_for_teens, can_see_mentor, profile_edit_refusal, teen_mentoring_refusal
from forum.models.accounts import User
from forum.models.mentors import SECTION_KINDS, AvailabilitySlot, MentorProfile, ProfileSection, ProfileTag, Tag
from forum.text import render_markdown
from forum.text.typed import typed_line, typed_text

HEADLINE_LIMIT = 120
SECTION_LIMIT = 5000
TAG_NAME_LIMIT = 40
TAG_LIMITS = {"track": 6, "knowledge": 12, "language": 6}
TAG_WORDS = {"track": "tracks", "knowledge": "knowledge areas", "language": "languages"}
# The settings form's field for each kind, where a refusal is shown.
TAG_FIELDS = {"track": "tracks", "knowledge": "knowledge", "language": "languages"}
AVAILABLE_HOURS = (1, 2, 4, 8)


def ensure_profile(user: User) -> MentorProfile:
    """The user's profile, created with its six empty sections if missing (no commit)."""
    return _stored_profile(user) or _new_profile(user)


def _stored_profile(user: User) -> MentorProfile | None:
    return db.session.scalar(select(MentorProfile).where(MentorProfile.user_id == user.id))


def _new_profile(user: User) -> MentorProfile:
    teen = user.age_group == "teen"
    profile = MentorProfile(user=user, mentors_teens=teen, mentors_adults=not teen)
    profile.sections = [ProfileSection(kind=kind, position=index) for index, kind in enumerate(SECTION_KINDS)]
    db.session.add(profile)
    db.session.flush()
    return profile


def _after_role_change(admin, user: User, roles_before: set[str], now: datetime) -> str:
    """A new mentor gets a profile and so appears in the directory. One who lost the role
    stops mentoring (see endings), and the admin is told what ended; giving the role back
    reopens nothing: their mentees ask afresh, and an adult is approved for teens afresh."""
    if user.has_role("mentor"):
        ensure_profile(user)
    elif "mentor" in roles_before:
        ended = endings.describe_ended_counted(endings.end_after_mentor_role_removed(admin, user, now))
        return " ".join(filter(None, (ended, endings.forget_teen_approval(user))))
    return ""


# Accounts owns roles and imports nothing of the mentor page: it calls this in the same
# transaction as the change.
register_role_change_hook(_after_role_change)


def own_profile(user: User) -> MentorProfile:
    """The signed-in mentor's own profile, made on first visit if the role came another way."""
    if not user.has_role("mentor"):
        raise Forbidden("Only mentors have a mentor profile.")
    profile = _stored_profile(user)
    if profile is None:
        profile = _new_profile(user)
        db.session.commit()
    # No commit otherwise: one with nothing to write expired everything the request had
    # loaded, and each of the mentor's own pages and forms read them again (3 statements).
    return profile


# Made once (the name is a parameter): SQLAlchemy works out a fresh statement's cache key
# by walking it, which costs about as much as running it. The mentor's badges are shown
# nowhere on their mentor pages: loaded only if asked for. Their tags are shown on every
# one, and a profile holds at most TAG_LIMITS' sum of them: joined, a row for each, rather
# than a statement of their own.
_PROFILE_BY_NAME = (select(MentorProfile).join(MentorProfile.user)
                    .options(contains_eager(MentorProfile.user).lazyload(User.badges),
                             joinedload(MentorProfile.tag_links).joinedload(ProfileTag.tag, innerjoin=False))
                    .where(User.username_key == bindparam("username_key")))


def get_profile_for(viewer, username: str) -> MentorProfile:
    """The mentor's profile, or NotFound when there is none or `viewer` may not see it."""
    found = db.session.execute(_PROFILE_BY_NAME, {"username_key": username.strip().lower()})
    profile = found.unique().scalar_one_or_none()
    if profile is None or not can_see_mentor(viewer, profile):
        raise NotFound("That mentor can't be found.")
    return profile


def _check_editor(user, profile: MentorProfile) -> None:
    if refusal := profile_edit_refusal(user, profile, utcnow()):
        raise Forbidden(refusal)


def tag_slug(name: str) -> str:
    return re.sub(r"[\W_]+", "-", name.lower()).strip("-")


def parse_tag_names(kind: str, text: str) -> list[str]:
    """Comma-separated names, strongest first; the first spelling of a repeated name wins."""
    names, slugs = [], set()
    for raw in re.split(r"[,\n]", typed_text(text)):
        name = " ".join(raw.split())
        if not name:
            continue
        if len(name) > TAG_NAME_LIMIT:
            raise DomainError(f"“{name[:50]}…” is too long; keep each name under {TAG_NAME_LIMIT} characters.",
                              TAG_FIELDS[kind])
        slug = tag_slug(name)
        if not slug:
            raise DomainError(f"“{name}” needs at least one letter or digit.", TAG_FIELDS[kind])
        if slug not in slugs:
            slugs.add(slug)
            names.append(name)
    if len(names) > TAG_LIMITS[kind]:
        raise DomainError(f"Name at most {TAG_LIMITS[kind]} {TAG_WORDS[kind]}; put your strongest first.",
                          TAG_FIELDS[kind])
    return names


def tags_named(kind: str, names: list[str]) -> list[Tag]:
    """The tags with these names, made when new; an existing spelling is kept."""
    slugs = [tag_slug(name) for name in names]
    found = {tag.slug: tag for tag in db.session.scalars(select(Tag).where(Tag.kind == kind, Tag.slug.in_(slugs)))}
    for name, slug in zip(names, slugs):
        if slug in found:
            continue
        try:
            with db.session.begin_nested():
                tag = Tag(kind=kind, name=name, slug=slug)
                db.session.add(tag)
        except IntegrityError:
            # Another mentor named it at the same moment: use theirs.
            tag = db.session.scalar(select(Tag).where(Tag.kind == kind, Tag.slug == slug))
        found[slug] = tag
    return [found[slug] for slug in slugs]


def _set_tags(profile: MentorProfile, tags_by_kind: dict[str, list[Tag]]) -> None:
    links = []
    for kind in ("track", "knowledge", "language"):
        links.extend(ProfileTag(tag=tag, position=len(links)) for tag in tags_by_kind[kind])
    profile.tag_links = []
    db.session.flush()
    profile.tag_links = links


def update_settings(mentor, profile: MentorProfile, *, headline: str, tracks: str, knowledge: str,
                    languages: str, mentors_teens: bool, mentors_adults: bool, accepting: bool,
                    timezone: str, hours: str, now: datetime | None = None) -> str:
    """Everything a mentor sets about themselves besides the sections; all or nothing.

    Mentorships and waiting requests with mentees of an age group the mentor no longer
    takes end with the change; what ended is returned in a sentence for the mentor."""
    _check_editor(mentor, profile)
    problems = Problems()
    headline = typed_line(headline)
    if len(headline) > HEADLINE_LIMIT:
        problems.add(f"Keep the headline under {HEADLINE_LIMIT} characters (this is {len(headline)}).", "headline")
    names = {"track": problems.check(parse_tag_names, "track", tracks),
             "knowledge": problems.check(parse_tag_names, "knowledge", knowledge),
             "language": problems.check(parse_tag_names, "language", languages)}
    if mentor.age_group == "teen" and mentors_adults:
        problems.add("Teen mentors mentor teens only.", "mentors_adults")
    if mentors_teens and (not_approved := teen_mentoring_refusal(mentor, profile)):
        problems.add(not_approved, "mentors_teens")
    if accepting and not (mentors_teens or mentors_adults):
        problems.add("Choose whom you mentor (teens, adults or both) to take mentees.", "mentors_teens")
    if not is_time_zone(timezone):
        problems.add("Choose your time zone from the list.", "timezone")
    slots = problems.check(availability.parse_weekly_hours, hours)
    problems.refuse_any()

    profile.headline = headline
    _set_tags(profile, {kind: tags_named(kind, kind_names) for kind, kind_names in names.items()})
    profile.mentors_teens, profile.mentors_adults = bool(mentors_teens), bool(mentors_adults)
    profile.accepting = bool(accepting)
    profile.timezone = timezone
    profile.slots = [AvailabilitySlot(weekday=s.weekday, start_minute=s.start_minute, end_minute=s.end_minute)
                     for s in slots]
    ended = endings.describe_ended(endings.end_after_settings_change(mentor, profile, now or utcnow()), by=mentor)
    db.session.commit()
    return ended


def admins_to_ask_for_teens(profile: MentorProfile) -> list[User]:
    """Whom a mentor asks to approve them for teens (a few admins, never the mentor: nobody
    approves themselves); none once they may mentor teens."""
    if approved_for_teens(profile):
        return []
    return list(db.session.scalars(open_admins().where(User.id != profile.user_id).limit(5)))


def _section(profile: MentorProfile, kind: str) -> ProfileSection:
    for section in profile.sections:
        if section.kind == kind:
            return section
    raise NotFound("There is no such section.")


def edit_section(mentor, profile: MentorProfile, kind: str, body_md: str, hidden: bool) -> ProfileSection:
    _check_editor(mentor, profile)
    section = _section(profile, kind)
    body_md = typed_text(body_md)
    if len(body_md) > SECTION_LIMIT:
        raise DomainError(f"Keep a section under {SECTION_LIMIT:,} characters (this is {len(body_md):,}).", "body")
    section.body_md = body_md
    section.body_html = render_markdown(body_md) if body_md else ""
    section.hidden = bool(hidden)
    db.session.commit()
    return section


def move_section(mentor, profile: MentorProfile, kind: str, direction: str) -> None:
    """Swap a section with its neighbour above ("up") or below ("down")."""
    _check_editor(mentor, profile)
    if direction not in ("up", "down"):
        raise DomainError("Move a section up or down.")
    ordered = sorted(profile.sections, key=lambda s: (s.position, s.id))
    index = ordered.index(_section(profile, kind))
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, section in enumerate(ordered):
        section.position = position
    db.session.commit()


def set_section_hidden(mentor, profile: MentorProfile, kind: str, hidden: bool) -> None:
    _check_editor(mentor, profile)
    _section(profile, kind).hidden = bool(hidden)
    db.session.commit()


def mark_available(mentor, profile: MentorProfile, hours: int, now: datetime) -> None:
    """Show in "active now" for the next `hours`; 0 takes the mark off."""
    _check_editor(mentor, profile)
    if hours and hours not in AVAILABLE_HOURS:
        raise DomainError("Choose 1, 2, 4 or 8 hours.", "hours")
    profile.available_now = bool(hours)
    profile.available_until = now + timedelta(hours=hours) if hours else None
    db.session.commit()


SECTION_TAG_KINDS = {"tracks": "track", "knowledge": "knowledge"}


def section_has_content(profile: MentorProfile, section: ProfileSection) -> bool:
    """Tracks and knowledge areas show their tags, availability its hours, besides any text."""
    if section.body_html:
        return True
    if section.kind in SECTION_TAG_KINDS:
        return bool(profile.tags_of(SECTION_TAG_KINDS[section.kind]))
    return section.kind == "availability" and bool(profile.slots)


def visible_sections(profile: MentorProfile) -> list[ProfileSection]:
    """Sections a reader sees, in the mentor's order: not hidden and not empty."""
    ordered = sorted(profile.sections, key=lambda s: (s.position, s.id))
    return [section for section in ordered if not section.hidden and section_has_content(profile, section)]

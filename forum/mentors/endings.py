"""Mentorships a change makes impossible end, the way a closing ends them.

accept_request refuses a mentorship the mentor's settings don't allow (audience_refusal),
and a mentor who no longer holds the mentor role. A later change must not leave one
running, nor a request waiting that could never be accepted: a moderator moving someone
between the teen and adult spaces, a mentor no longer mentoring teens or adults, or an
admin taking the mentor role away (see services._after_role_change). Each ends through
requests.end_request, with a reason both people are told, each in words addressed to them
("because you are no longer a mentor here"); the conversation locks and stays for the two
of them to read, its page giving the reason as stored, about neither of them.
"""
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import exists, or_, select

from forum.accounts.closing import register_account_closing_hook
from forum.accounts.names import FORMER_MEMBER
from forum.accounts.notices import KIND as ROLES_KIND, tell_role_lost
from forum.extensions import db
from forum.links import path_for
from forum.mentors.permissions import audience_refusal, hears_from, mentors_teens_now
from forum.mentors.requests import conversation_title, end_request, request_link
from forum.mentors.reviews import take_back_replies_teens_cannot_open
from forum.mentors.teen_asks import clear_ask
from forum.models.mentors import OPEN_STATUSES, MentorProfile, MentorshipRequest
from forum.models.posts import Thread
from forum.moderation.services import register_age_group_hook
from forum.posts.notifications import notify
from forum.text.bidi import isolate


def _open_requests_of(user_id: int, *, as_mentor_only: bool = False) -> list[MentorshipRequest]:
    """The person's waiting and running requests, on either side (few: one per pair)."""
    side = MentorshipRequest.mentor_id == user_id
    if not as_mentor_only:
        side = or_(side, MentorshipRequest.mentee_id == user_id)
    return list(db.session.scalars(select(MentorshipRequest).where(
        side, MentorshipRequest.status.in_(OPEN_STATUSES)).order_by(MentorshipRequest.id)))


@dataclass(frozen=True)
class Reason:
    """Why a request ended: as stored and shown on its page, and as each of the two reads it."""
    said: str
    to_mentee: str
    to_mentor: str

    def to(self, request: MentorshipRequest, person) -> str:
        return self.to_mentee if person.id == request.mentee_id else self.to_mentor


def _profile_of(user_id: int) -> MentorProfile | None:
    return db.session.scalar(select(MentorProfile).where(MentorProfile.user_id == user_id))


def end_after_age_group_change(moderator, user, now: datetime) -> list[MentorshipRequest]:
    """After `user` moved to another age group: end what their mentors' settings no longer allow.

    A mentor moved to the teen group stops mentoring adults, the rule update_settings keeps
    ("Teen mentors mentor teens only"), so their adult mentees' mentorships end too."""
    own_profile = _profile_of(user.id)
    if own_profile is not None:
        _change_whom_they_mentor(moderator, user, own_profile)
    refused = [(request, _moved_reason(user, request, profile))
               for request, profile in _refused_after_move(user, own_profile)]
    return _end_all(moderator, refused, now)


def _change_whom_they_mentor(moderator, user, profile: MentorProfile) -> None:
    """Fit whom `user` mentors to the group they moved to (not committed), and tell them what
    that ended or unticked in one notice; their mentorships each tell them on their own."""
    unticked, mentors_no_one = _unticked_by_move(profile, user.age_group)
    told = []
    if user.age_group == "teen":
        # Approval vetted an adult: moved back one day, they are asked afresh (and ask afresh).
        if profile.teens_approved_at is not None:  # ended like this, it does not come back with a move back
            told.append(_approval_ended_because("your account moved to the teen spaces, where you mentor teens "
                                                "without one"))
        profile.teens_approved_at = profile.teens_approved_by_id = None
        if _asked_for_teens(profile):  # withdrawn like this, it does not come back with a move back
            told.append(_ask_withdrawn_because("your account moved to the teen spaces"))
        clear_ask(profile)
        profile.mentors_adults = False
        # A mentor of adults only now mentors no one, and update_settings lets no one take
        # mentees without mentoring someone: lists must not offer them as taking mentees.
        profile.accepting = profile.accepting and profile.mentors_teens
    elif not mentors_teens_now(profile):
        # A teen mentor moved to the adults: an admin approves them before they mentor teens.
        stop_mentoring_teens(profile)
    if unticked:
        told.append(_no_longer_mentoring(unticked, mentors_no_one, after_more=bool(told)))
    if told and (moderator is None or moderator.id != user.id):
        # Whom they mentor is changed in the mentor settings; an approval is asked for there too.
        link = path_for("mentors.edit") if unticked else path_for("accounts.profile", username=user.username)
        # A moderator's doing, as the move's own notice: not an admin's role or badge change.
        notify(user, "moderation", " ".join(told), link, actor=moderator)


def _unticked_by_move(profile: MentorProfile | None, age_group: str) -> tuple[str | None, bool]:
    """Which group ("teen", "adult") moving `profile`'s mentor to `age_group` unticks of whom they
    mentor, None for neither, and whether they mentor no one after it: a teen mentors teens only
    (update_settings), an adult mentors teens once approved (a move to the teens ends the approval).
    Read before the move changes the profile."""
    if profile is None:
        return None, False
    if age_group == "teen":
        return ("adult", not profile.mentors_teens) if profile.mentors_adults else (None, False)
    if profile.mentors_teens and profile.teens_approved_at is None:
        return "teen", not profile.mentors_adults
    return None, False


def _no_longer_mentoring(group: str, mentors_no_one: bool, after_more: bool) -> str:
    """For the mentor a move unticked `group` for: why, and if no one is left, what that means. `after_more`:
    it follows what the move ended of their approval or request to mentor teens, which said why."""
    if group == "teen":
        why = ("You no longer mentor teens because your account moved to the adult spaces, where an admin approves "
               "adults before they mentor teens.")
    elif after_more:
        why = "You no longer mentor adults: teen mentors mentor teens only."
    else:
        why = ("You no longer mentor adults because your account moved to the teen spaces: teen mentors mentor "
               "teens only.")
    if mentors_no_one:
        return (f"{why} You mentor no one here now and take no new mentees, until you change that in your "
                "mentor settings.")
    return why


def _refused_after_move(user, own_profile) -> list[tuple[MentorshipRequest, object]]:
    """`user`'s open requests that their mentor's settings refuse now that `user` (with
    `own_profile`, their mentor profile as the move left it) is in their new group, each with
    that mentor's profile. Stand-ins do for both in ending_after_age_group_change."""
    refused = []
    for request in _open_requests_of(user.id):
        profile = own_profile if request.mentor_id == user.id else _profile_of(request.mentor_id)
        mentee = user if request.mentee_id == user.id else request.mentee
        if profile and audience_refusal(mentee, profile):
            refused.append((request, profile))
    return refused


def ending_after_age_group_change(user, age_group: str) -> list[MentorshipRequest]:
    """What moving `user` to `age_group` would end (end_after_age_group_change), worked out on
    stand-ins with nothing changed: moving back reopens nothing, so the moderator is asked first."""
    moved = SimpleNamespace(id=user.id, age_group=age_group, display_name=user.display_name)
    own_profile = _profile_of(user.id)
    if own_profile is not None:
        # Their whom-they-mentor as end_after_age_group_change leaves it.
        own_profile = SimpleNamespace(user=moved, mentors_teens=own_profile.mentors_teens,
                                      mentors_adults=own_profile.mentors_adults,
                                      teens_approved_at=own_profile.teens_approved_at)
        if age_group == "teen":
            own_profile.mentors_adults, own_profile.teens_approved_at = False, None
        elif not mentors_teens_now(own_profile):
            own_profile.mentors_teens = False
    return [request for request, _ in _refused_after_move(moved, own_profile)]


def _moved_reason(user, request: MentorshipRequest, profile: MentorProfile) -> Reason:
    """"Kit's account moved ... and Indigo mentors teens only", with Kit's and Indigo's own "you"."""
    moved = f"account moved to the {user.age_group} spaces"
    refusal = audience_refusal(request.mentee, profile).rstrip(".")
    own_refusal = audience_refusal(request.mentee, profile, to_the_mentor=True).rstrip(".")
    said = f"{isolate(user.display_name)}'s {moved} and {refusal}"
    if user.id == request.mentee_id:
        return Reason(said, to_mentee=f"your {moved} and {refusal}",
                      to_mentor=f"{isolate(user.display_name)}'s {moved} and {own_refusal}")
    return Reason(said, to_mentee=said, to_mentor=f"your {moved} and {own_refusal}")


def end_after_settings_change(mentor, profile: MentorProfile, now: datetime) -> list[MentorshipRequest]:
    """After `mentor` changed whom they mentor: end what they no longer take."""
    def no_longer_mentors(group: str) -> Reason:
        said = f"{isolate(mentor.display_name)} no longer mentors {group}s"
        return Reason(said, to_mentee=said, to_mentor=f"you no longer mentor {group}s")

    refused = [(request, no_longer_mentors(request.mentee.age_group))
               for request in _open_requests_of(mentor.id, as_mentor_only=True)
               if audience_refusal(request.mentee, profile)]
    if not mentors_teens_now(profile):
        take_back_replies_teens_cannot_open(mentor.id)
    return _end_all(mentor, refused, now)


def ending_after_settings(mentor, profile: MentorProfile, mentors_teens: bool,
                          mentors_adults: bool) -> list[MentorshipRequest]:
    """What saving these choices of whom `mentor` mentors would end (end_after_settings_change):
    ticking a group back restarts nothing, so the settings page asks before it saves."""
    chosen = SimpleNamespace(user=mentor, mentors_teens=bool(mentors_teens), mentors_adults=bool(mentors_adults),
                             teens_approved_at=profile.teens_approved_at)
    return [request for request in _open_requests_of(mentor.id, as_mentor_only=True)
            if audience_refusal(request.mentee, chosen)]


def ending_key(ending: list[MentorshipRequest]) -> str:
    """The requests a mentor agreed to end, as the settings form carries them back."""
    return ",".join(str(request.id) for request in ending)


def describe_ending(ending: list[MentorshipRequest], mentor) -> str:
    # `mentor`, reading this, is one of the two in each; they are told nothing (_end_all), as describe_ended says.
    one = len(ending) == 1
    return (f"Saving ends {_named(ending)}; {_others_told(ending, mentor, 'is', 'are')}. Save again to go ahead. "
            f"To take no new mentees but keep {'it' if one else 'them'}, tick whom you mentor back and untick "
            "“I'm taking new mentees” instead.")


def end_after_mentor_role_removed(admin, user, now: datetime) -> list[MentorshipRequest]:
    """After `user` lost the mentor role: end what waits for them or runs with them as mentor.

    Taking the role away is often a safety decision: their mentees must not go on writing
    to them. What they asked of their own mentors, as a mentee, carries on."""
    said = f"{isolate(user.display_name)} is no longer a mentor here"
    reason = Reason(said, to_mentee=said, to_mentor="you are no longer a mentor here")
    ended = _end_all(admin, [(request, reason) for request in _open_requests_of(user.id, as_mentor_only=True)], now)
    profile = _profile_of(user.id)
    if _asked_for_teens(profile):  # forget_teen_approval clears it next; this tells them
        _tell_ask_withdrawn(user, reason.to_mentor, by=admin)
    elif profile is not None and profile.teens_approved_at is not None:  # as it ends this, giving nothing back
        _tell_approval_ended(user, reason.to_mentor, by=admin)
    elif not ended:  # each ending told them why; with none, they still hear they lost the role
        tell_role_lost(user, "mentor", by=admin)
    return ended


def _asked_for_teens(profile: MentorProfile | None) -> bool:
    """Whether the mentor's request to be approved for teens waits (teen_asks.ask)."""
    return profile is not None and profile.teens_asked_at is not None


def _tell_ask_withdrawn(user, because: str, by) -> None:
    """Tell `user` their request to mentor teens was withdrawn `because` (addressed to them);
    `by` None: a change made from the command line."""
    if by is None or by.id != user.id:
        notify(user, ROLES_KIND, _ask_withdrawn_because(because),
               path_for("accounts.profile", username=user.username), actor=by)


def _tell_approval_ended(user, because: str, by) -> None:
    """Tell `user` their approval to mentor teens ended `because` (addressed to them), as
    _tell_ask_withdrawn tells of an ask."""
    if by is None or by.id != user.id:
        notify(user, ROLES_KIND, _approval_ended_because(because),
               path_for("accounts.profile", username=user.username), actor=by)


def _ask_withdrawn_because(because: str) -> str:
    return f"Your request to mentor teens was withdrawn because {because}."


def _approval_ended_because(because: str) -> str:
    return f"Your approval to mentor teens ended because {because}."


def _ask_withdrawn_with(change: str) -> str:
    """For whoever made `change` ("role", "move"), and the audit log."""
    return f"Their pending request to mentor teens was withdrawn with the {change}."


def _approval_ended_with(change: str) -> str:
    """As _ask_withdrawn_with, for an approval to mentor teens."""
    return f"Their approval to mentor teens ended with the {change}."


def _stopped_mentoring_with(change: str, group: str | None, mentors_no_one: bool) -> str:
    """As _ask_withdrawn_with, for a group `change` unticked of whom they mentor ("" for none)."""
    if group is None:
        return ""
    return f"They stopped mentoring {group}s with the {change}" + (", so they mentor no one now." if mentors_no_one
                                                                   else ".")


def ending_after_mentor_role_removed(user) -> list[MentorshipRequest]:
    """What taking the mentor role from `user` would end (end_after_mentor_role_removed):
    giving it back reopens nothing, so the admin page asks before it saves."""
    return _open_requests_of(user.id, as_mentor_only=True)


def role_ending(user) -> tuple[str, str]:
    """What taking the mentor role from `user` would end, for the admin page to ask first:
    its key (as ending_key, "" for nothing) and, for the admin, what saving ends and how to
    go ahead. An approval to mentor teens ends with the role (forget_teen_approval), and a
    request to be approved is withdrawn; like the mentorships, neither comes back with it:
    each is named, and reason enough to ask alone."""
    ending = ending_after_mentor_role_removed(user)
    profile = _profile_of(user.id)
    approved = profile is not None and profile.teens_approved_at is not None
    asked = _asked_for_teens(profile)
    key = _ending_and_teens_key(ending, approved, asked)
    ends = _what_it_ends(ending, approved, asked, undone_by="giving the role back")
    if not ends:
        return key, ""
    return key, f"Saving takes the mentor role from {user.username} and {' '.join(ends)} Save again to go ahead."


def _ending_and_teens_key(ending: list[MentorshipRequest], approved: bool, asked: bool,
                          mentors_no_one: bool = False) -> str:
    """ending_key, with what ends of being approved for teens, and of mentoring anyone: agreeing to
    one is not agreeing to more."""
    return ",".join(filter(None, (ending_key(ending), "teens-approval" if approved else "",
                                  "teens-ask" if asked else "", "mentors-no-one" if mentors_no_one else "")))


def _what_it_ends(ending: list[MentorshipRequest], approved: bool, asked: bool, undone_by: str,
                  unticked: str | None = None, mentors_no_one: bool = False) -> list[str]:
    """What a change ends that `undone_by` ("giving the role back") does not bring back, one sentence
    each: the first goes on from the change ("Saving takes the mentor role from kit and", "Moving @kit
    to the teen group"). `unticked`: the group it stops them mentoring, leaving them `mentors_no_one`
    or not."""
    ends = []
    if ending:
        ends.append(f"ends {_counted(ending)}: {_named(ending)}. {_both_told(ending, undone_by)}")
    not_restored = f"and {undone_by} does not restore it."
    if approved:
        ends.append(f"Their approval to mentor teens ends too, {not_restored}" if ends else
                    f"ends their approval to mentor teens, {not_restored}")
    if asked:
        ends.append(f"Their pending request to mentor teens is withdrawn too, {not_restored}" if ends else
                    f"withdraws their pending request to mentor teens, {not_restored}")
    if unticked:
        so = ", so they mentor no one and take no new mentees," if mentors_no_one else ","
        not_ticked = f"and {undone_by} does not tick “I mentor {unticked} listeners” again."
        ends.append(f"They stop mentoring {unticked}s too{so} {not_ticked}" if ends else
                    f"stops them mentoring {unticked}s{so} {not_ticked}")
    return ends


def stop_mentoring_teens(profile: MentorProfile) -> None:
    """Untick teens (not committed), as when the mentor does it, and take no mentees if that
    leaves no one: lists must not offer them as taking mentees (see update_settings)."""
    profile.mentors_teens = False
    profile.accepting = profile.accepting and profile.mentors_adults
    take_back_replies_teens_cannot_open(profile.user_id)


def end_after_teen_approval_withdrawn(admin, mentor, now: datetime) -> list[MentorshipRequest]:
    """After an admin withdrew `mentor`'s approval to mentor teens (teen_approval): end
    what runs or waits with teens. The teen reads only that the mentor no longer mentors
    teens here: why is between the admins and the mentor."""
    said = f"{isolate(mentor.display_name)} no longer mentors teens here"
    reason = Reason(said, to_mentee=said, to_mentor="an admin withdrew your approval to mentor teens")
    teens = [(request, reason) for request in ending_after_teen_approval_withdrawn(mentor)]
    ended = _end_all(admin, teens, now)
    if not ended and (admin is None or admin.id != mentor.id):
        profile = _profile_of(mentor.id)
        # A mentor of teens only now mentors no one: "adults only" would be untrue.
        now_mentors = ("; you mentor adults only now." if profile is not None and profile.mentors_adults else
                       ", so you mentor no one here now: tick “I mentor adult listeners” in your mentor settings "
                       "to take mentees again.")
        notify(mentor, ROLES_KIND, f"An admin withdrew your approval to mentor teens{now_mentors}",
               path_for("mentors.edit"), actor=admin)
    return ended


def ending_after_teen_approval_withdrawn(mentor) -> list[MentorshipRequest]:
    """What withdrawing `mentor`'s approval to mentor teens would end (end_after_teen_approval_withdrawn):
    approving again reopens nothing, so the admin page asks before it withdraws."""
    return [request for request in _open_requests_of(mentor.id, as_mentor_only=True)
            if request.mentee.age_group == "teen"]


def describe_teen_approval_ending(mentor, ending: list[MentorshipRequest]) -> str:
    """For the admin about to withdraw the approval: what it ends, and how to go ahead."""
    return (f"Withdrawing {mentor.username}'s approval to mentor teens ends {_counted(ending)}: {_named(ending)}. "
            f"{_both_told(ending, 'approving again')} Withdraw again to go ahead.")


def forget_teen_approval(user) -> str:
    """After `user` lost the mentor role (not committed): their approval to mentor teens
    goes with it, and teens are unticked, as does an ask to be approved; a sentence for the
    admin (and the audit log), "" if they had neither."""
    profile = _profile_of(user.id)
    asked = _asked_for_teens(profile)
    withdrawn = _ask_withdrawn_with("role") if asked else ""
    clear_ask(profile)
    if profile is None or profile.teens_approved_at is None:
        return withdrawn
    profile.teens_approved_at = profile.teens_approved_by_id = None
    stop_mentoring_teens(profile)
    return " ".join(filter(None, (_approval_ended_with("role"), withdrawn)))


def _end_all(actor, refused: list[tuple[MentorshipRequest, Reason]], now: datetime) -> list[MentorshipRequest]:
    """End each request (not committed) and tell both people why; the actor is told by the caller.

    `actor` None: a change made from the command line, so both people are told."""
    ended = []
    for request, reason in refused:
        was_running = request.status == "accepted"
        if not end_request(request, actor, now, reason.said):
            continue  # closed by one of the two in the meantime: nothing left to end
        ended.append(request)
        for person, other in ((request.mentee, request.mentor), (request.mentor, request.mentee)):
            if (actor is None or person.id != actor.id) and hears_from(person, actor):
                notify(person, "mentorship", f"{_what(request, person, other, was_running)} ended because {reason.to(request, person)}.",
                       request_link(request), actor=actor)
    return ended


def _what(request: MentorshipRequest, person, other, was_running: bool) -> str:
    if was_running:
        return f"Your mentorship with {isolate(other.display_name)}"
    if person.id == request.mentee_id:
        return f"Your request to {isolate(other.display_name)}"
    return f"{isolate(other.display_name)}'s request to you"


def _named(ended: list[MentorshipRequest]) -> str:
    return "; ".join(f"the mentorship between {r.mentee.display_name} and {r.mentor.display_name}"
                     if r.was_accepted else f"{r.mentee.display_name}'s request to {r.mentor.display_name}"
                     for r in ended)


def describe_ended(ended: list[MentorshipRequest], by=None) -> str:
    """For the person who made the change: what it ended, in one sentence (empty if nothing).
    `by`: the mentor in each, who made it (their own settings), and so was not told: the others were."""
    if not ended:
        return ""
    return f"This ended {_named(ended)}. {_others_told(ended, by) + '.' if by is not None else _both_told(ended)}"


def _others_told(ended: list[MentorshipRequest], mentor, one: str = "was", several: str = "were") -> str:
    """"Sunny and Kit were told why" ("is told" before it is done): _end_all tells the one who
    made the change nothing."""
    others = [request.mentee.display_name if request.mentor_id == mentor.id else request.mentor.display_name
              for request in ended]
    named = others[0] if len(others) == 1 else f"{', '.join(others[:-1])} and {others[-1]}"
    return f"{named} {one if len(others) == 1 else several} told why"


def describe_ended_counted(ended: list[MentorshipRequest]) -> str:
    """As describe_ended, how many first: a mentor losing the role can end a long list at once."""
    if not ended:
        return ""
    return f"This ended {_counted(ended)}: {_named(ended)}. {_both_told(ended)}"


def _both_told(ended: list[MentorshipRequest], undone_by: str | None = None) -> str:
    """That both people in what `ended` are told why (were told, once done), in words that fit one or several;
    with `undone_by` ("approving again"), that it reopens none of it."""
    one = len(ended) == 1
    if undone_by is None:
        return f"Both people {'' if one else 'in each '}were told why."
    reopens = "does not reopen it" if one else "reopens none of them"
    return f"Both people {'' if one else 'in each '}are told why, and {undone_by} {reopens}."


def _counted(requests: list[MentorshipRequest]) -> str:
    """"1 mentorship and 2 waiting requests"."""
    running = sum(1 for request in requests if request.was_accepted)
    waiting = len(requests) - running
    return " and ".join(filter(None, (_count(running, "mentorship"), _count(waiting, "waiting request"))))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}" if number else ""


def _after_age_group_change(moderator, user, now: datetime) -> str:
    approved, asked, unticked, mentors_no_one = _own_mentoring_ended_by_move(user, user.age_group)  # before the move
    ended = describe_ended(end_after_age_group_change(moderator, user, now))
    return " ".join(filter(None, (ended, _approval_ended_with("move") if approved else "",
                                  _ask_withdrawn_with("move") if asked else "",
                                  _stopped_mentoring_with("move", unticked, mentors_no_one))))


def _ending_after_age_group_change(user, age_group: str) -> tuple[str, str]:
    """As AgeGroupPreview asks: what ends, named as the admin's page names what losing the role ends.
    An untick that leaves them mentoring someone is named along, but alone asks nothing: they go on
    taking mentees, and tick it again themselves once their group allows."""
    ending = ending_after_age_group_change(user, age_group)
    approved, asked, unticked, mentors_no_one = _own_mentoring_ended_by_move(user, age_group)
    key = _ending_and_teens_key(ending, approved, asked, mentors_no_one)
    ends = _what_it_ends(ending, approved=approved, asked=asked, undone_by="moving them back", unticked=unticked,
                         mentors_no_one=mentors_no_one)
    return (key, " ".join(ends)) if key else ("", "")


def _own_mentoring_ended_by_move(user, age_group: str) -> tuple[bool, bool, str | None, bool]:
    """Whether moving `user` to `age_group` ends their approval to mentor teens, and whether it
    withdraws their request for one: a teen mentors teens without one (end_after_age_group_change),
    and moved back, is approved afresh; then the group it unticks of whom they mentor, and whether
    that leaves them mentoring no one (_unticked_by_move)."""
    profile = _profile_of(user.id)
    unticked, mentors_no_one = _unticked_by_move(profile, age_group)
    if age_group != "teen":
        return False, False, unticked, mentors_no_one
    return (profile is not None and profile.teens_approved_at is not None, _asked_for_teens(profile),
            unticked, mentors_no_one)


def _has_mentor_profile(user):
    # Whom they mentor and an approval or request to mentor teens are all kept on it.
    return exists().where(MentorProfile.user_id == user.id)


# What a move ends of a mentor's own mentoring, by the group they leave (see _unticked_by_move).
_MENTORING_MOVED = {
    "teen": ("As a mentor, they stop mentoring teens: an admin approves adults before they mentor teens. They are "
             "told, and moving them back does not make them mentor teens again until they choose it."),
    "adult": ("As a mentor, they stop mentoring adults (teen mentors mentor teens only) and lose any approval or "
              "pending request to mentor teens; they are told, and moving them back gives none of it back."),
}


def _mentoring_moved(user) -> str:
    return _MENTORING_MOVED[user.age_group]


register_age_group_hook(_after_age_group_change, preview=_ending_after_age_group_change,
                        hint=(_has_mentor_profile, _mentoring_moved))


def _after_account_closed(user, now: datetime) -> None:
    """Before a closed account loses its name: end its requests and mentorships on either
    side, telling the other person, and empty its mentor profile (sections, tags, hours).

    The profile's row stays, with its rating: reviews of the mentor, and flags on them
    waiting for a moderator, still hang on it."""
    def closed(request: MentorshipRequest) -> Reason:
        other_side = "your mentor" if request.mentor_id == user.id else "they"
        return Reason("an account was closed", to_mentee=f"{other_side} closed their account",
                      to_mentor=f"{other_side} closed their account")

    _end_all(user, [(request, closed(request)) for request in _open_requests_of(user.id)], now)
    if (profile := _profile_of(user.id)) is not None:
        profile.sections.clear()
        profile.tag_links.clear()
        profile.slots.clear()
        profile.headline = ""
        profile.accepting = profile.available_now = False
        profile.available_until = None
    _rename_conversations_of(user)


def _rename_conversations_of(user) -> None:
    """Conversation titles name both people as they were at the start: the one who left
    becomes "Former member" there too."""
    def shown(person) -> str:
        return FORMER_MEMBER if person.id == user.id else person.display_name

    for request in db.session.scalars(select(MentorshipRequest).where(
            or_(MentorshipRequest.mentee_id == user.id, MentorshipRequest.mentor_id == user.id),
            MentorshipRequest.thread_id.is_not(None))):
        db.session.get(Thread, request.thread_id).title = conversation_title(shown(request.mentee), shown(request.mentor))


register_account_closing_hook(_after_account_closed)

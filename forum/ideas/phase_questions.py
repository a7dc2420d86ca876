"""What moving a call to a phase does, asked before staff move it: everyone who took part
is told at once, so a phase chosen by mistake (a mis-tap on a phone) must not go through
unseen. The script asks in a dialog (data-confirm); without it, a page asks."""
from forum.ideas.permissions import PUBLISHED_PHASES
from forum.models.ideas import PHASES

# Whom services.change_phase tells: the authors of what still shows in the call (services.contributors).
WHO_IS_TOLD = ("Everyone who posted an idea or a reply in this call is told, "
               "unless all they posted was removed or hidden.")
# Said before and after a move that takes a published shortlist down (back to collecting or evaluating).
SHORTLIST_TAKEN_DOWN = "Its shortlist is no longer published: only staff can read it until it is published again."
# What each phase lets people do, as policy.PHASE_REFUSALS and reply_refusal decide it.
WHAT_CHANGES = {
    "collecting": "It takes new ideas again.",
    "evaluating": "It takes no new ideas; discussion and reactions go on.",
    "shortlisted": "Everyone who can see the call can read its shortlist, and it takes no new ideas.",
    "closed": "It takes no new ideas or replies.",
}
PHASE_BUTTONS = {
    "collecting": "Collect ideas again",
    "evaluating": "Move to evaluating",
    "shortlisted": "Publish the shortlist",
    "closed": "Close the call",
}


def phase_question(call, phase: str) -> tuple[str, str]:
    """The question and what follows a yes, for moving `call` to `phase`."""
    changes = WHAT_CHANGES[phase]
    if phase == "collecting" and call.hide_reactions_while_collecting:
        changes = "It takes new ideas again, and reaction counts are hidden again."
    if takes_shortlist_down(call, phase):
        changes = f"{changes} {SHORTLIST_TAKEN_DOWN}"
    return f"Move this call to “{PHASES[phase]}”?", f"{changes} {WHO_IS_TOLD}"


def takes_shortlist_down(call, phase: str) -> bool:
    """Whether moving `call` to `phase` unpublishes its shortlist: readers who could open it no longer can."""
    return call.phase in PUBLISHED_PHASES and phase not in PUBLISHED_PHASES


def phase_confirmations(call, shortlist_empty: bool) -> dict[str, str]:
    """The dialog's words for each phase the call may move to. Its own phase, and publishing
    an empty shortlist, are refused without asking: a yes would only be told no."""
    return {phase: " ".join(phase_question(call, phase)) for phase in PHASES
            if phase != call.phase and not (phase == "shortlisted" and shortlist_empty)}

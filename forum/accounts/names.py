"""Usernames and display names: what may be chosen and how it is cleaned."""
import re
import unicodedata

from forum.text.typed import typed_line

USERNAME_PATTERN = re.compile(r"[A-Za-z0-9_]{3,20}")
# Names that would let someone pose as staff or as a group mention.
RESERVED_USERNAMES = frozenset({
    "admin", "admins", "administrator", "moderator", "moderators", "mod", "mods",
    "mentor", "mentors", "staff", "support", "help", "all", "here", "everyone", "channel",
    "system", "root", "forum", "official", "team", "trainer", "trainers", "listener",
    "listeners", "member", "members", "null", "none", "anonymous", "deleted", "me",
})
# Right-to-left overrides and friends can make a name read differently from its text.
_INVISIBLE_CONTROLS = re.compile(
    "[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u0000-\u001f\u007f]"
)


def username_problem(username: str) -> str | None:
    if not USERNAME_PATTERN.fullmatch(username):
        return "Use 3 to 20 letters, digits or underscores."
    if username.lower() in RESERVED_USERNAMES:
        return "That name is reserved; please choose another."
    return None


def clean_display_name(name: str) -> str:
    """Strip bidi and other invisible control characters and surrounding space; "" when
    nothing visible is left (blank letters such as U+3164 are not controls)."""
    name = _INVISIBLE_CONTROLS.sub("", unicodedata.normalize("NFC", name)).strip()
    return name if typed_line(name) else ""


# Words that claim a staff role. In a member's display name they lend it a moderator's
# authority ("Ada (admin)", "Moss the Moderator"), in notifications and emails too, which
# name people by display name alone; staff are marked by the forum itself.
STAFF_WORDS = frozenset({"admin", "admins", "administrator", "administrators", "moderator", "moderators",
                         "mod", "mods", "staff"})
_WORDS = re.compile(r"[^\W_]+")


def name_key(name: str) -> str:
    """How a name reads, to tell two apart: full-width and other compatibility letters as
    plain ones ("ａｄａ" is "ada"), case folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


# How a closed account is signed (forum/accounts/closing.py): nobody here may take it.
FORMER_MEMBER = "Former member"


def display_name_problem(name: str, *, staff: bool, staff_names: set[str]) -> str | None:
    """Why a display name would pass its owner off as staff, or None. `staff`: whether its
    owner is staff; `staff_names`: the `name_key`s of the other staff members' display names
    and usernames."""
    key = name_key(name)
    if key == name_key(FORMER_MEMBER):
        return f"“{FORMER_MEMBER}” is how the forum signs what people who left wrote; please choose another name."
    if staff:
        return None
    if STAFF_WORDS & set(_WORDS.findall(key)):
        return "A display name can't claim a staff role (admin, moderator, staff): the forum marks its staff itself."
    if key in staff_names:
        return "That is the name of one of the forum's staff; please choose another."
    return None

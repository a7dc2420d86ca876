"""Who may do what with accounts. Pure predicates; templates ask the same ones."""


def is_signed_in(user) -> bool:
    return bool(user and getattr(user, "is_authenticated", False))


def has_role(user, *roles: str) -> bool:
    return is_signed_in(user) and user.has_role(*roles)


def is_admin(user) -> bool:
    return has_role(user, "admin")


def is_staff(user) -> bool:
    return has_role(user, "moderator", "admin")


def can_edit_profile(user, profile_user) -> bool:
    return is_signed_in(user) and (user.id == profile_user.id or is_admin(user))


def can_manage_users(user) -> bool:
    return is_admin(user)

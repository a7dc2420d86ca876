"""Template globals and filters: permission predicates and small display helpers."""
from datetime import datetime

from forum.accounts import permissions as account_permissions
from forum.clock import utcnow


def time_ago(moment: datetime | None, now: datetime | None = None) -> str:
    if moment is None:
        return "never"
    seconds = int(((now or utcnow()) - moment).total_seconds())
    if seconds < 60:
        return "just now"
    for size, unit in ((86400 * 365, "year"), (86400 * 30, "month"), (86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"


def iso(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") + "Z" if moment else ""


def configure_template_globals(app) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["time_ago"] = time_ago
    app.jinja_env.filters["iso"] = iso
    # Templates ask the same predicates as views and services.
    for name in ("is_signed_in", "has_role", "is_admin", "is_staff", "can_edit_profile", "can_manage_users"):
        app.jinja_env.globals[name] = getattr(account_permissions, name)

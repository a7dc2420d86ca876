"""Template globals and filters: permission predicates and small display helpers."""
from collections import ChainMap
from datetime import datetime
from functools import wraps

from flask import g, request
from flask.templating import Environment
from jinja2 import BytecodeCache
from werkzeug.local import LocalProxy

from forum.accounts import permissions as account_permissions
from forum.clock import utcnow
from forum.ideas import permissions as idea_permissions
from forum.local_time import local_date, local_datetime, local_month, zone_of
from forum.mentors import permissions as mentor_permissions
from forum.models.moderation import REASON_LIMIT
from forum.models.posts import REACTION_KINDS
from forum.moderation import permissions as moderation_permissions
from forum.posts import following, permissions as post_permissions
from forum.posts import visibility
from forum.text.typed import ends_a_sentence
from forum.training import permissions as training_permissions

# Templates ask the same predicates as views and services.
TEMPLATE_PREDICATES = {
    account_permissions: ("is_signed_in", "has_role", "is_admin", "is_staff", "can_edit_profile",
                          "can_see_last_seen", "can_manage_users", "is_suspended"),
    post_permissions: ("can_post", "can_reply", "can_edit_post", "can_delete_post", "can_hide_post",
                       "can_see_history", "can_react", "post_refusal", "reply_refusal"),
    visibility: ("can_read_post_body",),
    following: ("follow_refusal", "is_following"),
    training_permissions: ("can_manage_programs", "can_enrol", "enrol_refusal", "entry_refusal", "can_reopen",
                           "can_leave", "discussion_refusal", "closed_refusal", "shown_state"),
    mentor_permissions: ("is_mentor", "can_edit_mentor_profile", "can_see_mentor", "answer_refusal", "can_answer_request", "can_close_request", "can_review", "review_refusal", "can_edit_review", "can_reply_to_review", "can_edit_reply", "can_see_review", "can_see_review_history", "can_see_when_reviewed", "can_see_reply_history", "can_report_review", "can_hide_review", "hide_review_refusal", "approved_for_teens", "teen_mentoring_refusal", "teen_approval_ask_refusal", "may_ask_mentors"),
    idea_permissions: ("can_open_call", "can_edit_call", "can_change_phase", "can_set_status", "can_see_shortlist", "merge_refusal",
                       "idea_review_refusal", "merge_target_gone"),
    moderation_permissions: ("can_moderate", "can_act_as_moderator", "can_read_audit_log", "can_delete_permanently", "can_flag_post",
                             "can_flag_profile", "can_block", "can_suspend", "can_clear_profile", "can_lift_suspension", "can_change_age_group", "own_flags_refusal"),
}


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


def page_link_args() -> dict:
    """The values of links to other pages of the list shown: the page's own URL values and
    its query string, but `page`. Not `endpoint` or `_anchor`, `_external`…, which url_for
    takes as its own arguments (`endpoint` twice was a 500)."""
    args = dict(request.view_args or {})
    args.update((key, value) for key, value in request.args.items()
                if key != "page" and key != "endpoint" and not key.startswith("_"))
    return args


def iso(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") + "Z" if moment else ""


def reader_zone() -> str:
    """The zone the page's reader reads times in, from the user already loaded: no query."""
    from flask_login import current_user
    return zone_of(current_user)


# Every date and time a page shows goes through these (forum/local_time.py says the
# formats): in the reader's zone, or in `zone` where a page is written for someone else.
def date_filter(moment: datetime | None, zone: str | None = None) -> str:
    return local_date(moment, zone or reader_zone())


def datetime_filter(moment: datetime | None, zone: str | None = None) -> str:
    return local_datetime(moment, zone or reader_zone())


def month_filter(moment: datetime | None, zone: str | None = None) -> str:
    return local_month(moment, zone or reader_zone())


def resolving_proxies(predicate):
    """Templates pass `current_user`, a proxy that looks the user up again on every
    attribute read; a page of posts asks predicates a thousand times, so each call gets
    the user object itself (this was an eighth of a discussion page's time)."""
    @wraps(predicate)
    def asked(*args, **kwargs):
        return predicate(*(arg._get_current_object() if isinstance(arg, LocalProxy) else arg for arg in args),
                         **kwargs)
    return asked


class TemplateGlobals(ChainMap):
    """A template's globals over the environment's, as Jinja keeps them (a ChainMap), with
    a `keys()` whose membership tests run in C.

    Every `{% from ... import %}` of every render asks which of the page's globals the
    imported template lacks (`context keys - template.globals.keys()`, in Jinja's
    `Template._get_default_module`). A ChainMap's keys view answers that key by key in
    Python, about 1.5 µs a key: with the seventy globals below and a page's five imports,
    half a millisecond a request, a twentieth of a discussion page."""

    def keys(self):
        merged = {}
        for mapping in reversed(self.maps):
            merged.update(mapping)
        return merged.keys()


class CompiledTemplates(BytecodeCache):
    """Templates compiled once per process, however many apps the process builds.

    Each app has its own Jinja environment, which compiles every template it renders the
    first time: about 150 ms for the front page and four others. A server builds one app,
    but the test suite builds one per test and paid that in every test (tests/accounts
    on one worker: 23 s, 18 s with this). Jinja finds a compiled template by its name and the checksum of its source, so
    an edited template is compiled afresh; and, here, by what the environment's settings
    change in the compiled code, so an app whose environment differs never shares it."""

    def __init__(self):
        self.compiled = {}

    def load_bytecode(self, bucket):
        kept = self.compiled.get(self._key(bucket))
        if kept is not None and kept[0] == bucket.checksum:
            bucket.code = kept[1]

    def dump_bytecode(self, bucket):
        self.compiled[self._key(bucket)] = (bucket.checksum, bucket.code)

    @staticmethod
    def _key(bucket) -> tuple:
        environment = bucket.environment
        # Flask's autoescape is a method of its app, the same function for every app.
        autoescape = getattr(environment.autoescape, "__func__", environment.autoescape)
        compiled_by = (tuple(sorted(environment.extensions)), environment.optimized, environment.finalize,
                       autoescape, environment.lexer)
        return bucket.key, compiled_by


COMPILED_TEMPLATES = CompiledTemplates()


class TemplateEnvironment(Environment):
    """Flask's Jinja environment, its templates' globals kept as `TemplateGlobals`, its
    compiled templates shared with the process's other apps."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.bytecode_cache = COMPILED_TEMPLATES

    def make_globals(self, d):
        return TemplateGlobals({} if d is None else d, self.globals)


def configure_template_globals(app) -> None:
    from flask_login import current_user

    from forum.forms import keep_reasons_for_one_page
    from forum.posts.came_from import view_query
    from forum.posts.cards import CardsFor
    from forum.posts.notifications import unread_count
    from forum.posts.visibility import stands_in_for

    app.jinja_env.add_extension("jinja2.ext.do")
    # Imported macros do not see the template context; these proxies they need everywhere.
    app.jinja_env.globals["current_user"] = current_user
    app.jinja_env.globals["request"] = request
    app.jinja_env.filters["time_ago"] = time_ago
    app.jinja_env.filters["iso"] = iso
    app.jinja_env.filters["local_date"] = date_filter
    app.jinja_env.filters["local_datetime"] = datetime_filter
    app.jinja_env.filters["local_month"] = month_filter
    app.jinja_env.tests["ends_a_sentence"] = ends_a_sentence
    app.jinja_env.globals["page_link_args"] = page_link_args
    app.jinja_env.globals["reader_zone"] = reader_zone
    app.jinja_env.globals["REACTION_KINDS"] = REACTION_KINDS
    # The reason and note boxes stop where their forms would refuse.
    app.jinja_env.globals["REASON_LIMIT"] = REASON_LIMIT
    for module, names in TEMPLATE_PREDICATES.items():
        for name in names:
            app.jinja_env.globals[name] = resolving_proxies(getattr(module, name))
    app.jinja_env.globals["cards_for"] = resolving_proxies(CardsFor)
    app.jinja_env.globals["stands_in_for"] = stands_in_for
    app.jinja_env.globals["view_query"] = view_query
    keep_reasons_for_one_page(app)

    @app.context_processor
    def header_counts():
        # A function, so pages that never show the header never run the query; counted
        # once a request, for the header and the notifications page's "Mark all read".
        def unread_notifications():
            if not current_user.is_authenticated:
                return 0
            if "unread_notifications" not in g:
                g.unread_notifications = unread_count(current_user)
            return g.unread_notifications
        return {"unread_notifications": unread_notifications}

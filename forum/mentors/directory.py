"""The directory of mentors: filters read from the URL, one query per page, and "active now".

The words box keeps the list to the profiles whose words (headline, shown sections, name,
tags) hold all the words typed, through the search index (forum/search/backends): a filter
like the others, so the sort chosen still orders the list, and no statement is added.

Cards show only what the profile row, its user, its tags and the mentor's current
responsiveness span hold (ratings are kept on the profile, responsiveness as spans:
forum.mentors.responsiveness), so a page costs the same whatever the size.
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import Float, String, and_, bindparam, case, cast, exists, func, or_, select, union_all
from sqlalchemy.orm import aliased

from forum.errors import DomainError
from forum.extensions import db
from forum.mentors.cards import CARD_COLUMNS, NOW, MentorCard, cards_of, taking_mentees, with_responsiveness
from forum.accounts.permissions import can_see_last_seen, is_signed_in, sees_when_teens_are_here
from forum.mentors.permissions import is_teen
from forum.mentors.responsiveness import reading_parameters, seconds_now
from forum.models.accounts import Role, User, user_roles
from forum.models.mentors import TAG_KINDS, MentorProfile, ProfileTag, Tag
from forum.posts.reading import KnownPagination

PER_PAGE = 12
ACTIVE_WINDOW = timedelta(minutes=15)
SORTS = {"rated": "Best rated", "responsive": "Most responsive", "newest": "Newest"}
# Whom the mentors mentor, in the cards' words ("Mentors teens"): not the mentors' own age.
AUDIENCES = {"teens": "Mentors teens", "adults": "Mentors adults"}
TAG_FILTERS = {"track": "track", "knowledge": "knowledge area", "language": "language"}
FLAG_FILTERS = ("accepting", "active")
WORDS_LIMIT = 200  # characters in the box, as search's own (forum/search/terms.py QUERY_LIMIT)


@dataclass
class DirectoryFilters:
    tags: dict[str, Tag] = field(default_factory=dict)
    audience: str | None = None
    accepting: bool = False
    active: bool = False
    sort: str = "rated"
    # As typed (shown again in the box), the words looked for in it, and what to say of them.
    words: str = ""
    terms: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Words the engine does not index (PostgreSQL's stop words), named once nothing matched.
    too_common: list[str] = field(default_factory=list)
    only_too_common_said: str = ""

    def args(self) -> dict[str, str]:
        """The filters as URL arguments, to keep them in links."""
        args = {"words": self.words} if self.words else {}
        args.update(self.args_without_words())
        return args

    def args_without_words(self) -> dict[str, str]:
        args = {kind: tag.slug for kind, tag in self.tags.items()}
        if self.audience:
            args["audience"] = self.audience
        args.update({name: "1" for name in FLAG_FILTERS if getattr(self, name)})
        args.update(self.args_of_sort())
        return args

    def args_of_sort(self) -> dict[str, str]:
        """The sort alone: what "Clear filters" keeps, as it narrows nothing."""
        return {"sort": self.sort} if self.sort != "rated" else {}

    @property
    def any(self) -> bool:
        return bool(self.terms or self.others)

    @property
    def only_too_common(self) -> bool:
        """Whether every word typed was too common to look for, so none was."""
        return bool(self.terms) and set(self.terms) <= set(self.too_common)

    @property
    def others(self) -> bool:
        """Whether any filter but the words is set."""
        return bool(self.tags or self.audience or self.accepting or self.active)


def tag_options(viewer) -> dict[str, list[Tag]]:
    """Tags on profiles `viewer` may see, by kind and name: the choices of the filter form."""
    options: dict[str, list[Tag]] = {kind: [] for kind in TAG_KINDS}
    for tag in db.session.scalars(_tag_options_statement(is_teen(viewer))):
        options[tag.kind].append(tag)
    return options


@lru_cache(maxsize=2)
def _tag_options_statement(teen: bool):
    # For each tag, the first listed profile that has it will do: asking whether a tag's
    # profiles are among every listed profile first made the list of all of them (0.8 ms).
    used = (exists().where(ProfileTag.tag_id == Tag.id, MentorProfile.id == ProfileTag.profile_id,
                           *_listing_rules(teen)))
    return select(Tag).where(used).order_by(Tag.kind, func.lower(Tag.name))


def audience_choices(viewer) -> dict[str, str]:
    """The "Whom they mentor" filter's choices for `viewer`: none for a teen, who sees only
    mentors of teens, so "teens" would narrow nothing and "adults" read as the mentors' age."""
    return {} if is_teen(viewer) else AUDIENCES


def parse_filters(args, options: dict[str, list[Tag]], audiences: dict[str, str] = AUDIENCES) -> DirectoryFilters:
    """Read the filters from the query string; an unknown value is a 400 that says which.

    `audiences`: the audience filter's choices (audience_choices); without any, the
    argument is left out, as a link a teen was given or typed may carry it."""
    filters = DirectoryFilters()
    for kind, word in TAG_FILTERS.items():
        slug = args.get(kind, "")
        if slug:
            match = next((tag for tag in options[kind] if tag.slug == slug), None)
            if match is None:
                raise DomainError(f"No mentor lists the {word} “{slug[:40]}”. Choose one from the list.", kind)
            filters.tags[kind] = match
    audience = args.get("audience", "") if audiences else ""
    if audience and audience not in audiences:
        raise DomainError("Choose whom the mentors mentor: teens or adults.", "audience")
    filters.audience = audience or None
    for name in FLAG_FILTERS:
        value = args.get(name, "")
        if value not in ("", "1"):
            raise DomainError(f"The “{name}” filter is either on (1) or left out.", name)
        setattr(filters, name, value == "1")
    sort = args.get("sort", "") or "rated"
    if sort not in SORTS:
        raise DomainError("Sort by best rated, most responsive or newest.", "sort")
    filters.sort = sort
    _parse_words(filters, args.get("words") or "")
    return filters


def _parse_words(filters: DirectoryFilters, typed: str) -> None:
    """The words box, read as search reads its own: words only, none of them an operator."""
    from forum.search.terms import search_terms, words_left_out  # see _search_backend
    shown = typed[:WORDS_LIMIT]  # what the box holds, and so all that is looked for
    filters.words, filters.terms = " ".join(shown.split()), search_terms(shown)
    if words_left_out(typed) or search_terms(typed) != filters.terms:
        filters.notes.append(f"Only the first {len(filters.terms)} words were looked for.")
    if filters.words and not filters.terms:
        # Only emoji, symbols or punctuation: listing every mentor without a word would
        # look as if they all matched.
        filters.notes.append(f"Nothing to look for in “{filters.words}”: the box finds words and numbers.")


def _search_backend():
    # Imported when first asked: search lists mentors by the directory's listing_rules
    # (forum/search/ranking.py), so it imports this module as it loads.
    from forum.search.backends import backend_for_session
    return backend_for_session()


# The directory's statements are made once for each kind of reader and set of filters, and
# run with the time, the tags and the page as parameters: SQLAlchemy finds a statement's
# compiled form by a key it works out by walking the whole statement, which cost as long
# as running these ones (six keys a page, with the visibility rules in each).
SEEN_SINCE = bindparam("seen_since")  # and cards.NOW, responsiveness.NOW_SECONDS
LIMIT, OFFSET = bindparam("limit"), bindparam("offset")
WORDS = bindparam("words", type_=String)  # as the search engine in use writes them


def time_parameters(now: datetime) -> dict:
    """The values of NOW, NOW_SECONDS and SEEN_SINCE (worked out here: SQLite has no date arithmetic)."""
    return {**reading_parameters(now), "seen_since": now - ACTIVE_WINDOW}


def tag_parameter(kind: str) -> str:
    return f"{kind}_tag_id"


def active_clause(teens_seen: bool):
    """SQL: the profile's owner was seen since SEEN_SINCE (the last 15 minutes), or marked
    available until later than NOW. A teen's visit counts only for a reader who may know when
    teens were here (`teens_seen`, see can_see_last_seen): "active now" would say it too."""
    # Two lists joined rather than one OR, so the first walks the index of when people
    # were last seen instead of every profile (0.5 → 0.07 ms with 1,000 mentors).
    seen = (select(MentorProfile.id).join(User, User.id == MentorProfile.user_id)
            .where(User.last_seen_at >= SEEN_SINCE))
    if not teens_seen:
        seen = seen.where(User.age_group != "teen")
    marked = select(MentorProfile.id).where(MentorProfile.available_now.is_(True), MentorProfile.available_until > NOW)
    return MentorProfile.id.in_(union_all(seen, marked))


def is_active(profile: MentorProfile | MentorCard, now: datetime, viewer) -> bool:
    """The same test in Python, for a profile or card already loaded, as `viewer` may know it."""
    seen = profile.user.last_seen_at
    if seen is not None and seen >= now - ACTIVE_WINDOW and can_see_last_seen(viewer, profile.user):
        return True
    return is_marked_available(profile, now)


def is_marked_available(profile: MentorProfile | MentorCard, now: datetime) -> bool:
    return bool(profile.available_now and profile.available_until and profile.available_until > now)


def listing_rules(viewer) -> list:
    """SQL: the profile's owner holds the mentor role, and teens see only mentors of teens
    (an adult once an admin approved them)."""
    return _listing_rules(is_teen(viewer))


def _listing_rules(teen: bool) -> list:
    holds_role = exists().where(user_roles.c.user_id == MentorProfile.user_id, user_roles.c.role_id == Role.id,
                                Role.name == "mentor")
    rules = [holds_role]
    if teen:
        rules.append(teens_may_ask())
    return rules


def teens_may_ask():
    """SQL: permissions.mentors_teens_now, teens ticked and the mentor a teen or approved by an
    admin. Settings keep an unapproved adult's box unticked; this holds whatever the row says."""
    owner = aliased(User)
    owner_is_teen = exists(select(owner.id).where(owner.id == MentorProfile.user_id, owner.age_group == "teen"))
    return and_(MentorProfile.mentors_teens.is_(True),
                or_(MentorProfile.teens_approved_at.is_not(None), owner_is_teen))


def listed_mentors(teen: bool):
    """Select the card columns (cards.CARD_COLUMNS) of the profiles a teen or an adult (or
    someone signed out) may see in lists."""
    return with_responsiveness(select(*CARD_COLUMNS).join(User, User.id == MentorProfile.user_id)).where(
        *_listing_rules(teen))


_AVERAGE = cast(MentorProfile.rating_sum, Float) / func.nullif(MentorProfile.review_count, 0)
ORDERINGS = {
    "rated": ((MentorProfile.review_count == 0), _AVERAGE.desc(), MentorProfile.review_count.desc()),
    # The median of the moment read, so a mentor who leaves requests waiting sinks as they wait.
    "responsive": (seconds_now().is_(None), seconds_now()),
    "newest": (MentorProfile.created_at.desc(),),
}


def directory_parameters(filters: DirectoryFilters, now: datetime) -> dict:
    parameters = {**time_parameters(now), **{tag_parameter(kind): tag.id for kind, tag in filters.tags.items()}}
    if filters.terms:
        parameters["words"] = _search_backend().words(filters.terms)
    return parameters


def directory_statements(viewer, filters: DirectoryFilters):
    """Select the cards matching `filters` in their order, and a page of them with how many
    match beside each row (a window count, rather than a second statement that finds them
    again). Run with directory_parameters."""
    return _directory_statements(is_teen(viewer), sees_when_teens_are_here(viewer), tuple(filters.tags),
                                 filters.audience, filters.accepting, filters.active, filters.sort,
                                 _search_backend() if filters.terms else None)


# At most 3 x 8 x 3 x 2 x 2 x 3 x 2 = 1,728 kinds (readers: teen, staff, others; with words
# or not: one database's engine at a time).
@lru_cache(maxsize=2048)
def _directory_statements(teen: bool, teens_seen: bool, tag_kinds: tuple[str, ...], audience: str | None,
                          accepting: bool, active: bool, sort: str, words_engine=None):
    statement = listed_mentors(teen)
    if words_engine is not None:
        # Not ranked: the list keeps the order the reader chose, as with every other filter.
        statement = statement.where(words_engine.mentors_matching(WORDS))
    for kind in tag_kinds:
        # The profiles of the tag, from its index, rather than a look at every profile's tags.
        statement = statement.where(MentorProfile.id.in_(select(ProfileTag.profile_id)
                                                         .where(ProfileTag.tag_id == bindparam(tag_parameter(kind)))))
    if audience == "teens":
        statement = statement.where(teens_may_ask())
    elif audience == "adults":
        statement = statement.where(MentorProfile.mentors_adults.is_(True))
    if accepting:
        statement = statement.where(taking_mentees())
    if active:
        statement = statement.where(active_clause(teens_seen))
    matches = statement.order_by(*ORDERINGS[sort], MentorProfile.id.desc())
    return matches, matches.add_columns(func.count().over()).limit(LIMIT).offset(OFFSET)


def directory_page(viewer, filters: DirectoryFilters, page: int, now: datetime) -> KnownPagination:
    """A page of the matching profiles and how many match, in one statement."""
    (matches, page_of_matches), parameters = directory_statements(viewer, filters), directory_parameters(filters, now)
    rows = db.session.execute(page_of_matches,
                              {**parameters, "limit": PER_PAGE, "offset": (page - 1) * PER_PAGE}).all()
    if rows:
        total = rows[0][-1]  # the count, after the card columns
    elif page > 1:  # past the last page: no row to carry the count
        total = db.session.scalar(select(func.count()).select_from(matches.order_by(None).subquery()), parameters)
    else:
        total = 0
        if filters.terms:
            _name_too_common_words(filters)
    return KnownPagination(page=page, per_page=PER_PAGE, error_out=False, items=cards_of(rows), total=total)


def _name_too_common_words(filters: DirectoryFilters) -> None:
    """When nothing matched, say which words were never looked for: on PostgreSQL "the" or
    "how to" alone matched nobody, and the page said no profile mentioned them. Asked only
    then, so a page that finds mentors spends no statement on it."""
    from forum.search.terms import quoted  # see _search_backend
    filters.too_common = _search_backend().too_common(filters.terms)
    if not filters.too_common:
        return
    words, one = quoted(filters.too_common), len(filters.too_common) == 1
    if filters.only_too_common:
        filters.only_too_common_said = (f"{words} {'is' if one else 'are'} too common to look for on "
                                        f"{'its' if one else 'their'} own.")
    else:
        filters.notes.append(f"{words} {'is' if one else 'are'} too common to look for, "
                             f"so {'it was' if one else 'they were'} left out.")


def active_now(viewer, now: datetime, limit: int = 12) -> list[MentorCard]:
    """Mentors taking mentees who are around now: those who marked themselves available first.

    The strip says "pick one and say hello", so a signed-in reader sees only the mentors who
    mentor their age group (an adult is not offered a mentor who mentors teens only), and
    never themselves."""
    audience = active_audience(viewer)
    parameters = {**time_parameters(now), "limit": limit}
    if audience is not None:  # signed in: a mentor is not offered themselves
        parameters["viewer_id"] = viewer.id
    rows = db.session.execute(_active_now_statement(audience), parameters)
    return cards_of(rows.all(), with_tags=False)


def audience_filter_for(viewer) -> str | None:
    """The audience filter a link to the directory keeps for `viewer`'s "active now": none
    for a teen, who is not offered the filter (audience_choices)."""
    return None if is_teen(viewer) else active_audience(viewer)


def active_audience(viewer) -> str | None:
    """The directory's audience filter ("teens", "adults") for the mentors `viewer` could ask."""
    if not is_signed_in(viewer):
        return None
    return "teens" if is_teen(viewer) else "adults"


@lru_cache(maxsize=3)
def _active_now_statement(audience: str | None):
    marked = case((and_(MentorProfile.available_now.is_(True), MentorProfile.available_until > NOW), 0), else_=1)
    statement = listed_mentors(audience == "teens")
    if audience == "adults":
        statement = statement.where(MentorProfile.mentors_adults.is_(True))
    if audience is not None:
        statement = statement.where(MentorProfile.user_id != bindparam("viewer_id"))
    # Only a teen's strip lists teen mentors seen lately (an adult's lists mentors of adults,
    # which no teen is; a visitor's leaves teens' visits out).
    return (statement
            .where(taking_mentees(), active_clause(teens_seen=audience == "teens"))
            .order_by(marked, User.last_seen_at.desc().nulls_last(), MentorProfile.id)
            .limit(LIMIT))

"""What people write can be wider than a phone: long links, code, tables, titles without
spaces. At 375 px the page still does not scroll sideways; wide things scroll in place."""
import pytest
from sqlalchemy import select

from forum.accounts.staff import award_badge
from forum.extensions import db
from forum.models.accounts import User
from forum.models.training import Discussion
from forum.moderation.flags import close_flag_group
from tests.browser.conftest import PHONE
from tests.browser.layout import small_targets, too_wide_elements
from tests.factories import make_badge, make_post, make_thread, make_user
from tests.ideas.factories import make_call, make_moderator, post_idea
from tests.mentors.factories import make_mentor, make_review
from tests.safety.factories import make_flag, suspend
from tests.training.factories import enrol, make_program

pytestmark = pytest.mark.browser

WIDE_POST = """Here is the guide I mentioned: https://example.org/a/very/long/address/that/never/breaks/by/itself/because/it/has/no/spaces/at/all

```
grep --recursive --ignore-case --line-number "listening" ./notes/from/every/session/we/ever/ran/together
```

| Day | Morning | Afternoon | Evening | Night | Host | Backup host |
| --- | --- | --- | --- | --- | --- | --- |
| Monday | Quiet room | Study stress | Open chat | Night owls | Juniper | Quill |

Supercalifragilisticexpialidociousandthensomemorelettersthatkeepgoing
"""


@pytest.fixture
def wide_things(app):
    # A name without spaces, as long as the form allows: in the header, each byline and the profile.
    writer = make_user("wide_writer", display_name="WrenWithARatherLongDisplayNameThatHasNoSpacesAtAl")
    thread = make_thread("Averyveryverylongtitlewithoutanyspacesatallthatkeepsgoing", author=writer)
    make_post(writer, thread, WIDE_POST)
    call = make_call(make_moderator("moss_keeps"), "Ideasforthewholecommunitywrittenwithoutasinglespaceanywhere")
    post_idea(writer, call, WIDE_POST)
    return [f"/threads/{thread.id}", f"/ideas/{call.id}", "/users/wide_writer"]


@pytest.mark.parametrize("who", ["wide_writer", None], ids=["signed-in", "signed-out"])
def test_wide_writing_does_not_make_a_phone_scroll_sideways(wide_things, visitors, who):
    page = visitors.visit(who, "/", viewport=PHONE)
    too_wide = {}
    for path in wide_things:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = f"{width} px: {too_wide_elements(page)}"
    assert not too_wide, f"wider than {PHONE['width']} px: {too_wide}"


NARROW_PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture
def staff_tables(app):
    """A trainer's dashboard with trainees not yet at the later discussions (locked cells),
    and the admins' list of people: tables wider than a phone."""
    trainer = make_user("tova_trains", role=("listener", "trainer"), display_name="Tova")
    program = make_program(trainer, title="Listening in Groups", discussions=4)
    for name in ("ana_trains", "ben_trains"):
        enrol(make_user(name, role="listener"), program)
    make_user("ada_runs", role="admin", display_name="Ada")
    return {"tova_trains": f"/programs/{program.slug}/dashboard", "ada_runs": "/admin/users"}


@pytest.mark.parametrize("who", ["tova_trains", "ada_runs"], ids=["trainer-dashboard", "admin-people"])
def test_staff_tables_scroll_in_place_on_a_narrow_phone(staff_tables, visitors, who):
    page = visitors.visit(who, staff_tables[who], viewport=NARROW_PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW_PHONE["width"], f"{width} px wide: {too_wide_elements(page)}"
    # The table itself scrolls sideways inside the page, so every column can still be read.
    assert page.locator(".table-wrap:visible").first.evaluate("el => el.scrollWidth > el.clientWidth")


# WCAG's reflow width: 1280 px at 400% zoom, or a small phone with its text enlarged.
REFLOW = {"width": 320, "height": 640}


def test_the_funnel_as_a_table_scrolls_in_place_at_the_reflow_width(app, visitors):
    trainer = make_user("tova_trains", role=("listener", "trainer"), display_name="Tova")
    program = make_program(trainer, title="Listening in Groups", discussions=2)
    discussions = db.session.scalars(select(Discussion).where(Discussion.program_id == program.id)
                                     .order_by(Discussion.position))
    for discussion, title in zip(discussions, ("What group support is", "Welcoming someone new")):
        discussion.title = title
    db.session.commit()
    enrol(make_user("ana_trains", role="listener"), program)
    page = visitors.visit("tova_trains", f"/programs/{program.slug}/dashboard", viewport=REFLOW)
    page.get_by_text("The funnel as a table").click()
    assert page.get_by_role("cell", name="Welcoming someone new").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= REFLOW["width"], f"{width} px wide: {too_wide_elements(page)}"


# A 390 px phone zoomed to 200%: the page is laid out for 195 px.
ZOOMED_PHONE = {"width": 195, "height": 370}


@pytest.fixture
def forms_to_fill(app):
    """The filter and action forms people use (search, the mentor directory, a moderator's
    queue with a flag waiting, the admins' people search, a trainer's order of discussions, a
    moderator's choice of a call's phase) and the pages headed by a name."""
    writer = make_user("wren_writes", role="listener")
    post = make_post(writer, make_thread("Evening check-in", author=writer), "Something to flag.")
    make_flag(make_user("flo_flags"), post)
    make_mentor("juno_mentors")
    call = make_call(make_moderator("moss_keeps"), "Quieter evenings")
    make_user("ada_runs", role="admin")
    program = make_program(make_user("tova_trains", role=("listener", "trainer")), title="Listening in Groups")
    return {"tova_trains": [f"/programs/{program.slug}/order"],
            "wren_writes": ["/search?q=check-in", "/mentors", "/mentors/juno_mentors", "/users/wren_writes",
                            "/settings/account"],
            "moss_keeps": ["/mod", "/mod/audit", f"/ideas/{call.id}"],
            "ada_runs": ["/admin/users"]}


def test_forms_and_profiles_fit_a_phone_zoomed_to_200_percent(forms_to_fill, visitors):
    assert_fit_a_zoomed_phone(visitors, forms_to_fill)


@pytest.fixture
def a_rated_mentor(app):
    make_review(make_user("mel_mentee", role="listener"), make_mentor("juno_mentors"))
    make_user("wren_writes", role="listener")
    return ["/mentors", "/mentors/juno_mentors", "/mentors/juno_mentors/request"]


def test_a_mentors_rating_wraps_on_the_smallest_phone_with_its_text_enlarged(a_rated_mentor, visitors):
    # Text enlarged as a phone's accessibility setting does (the page's text, not its width);
    # "★ 5.0 (1 review)" was kept on one line and pushed the directory, profile and ask page sideways.
    page = visitors.visit("wren_writes", "/", viewport=REFLOW)
    too_wide = {}
    for path in a_rated_mentor:
        page.goto(path)
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        assert page.get_by_role("img", name="Rated 5.0 out of 5 from 1 review").first.is_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > REFLOW["width"]:
            too_wide[path] = f"{width} px: {too_wide_elements(page)}"
    assert not too_wide, f"wider than {REFLOW['width']} px: {too_wide}"


PASTED_LINK = "https://example.org/a/very/long/address/pasted/into/a/flag/reason/without/any/spaces"


@pytest.fixture
def moderation_pages(app):
    """What members and moderators type (a flag's reason, a suspension's) on the pages where
    moderators read it: a pasted link has no space to break at."""
    writer = make_user("wide_writer")
    post = make_post(writer, make_thread("A thread", author=writer), "Something to flag.")
    make_flag(make_user("flagger"), post, f"Copied from {PASTED_LINK}")
    suspend(writer, reason=f"Kept posting {PASTED_LINK}")
    make_moderator("moss_keeps")
    return ["/mod", "/mod/users/wide_writer", "/mod/audit"]


def test_what_people_typed_wraps_on_a_moderators_phone(moderation_pages, visitors):
    page = visitors.visit("moss_keeps", "/", viewport=PHONE)
    too_wide = {}
    for path in moderation_pages:
        page.goto(path)
        assert PASTED_LINK[:30] in page.content()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = f"{width} px: {too_wide_elements(page)}"
    assert not too_wide, f"wider than {PHONE['width']} px: {too_wide}"
    # On a laptop the audit log fits its page: the link wraps in its column, rather than
    # widening the table so that every entry's reason is read by scrolling it sideways.
    page.set_viewport_size(LAPTOP)
    page.goto("/mod/audit")
    sizes = page.locator(".table-wrap").evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert sizes[0] <= sizes[1], sizes


def test_a_suspended_person_reads_the_whole_reason_on_a_phone(moderation_pages, visitors):
    """In the banner, and in the notification that told them (which is where a hidden post's
    or a cleared profile's reason reaches them too)."""
    page = visitors.visit("wide_writer", "/", viewport=PHONE)
    assert PASTED_LINK[:30] in page.get_by_role("status").filter(has_text="suspended").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{width} px: {too_wide_elements(page)}"
    page.goto("/notifications")
    notice = page.locator(".notification button").filter(has_text=PASTED_LINK[:30])
    assert notice.evaluate("el => el.getBoundingClientRect().right") <= PHONE["width"]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{width} px: {too_wide_elements(page)}"


@pytest.fixture
def long_notifications(app):
    ana = make_user("ana_reads")
    thread = make_thread("When the evening group runs long and nobody wants to be the one to close it", author=ana)
    post = make_post(ana, thread, "How do you end a session kindly?")
    for name in ("ben_replies", "cy_replies"):
        make_post(make_user(name), thread, "Thank everyone by name first.", parent=post)


def test_a_notification_too_long_for_one_line_reads_from_the_left_like_the_rest(long_notifications, visitors):
    page = visitors.visit("ana_reads", "/notifications", viewport=PHONE)
    messages = page.locator(".notification button").filter(has_text="replied to your post")
    assert messages.count() == 2
    for index in range(2):
        message = messages.nth(index)
        # Two lines or more on a phone, each starting where the list starts, not centred.
        lines = message.evaluate("el => { const r = document.createRange(); r.selectNodeContents(el);"
                                 " return [...r.getClientRects()].map(rect => Math.round(rect.left)); }")
        assert len(set(lines)) == 1 and len(lines) >= 2, lines
        item_left = message.evaluate("el => Math.round(el.closest('li').getBoundingClientRect().left)")
        assert lines[0] == item_left, (lines, item_left)


def test_a_table_in_a_post_keeps_its_words_whole_and_its_code_wraps_on_a_phone(wide_things, visitors, expect):
    page = visitors.visit("wide_writer", wide_things[0], viewport=PHONE)
    # Each heading of the table reads as one word on one line ("Afternoon", not "Aftern" /
    # "oon"), and the table scrolls in place for the columns past the phone's edge.
    lines_per_word = page.locator(".prose th").evaluate_all("""cells => cells.map(cell => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        return [cell.textContent, new Set([...range.getClientRects()].map(r => r.top)).size];
    })""")
    assert [word for word, lines in lines_per_word if " " not in word and lines > 1] == []
    # Its box is a region Tab reaches, so the arrow keys scroll it, as staff tables do, named by its headers.
    region = page.locator(".prose").get_by_role("region", name="Table: Day, Morning, Afternoon and 4 more",
                                                  exact=True).first
    assert region.evaluate("el => el.scrollWidth > el.clientWidth && el.tabIndex === 0")
    region.focus()
    page.keyboard.press("ArrowRight")
    # The arrow scrolls smoothly: on a busy machine scrollLeft moves a frame or more later.
    expect(region).not_to_have_js_property("scrollLeft", 0)
    # A block of code (or a paragraph typed indented, which Markdown makes one) wraps: it
    # was one line to swipe sideways, which a keyboard could not scroll.
    assert page.locator(".prose pre").first.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.fixture
def staff_pages(app):
    """Every page moderators and admins work on, each with something in it: flags open and
    dismissed (a post's, a profile's), a suspension, a badge given, the audit log they leave."""
    writer = make_user("wren_writes", role="listener", display_name="Wren")
    thread = make_thread("Evening check-in", author=writer)
    make_flag(make_user("flo_flags"), make_post(writer, thread, "Something to flag."))
    dismissed = make_flag(make_user("fay_flags"), make_post(writer, thread, "Something else."))
    make_flag(make_user("finn_flags"), writer, "An unkind bio.")
    moss = make_moderator("moss_keeps")
    close_flag_group(moss, dismissed, "dismissed", "Nothing wrong here.")
    suspend(writer, by=moss)
    ada = make_user("ada_runs", role="admin")
    award_badge(writer, make_badge("listener-trained", "Listener Trained", description="Finished the course."),
                by=ada, reason="Finished the course in spring.")
    return {"moss_keeps": ["/mod", "/mod/audit", "/mod/dismissed", "/mod/users/wren_writes"],
            "ada_runs": ["/admin/users", "/admin/users/wren_writes", "/admin/badges"]}


def test_moderators_and_admins_pages_fit_a_phone_zoomed_to_200_percent(staff_pages, visitors):
    assert_fit_a_zoomed_phone(visitors, staff_pages)


def assert_fit_a_zoomed_phone(visitors, paths_by_person: dict[str, list[str]]) -> None:
    """Each person's pages, opened signed in as them, are no wider than a phone zoomed to 200%."""
    too_wide = {}
    for who, paths in paths_by_person.items():
        page = visitors.visit(who, "/", viewport=ZOOMED_PHONE)
        for path in paths:
            page.goto(path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > ZOOMED_PHONE["width"]:
                too_wide[path] = f"{width} px: {too_wide_elements(page)}"
    assert not too_wide, f"wider than {ZOOMED_PHONE['width']} px: {too_wide}"


@pytest.mark.parametrize("who, path, name", [
    ("ada_runs", "/admin/users", "People"),
    ("ada_runs", "/admin/badges", "Badges"),
    ("moss_keeps", "/mod/audit", "Audit entries, newest first")])
def test_a_staff_table_wider_than_a_zoomed_phone_is_a_named_region_the_keyboard_scrolls(
        staff_pages, visitors, expect, who, path, name):
    # Its columns past the screen's edge are reached by scrolling the table alone: a
    # keyboard reaches it with Tab, and a screen reader says what the scrolling box holds.
    page = visitors.visit(who, path, viewport=ZOOMED_PHONE)
    region = page.get_by_role("region", name=name, exact=True)
    expect(region.get_by_role("table")).to_be_visible()
    assert region.evaluate("el => el.scrollWidth > el.clientWidth && el.tabIndex === 0")
    region.focus()
    page.keyboard.press("ArrowRight")
    expect(region).not_to_have_js_property("scrollLeft", 0)


# Any two of a row's pieces that overlap: its lead ("In other threads:") and its links.
_OVERLAPS = """nav => { const boxes = [...nav.children].map(el => [el.textContent.trim(), el.getBoundingClientRect()]);
  return boxes.flatMap(([a, r], i) => boxes.slice(i + 1).filter(([, q]) =>
    r.left < q.right && q.left < r.right && r.top < q.bottom && q.top < r.bottom).map(([b]) => [a, b])); }"""


def test_the_queues_lists_wrap_on_a_phone_with_nothing_covering_their_words(staff_pages, visitors):
    # They were one line each that scrolled sideways, and the chosen link, pinned to its edge,
    # covered the row's lead ("May be in danger:", "In other threads:") until the row was scrolled.
    page = visitors.visit("moss_keeps", "/mod?what=threads&urgent=1", viewport=PHONE)
    for path in ("/mod?what=threads&urgent=1", "/mod?what=profiles"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        for name in ("What was flagged", "Which flags"):
            row = page.get_by_role("navigation", name=name)
            assert row.evaluate("el => el.scrollWidth <= el.clientWidth"), f"{path}: {name} scrolls sideways"
            assert row.evaluate(_OVERLAPS) == [], f"{path}: {name}"
    # Wrapped, the seven kinds still leave the first flag's heading in the first screen.
    assert page.locator(".queue-entry h2").first.bounding_box()["y"] < PHONE["height"] - 60


@pytest.fixture
def flag_forms(app):
    """A post and a review to flag, each long enough that its quote on the flag form scrolls."""
    long_words = "\n\n".join(f"Paragraph {n} of a long evening check-in, kept whole." for n in range(30))
    writer = make_user("wren_writes", role="listener")
    post = make_post(writer, make_thread("Evening check-in", author=writer), long_words)
    review = make_review(make_user("mel_mentee", role="listener"), make_mentor("juno_mentors"), body=long_words)
    make_user("flo_flags", role="listener")
    return [f"/flag/post/{post.id}", f"/flag/review/{review.id}"]


@pytest.fixture
def flo_forms(flag_forms):
    """Flo's other forms with a way out beside the send button: editing her post, her review
    and her profile, asking a mentor, closing her account."""
    flo = db.session.scalar(select(User).where(User.username == "flo_flags"))
    post = make_post(flo, make_thread("Morning check-in", author=flo), "Something to edit.")
    review = make_review(flo, make_mentor("jo_mentors"))
    return {f"/posts/{post.id}/edit": "Cancel", f"/mentors/reviews/{review.id}/edit": "Cancel",
            "/settings/profile": "Cancel", "/mentors/juno_mentors/request": "Cancel",
            "/settings/close": "Keep my account"}


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_forms_way_out_and_the_flagged_quote_are_in_reach_on_the_smallest_phone(
        flag_forms, flo_forms, visitors, expect, javascript):
    page = visitors.visit("flo_flags", "/", viewport=REFLOW, javascript=javascript)
    for path, way_out in [*((path, "Cancel") for path in flag_forms), *flo_forms.items()]:
        page.goto(path)
        # Cancel wraps under the send button, with room between: it was a 54 x 19 px link touching it.
        cancel = page.get_by_role("link", name=way_out, exact=True).bounding_box()
        assert cancel["width"] >= 24 and cancel["height"] >= 24, f"{path}: {cancel}"
        assert small_targets(page) == [], path
    for path in flag_forms:
        page.goto(path)
        # The quote scrolls in its box: Tab reaches it and the keys scroll it, as staff tables do.
        quote = page.get_by_role("region", name="The flagged words", exact=True)
        assert quote.evaluate("el => el.scrollHeight > el.clientHeight && el.tabIndex === 0"), path
        quote.focus()
        page.keyboard.press("PageDown")
        expect(quote).not_to_have_js_property("scrollTop", 0)


@pytest.fixture
def trainers_forms(app):
    trainer = make_user("tova_trains", role=("listener", "trainer"), display_name="Tova")
    program = make_program(trainer, title="Listening in Groups", discussions=1)
    return ["/programs/new", f"/programs/{program.slug}/edit", f"/programs/{program.slug}/discussions/new",
            f"/programs/{program.slug}/discussions/1/edit"]


def test_a_trainers_program_and_discussion_forms_fit_the_smallest_phone_with_its_text_enlarged(
        trainers_forms, visitors):
    # The requirements' box took the width of its number boxes (372 px), and "Save program"
    # stayed one line past the edge (334 px): a trainer scrolled sideways to reach it.
    page = visitors.visit("tova_trains", "/", viewport=REFLOW)
    too_wide = {}
    for path in trainers_forms:
        page.goto(path)
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        width = page.evaluate("document.documentElement.scrollWidth")
        save_reaches = page.get_by_role("button", name="Save").evaluate("el => el.getBoundingClientRect().right")
        if max(width, save_reaches) > REFLOW["width"]:
            too_wide[path] = f"{width} px, Save to {save_reaches:.0f} px: {too_wide_elements(page)}"
    assert not too_wide, f"wider than {REFLOW['width']} px: {too_wide}"

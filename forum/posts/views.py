"""HTTP for the discussion engine: thread pages, writing, editing, reacting, notifications."""
from urllib.parse import parse_qsl

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.errors import Conflict, DomainError, Forbidden, NotFound, attach_to_form, flash_outcome
from forum.extensions import db
from forum.models.posts import REACTION_KINDS
from forum.forms import ask_first, confirmed, form_checks_csrf, sent_back_if_expired
from forum.moderation import services as moderation_services
from forum.moderation.blocking import viewer_blocked_ids
from forum.posts import bp, following, notifications, reading, services
from forum.posts.came_from import PASSED_TO_PART_PAGE, back_at, view_shown, where_post_is
from forum.posts.forms import EditForm, HideForm, PostForm, ReactionForm, ReplyForm
from forum.posts.permissions import can_delete_post, can_see_history, edit_refusal
from forum.posts.policies import policy_for
from forum.posts.text import preview_html
from forum.posts.visibility import can_see_reactions
from forum.text import quote_for_reply
from forum.text.typed import typed_text


def _page_arg() -> int:
    return request.args.get("page", 1, type=int) or 1


@bp.get("/threads/<int:thread_id>")
@bp.get("/threads/<int:thread_id>-<slug>")
def thread(thread_id, slug=None):
    try:
        thread = services.get_thread_for(current_user, thread_id)
    except NotFound:
        # A link the forum showed them before the thread closed to them (a program they left).
        if (elsewhere := services.link_into_closed_thread(current_user, thread_id)) is None:
            raise
        return redirect(elsewhere)
    own_url = policy_for(thread.kind).thread_url(thread)
    if not own_url.startswith(url_for("posts.thread", thread_id=thread.id)):
        passed = {key: value for key, value in request.args.items() if key in PASSED_TO_PART_PAGE}
        return redirect(policy_for(thread.kind).thread_url(thread, **passed))
    view = reading.load_thread_page(current_user, thread, _page_arg(), order=request.args.get("order", "oldest"))
    return render_template("posts/thread.html", view=view, form=PostForm(),
                           show_counts=policy_for(thread.kind).reaction_counts_shown(thread))


@bp.post("/threads/<int:thread_id>/follow")
@login_required
def follow(thread_id):
    thread = services.get_thread_for(current_user, thread_id)
    following.follow(current_user, thread)
    flash(f"You're following “{thread.title}”: you'll be told when someone posts there.", "success")
    return redirect(_followed_from_page(thread))


@bp.post("/threads/<int:thread_id>/unfollow")
@login_required
def unfollow(thread_id):
    thread = services.get_thread_for(current_user, thread_id)
    following.unfollow(current_user, thread)
    flash(f"You no longer follow “{thread.title}”.", "info")
    return redirect(_followed_from_page(thread))


def _followed_from_page(thread) -> str:
    """Back to the page the button was on (the thread's, or the list of threads followed)."""
    if request.form.get("back") == "notifications":
        return url_for("posts.notifications_page") + "#followed"
    # As on the way in (`thread` above): only what the part's page understands is passed on.
    shown = dict(parse_qsl(request.form.get("query", "")))
    return policy_for(thread.kind).thread_url(thread, **{key: value for key, value in shown.items()
                                                         if key in PASSED_TO_PART_PAGE})


@bp.post("/threads/<int:thread_id>/posts")
@login_required
@form_checks_csrf
def create(thread_id):
    thread = services.get_thread_for(current_user, thread_id)
    form = PostForm()
    if form.validate_on_submit():
        try:
            post = services.write_post(current_user, thread, form.body.data,
                                       submission_token=form.submission_token.data)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_posted_message(thread, post), "success")
            return redirect(back_at(current_user, post))
    return _refused_post_page(thread, form)


def _posted_message(thread, post) -> str:
    policy = policy_for(thread.kind)
    news = policy.news_after_post(post)
    return f"Your {policy.name_of_post(post)} is up." + (f" {news}" if news else "")


def _refused_post_page(thread, form):
    """The new post back in its box, with what was typed, worded as the part's page words it."""
    box = policy_for(thread.kind).post_box(current_user, thread)
    if box.label:
        form.body.label.text = box.label
    if box.hint:
        form.body.description = box.hint
    return render_template("posts/compose.html", thread=thread, parent=None, form=form, box=box,
                           page_title=policy_for(thread.kind).page_title(current_user, thread)), 422


@bp.post("/posts/<int:post_id>/replies")
@login_required
@form_checks_csrf
def reply(post_id):
    parent = services.get_post_for(current_user, post_id)
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            post = services.write_post(current_user, parent.thread, form.body.data, parent=parent,
                                       submission_token=form.submission_token.data)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash(_posted_message(parent.thread, post), "success")
            return redirect(back_at(current_user, post))
    return render_template("posts/compose.html", thread=parent.thread, parent=parent, form=form,
                           taken_down_heading=_taken_down_heading(parent),
                           page_title=policy_for(parent.thread.kind).page_title(current_user, parent.thread)), 422


def _taken_down_heading(parent) -> str | None:
    """The reply page's heading for a removed or hidden post ("Removed reply"): "Reply to Rowan"
    invited a reply right above the refusal saying it takes none."""
    if not parent.is_removed:
        return None
    how = "Hidden" if parent.hidden_at is not None else "Removed"
    return f"{how} {policy_for(parent.thread.kind).name_of_post(parent)}"


@bp.get("/posts/<int:post_id>/reply")
@login_required
def reply_form(post_id):
    """The reply box on a page of its own: the no-JavaScript way to reply and quote."""
    parent = services.get_post_for(current_user, post_id)
    form = ReplyForm()
    quoted_id = request.args.get("quote", type=int)
    quote_refused = None
    if quoted_id:
        quoted = services.get_post_for(current_user, quoted_id)
        if quoted.is_removed:
            # Taken down since the page with the Quote link was opened: say so, rather
            # than an empty box that looks like the link did not work.
            how = "hidden by a moderator" if quoted.hidden_at else "removed"
            quote_refused = f"That {policy_for(quoted.thread.kind).name_of_post(quoted)} was {how}, so it can't be quoted."
        else:
            form.body.data = quote_for_reply(quoted.author.username, quoted.body_md)
    return render_template("posts/compose.html", thread=parent.thread, parent=parent, form=form,
                           quote_refused=quote_refused, taken_down_heading=_taken_down_heading(parent),
                           page_title=policy_for(parent.thread.kind).page_title(current_user, parent.thread))


@bp.get("/posts/<int:post_id>")
def permalink(post_id):
    try:
        post = services.get_post_for(current_user, post_id)
    except NotFound:
        # Their own post in a thread closed to them now (a program they left), linked from
        # their profile, a notice or an email: their part may still show it to them.
        if (elsewhere := services.link_to_closed_post(current_user, post_id)) is None:
            raise
        return redirect(elsewhere)
    where = where_post_is(current_user, post)
    if (notification_id := request.args.get(notifications.FOLLOWED_FROM, type=int)) is not None:
        # An emailed link followed signed out (signed in, it was read on the way in): kept on
        # the post's page, whose Sign in link then brings it back to be read.
        where = notifications.followed_from(where, notification_id)
    return redirect(where)


@bp.get("/posts/<int:post_id>/replies")
def replies(post_id):
    parent = services.get_post_for(current_user, post_id)
    if parent.parent_id is not None:
        return redirect(url_for("posts.replies", post_id=parent.parent_id))
    page = reading.replies_page(parent, _page_arg())
    summaries = reading.reaction_summaries(current_user, [parent.id] + [r.id for r in page.items])
    return render_template("posts/replies.html", parent=parent, page=page, reactions=summaries,
                           show_counts=policy_for(parent.thread.kind).reaction_counts_shown(parent.thread))


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def edit(post_id):
    post = services.get_post_for(current_user, post_id)
    form = EditForm()
    named = _named(post)
    form.body.label.text = named[:1].upper() + named[1:]
    if refusal := edit_refusal(current_user, post):
        if request.method == "GET" and post.author_id != current_user.id:
            abort(403, refusal)
        # Their own post, changed since the Edit link was shown (shortlisted, removed, locked)
        # or while they typed: the reason, a way back to it, and any words typed kept.
        return render_template("posts/edit.html", post=post, form=form, refusal=refusal, named=named), 403
    if request.method == "GET":
        form.body.data = post.body_md
        form.based_on.data = services.body_version(post)
    elif form.validate_on_submit():
        try:
            services.edit_post(current_user, post, form.body.data, based_on=form.based_on.data)
        except Conflict as error:
            # Changed since the page was opened: show how it reads now, keep their text, and
            # let a second save, made having seen it, go through.
            attach_to_form(form, error)
            form.based_on.data = services.body_version(post)
            return render_template("posts/edit.html", post=post, form=form, changed_meanwhile=True,
                                   named=named), 409
        except DomainError as error:
            attach_to_form(form, error)
        else:
            flash("Your changes are saved.", "success")
            return redirect(back_at(current_user, post))
    return render_template("posts/edit.html", post=post, form=form, named=named)


def _named(post) -> str:
    """"your idea", or "Ana's idea" to a moderator editing it: what the edit page is about."""
    what = policy_for(post.thread.kind).name_of_post(post)
    return f"your {what}" if post.author_id == current_user.id else f"{post.author.display_name}'s {what}"


@bp.get("/posts/<int:post_id>/history")
@login_required
def history(post_id):
    post = services.get_post_for(current_user, post_id)
    if not can_see_history(current_user, post):
        abort(403)
    revisions = db.session.scalars(services.revisions_of(post)).all()
    return render_template("posts/history.html", post=post, revisions=revisions, whose=_whose(post))


def _whose(post, unnamed_if_blocked: bool = False) -> str:
    """"Ana's idea", "Ben's reply": the post as its part's pages name it. `unnamed_if_blocked`: not
    by name when the reader blocked its author, as the thread names them beside their folded card
    (CardsFor.name_of). The edit history, a moderator's tool, still names the author."""
    what = policy_for(post.thread.kind).name_of_post(post)
    if unnamed_if_blocked and post.author_id in viewer_blocked_ids(current_user):
        return f"the {what} of someone you blocked"
    return f"{post.author.display_name}'s {what}"


@bp.post("/posts/<int:post_id>/delete")
@login_required
def delete(post_id):
    post = services.get_post_for(current_user, post_id)
    # Named as its part names it ("your idea", "your reply"); a reply has no replies to keep.
    what = policy_for(post.thread.kind).name_of_post(post)
    if post.author_id == current_user.id and post.deleted_at is not None:
        # Pressed again (a double-click, another tab): what they asked for is done.
        flash(f"Your {what} is removed already.", "info")
        return redirect(back_at(current_user, post))
    if can_delete_post(current_user, post) and not confirmed():
        # Sent without JavaScript, so the card's question (post_card.html) was not asked yet.
        details = ("Only a moderator can bring it back." if post.parent_id is not None
                   else "Replies to it stay, and only a moderator can bring it back.")
        return ask_first(f"Remove your {what}?", details,
                         button=f"Remove my {what}", back=back_at(current_user, post), back_label=f"Keep my {what}",
                         kept={"query": request.form.get("query", "")})
    services.delete_own_post(current_user, post)
    stay = "" if post.parent_id is not None else " Replies to it stay."
    flash(f"Your {what} is removed.{stay}", "info")
    return redirect(back_at(current_user, post))


@bp.post("/posts/<int:post_id>/hide")
@login_required
@form_checks_csrf
def hide(post_id):
    post = services.get_post_for(current_user, post_id)
    form = HideForm()
    if (expired := sent_back_if_expired(form, lambda: redirect(where_post_is(current_user, post, view_shown())))) is not None:
        return expired
    try:
        # Hidden here or from the queue, its flags are handled the same way: closed with it.
        moderation_services.hide_post(current_user, post, form.reason.data or "")
    except DomainError as error:
        if error.status != 400:
            raise
        flash(error.message, "error")
    else:
        flash(f"The {policy_for(post.thread.kind).name_of_post(post)} is hidden and its author told why.", "success")
    return redirect(back_at(current_user, post))


@bp.post("/posts/<int:post_id>/restore")
@login_required
def restore(post_id):
    post = services.get_post_for(current_user, post_id)
    flash_outcome(lambda: services.restore_post(current_user, post),
                  f"The {policy_for(post.thread.kind).name_of_post(post)} is back.", refusal_category="info")
    return redirect(back_at(current_user, post))


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.post("/posts/<int:post_id>/react")
@login_required
def react(post_id):
    post = services.get_post_for(current_user, post_id)
    kind = ReactionForm().kind.data or ""
    try:
        active, count = services.toggle_reaction(current_user, post, kind)
    except DomainError as error:
        if _wants_json():
            return jsonify(error=error.message), error.status
        raise
    # Said either way: by the page that comes back without JavaScript (it looks the same but
    # for one pressed button), and to a screen reader through the script's live region.
    emoji, label = REACTION_KINDS[kind]
    author = post.author.display_name if post.author is not None else "them"
    said = f"You sent {author} a {emoji} {label}." if active else f"You took back your {emoji} {label}."
    if _wants_json():
        shown = policy_for(post.thread.kind).reaction_counts_shown(post.thread)
        # The reaction area as the page would now show it (names in the titles, "Who
        # reacted"), from the card's own macro, for the script to put in place of the old.
        summary = reading.reaction_summaries(current_user, [post.id])[post.id]
        html = render_template("posts/_reaction_area.html", post=post, summary=summary, show_counts=shown)
        return jsonify(kind=kind, active=active, count=count if shown else None, html=html, said=said)
    flash(said, "success")
    return redirect(back_at(current_user, post))


@bp.get("/posts/<int:post_id>/reactions")
def reactions(post_id):
    post = services.get_post_for(current_user, post_id)
    if not can_see_reactions(current_user, post):
        raise NotFound("That post can't be found.")
    if not policy_for(post.thread.kind).reaction_counts_shown(post.thread):
        raise Forbidden("Who reacted is hidden for now, so that ideas are judged on their own.")
    page = reading.reactors(post, _page_arg())
    return render_template("posts/reactions.html", post=post, page=page,
                           whose=_whose(post, unnamed_if_blocked=True))




@bp.post("/preview")
@login_required
def preview():
    """Markdown preview for the editor's JavaScript: rendered exactly as a saved post would be."""
    if not typed_text(request.form.get("body")):
        # An empty preview looked like the button did nothing.
        return jsonify(error="Nothing to preview yet: write something in the box first."), 400
    # Measured as posting measures it: a browser sends each line end as two characters,
    # and a text the post box takes was refused here as too long.
    try:
        body = services.clean_body(request.form.get("body"))
    except DomainError as error:
        return jsonify(error=error.message), 400
    return jsonify(html=preview_html(body))

from flask import current_app, render_template

from forum.home import bp


@bp.get("/")
def index():
    return render_template("home/index.html")


@bp.get("/help")
def help_now():
    """What to do in danger, and the crisis lines this forum's operator listed (CRISIS_LINES):
    for anyone, signed in or not, and asks nothing of the database."""
    return render_template("home/help.html", lines=current_app.config["CRISIS_LINES"])

from flask import render_template

from forum.home import bp


@bp.get("/")
def index():
    return render_template("home/index.html")

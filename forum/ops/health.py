"""`/healthz` for load balancers and monitors: is this process able to reach the database?"""
from flask import jsonify
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from forum.extensions import db, limiter
from forum.ops import bp

HEALTHY = {"status": "ok"}
DATABASE_UNAVAILABLE = {"status": "database unavailable"}


def database_unavailable_answer():
    response = jsonify(DATABASE_UNAVAILABLE)
    response.status_code = 503
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
@limiter.exempt
def healthz():
    # A trivial round trip: cheap enough to ask every few seconds, and it goes through
    # the same pool (with its pre-ping) that pages use.
    try:
        db.session.execute(text("SELECT 1"))
    except DBAPIError:
        db.session.rollback()
        return database_unavailable_answer()
    response = jsonify(HEALTHY)
    response.headers["Cache-Control"] = "no-store"
    return response

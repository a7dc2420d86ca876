"""/search: read the query string, search, render. Bad filters are a 400 with the form kept."""
from flask import render_template, request
from flask_login import current_user

from forum.errors import DomainError
from forum.search import bp, services


@bp.get("")
def index():
    page = request.args.get("page", 1, type=int) or 1
    parts = services.parts_offered_to(current_user, request.args.get("part", ""))
    try:
        query = services.parse_query(request.args)
    except DomainError as error:
        return render_template("search/results.html", result=None, error=error, parts=parts,
                               orders=services.ORDERS), 400
    result = services.search(current_user, query, page)
    return render_template("search/results.html", result=result, error=None, parts=parts,
                           orders=services.ORDERS)

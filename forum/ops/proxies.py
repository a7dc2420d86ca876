"""Behind a load balancer every request comes from the balancer's address, which would
put everyone in one rate-limit bucket and one line of the log. TRUSTED_PROXIES says how
many proxies in front of the forum set X-Forwarded-For/-Proto; 0 (the default) trusts none.
"""
from werkzeug.middleware.proxy_fix import ProxyFix

from forum.ops import bp


@bp.record_once
def trust_forwarded_headers(state) -> None:
    hops = state.app.config.get("TRUSTED_PROXIES", 0)
    if hops:
        state.app.wsgi_app = ProxyFix(state.app.wsgi_app, x_for=hops, x_proto=hops)

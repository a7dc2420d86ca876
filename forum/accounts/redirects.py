"""Where to send someone after signing in: only ever somewhere on this site."""
from urllib.parse import urlsplit


def safe_next(target: str | None, default: str) -> str:
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ch in target for ch in "\r\n\\"):
        return default
    return target

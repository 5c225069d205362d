"""Where a store is: a ``.wbstore`` file, or a shared store's PostgreSQL URL.

A URL may carry a password (``postgresql://ana:secret@server/cases``); it is used to log in
and never kept: what a chart, the recent-stores list, a title or a message shows is the URL
without it (:func:`public`). Light on purpose (no database driver), so ``workbench --help``
and the window's menus can tell a URL from a file without loading one.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

SCHEMES = ("postgresql://", "postgres://")
_SECRET_PARAMETERS = {"password", "passfile", "sslpassword"}


def is_url(location: str | Path) -> bool:
    """A shared store's address rather than a file (a Path never is one)."""
    return isinstance(location, str) and location.strip().lower().startswith(SCHEMES)


def public(url: str) -> str:
    """The URL without its password (in the user part or as a parameter)."""
    parts = urlsplit(url.strip())
    netloc = parts.netloc
    if "@" in netloc:
        user, _, host = netloc.rpartition("@")
        netloc = f"{user.partition(':')[0]}@{host}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if k.lower() not in _SECRET_PARAMETERS], safe="/")
    return f"{parts.scheme}://{netloc}{parts.path}" + (f"?{query}" if query else "")


def short_name(location: str | Path) -> str:
    """A store's name for titles: the file's name, or 'DATABASE on HOST'."""
    if not is_url(location):
        return Path(location).name
    parts = urlsplit(str(location).strip())
    database = parts.path.lstrip("/") or (parts.username or "postgres")
    host = parts.hostname or dict(parse_qsl(parts.query)).get("host") or "localhost"
    return f"{database} on {host}"



def with_password(url: str, password: str) -> str:
    """The URL to log in with (held in memory only): ``password`` as a libpq parameter."""
    joiner = "&" if urlsplit(url).query else "?"
    return f"{url.strip()}{joiner}password={quote(password, safe='')}"

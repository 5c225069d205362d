"""What ``workbench store admin URL VERB`` and ``workbench store audit URL`` do: a shared
store's organisations, analysts, sharing agreements and audit log. Loaded only when such a
command runs (psycopg stays out of ``workbench --help``)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from dataclasses import asdict

import orjson

from workbench.model import ParseError
from workbench.model.kinds import parse_datetime
from workbench.store.interface import StoreError
from workbench.store.pg import audit
from workbench.store.pg.admin import Admin
from workbench.store.pg.connect import connect, display, guarded

PASSWORD_VARIABLE = "WORKBENCH_ANALYST_PASSWORD"


def _fail(verb: str, message: str) -> int:
    print(f"workbench store {verb}: {message}", file=sys.stderr)
    return 2


def _json(data: object) -> None:
    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")


def _password(role: str) -> str:
    """From the environment (scripts), else asked twice at the terminal: never an argument,
    which other users of the machine could read in the process list."""
    if secret := os.environ.get(PASSWORD_VARIABLE):
        return secret
    if not sys.stdin.isatty():
        raise StoreError(f"a password for {role} is needed: set {PASSWORD_VARIABLE} or run "
                         "this at a terminal")
    first = getpass.getpass(f"Password for {role}: ")
    if not first or first != getpass.getpass("Again: "):
        raise StoreError("the two passwords were empty or differ; nothing was changed")
    return first


def run_admin(args: argparse.Namespace) -> int:
    verb = f"admin {args.admin_verb}"
    try:
        with Admin(args.store) as admin:
            if args.admin_verb == "init":
                admin.init(args.org)
                print(f"Made a Workbench store in {display(args.store)} with organisation "
                      f"{args.org!r}; next: workbench store admin URL add-analyst ROLE "
                      f"--org {args.org!r}")
            elif args.admin_verb == "add-org":
                admin.add_org(args.name)
                print(f"Added organisation {args.name!r}")
            elif args.admin_verb == "add-analyst":
                admin.organisation(args.org)  # before asking for a password
                made = admin.add_analyst(args.role, args.org, _password(args.role))
                print(f"{args.role} is an analyst of {args.org!r}" +
                      ("" if made else " (the role existed: its password is unchanged)"))
            elif args.admin_verb == "upgrade":
                before, now = admin.upgrade()
                print(f"{display(args.store)}: store format version {now}" +
                      (f" (was {before})" if before != now else ", nothing to do"))
            elif args.admin_verb == "share":
                admin.share(args.owner, args.partner, stop=args.stop)
                print(f"{args.owner!r} {'no longer shares' if args.stop else 'shares'} with "
                      f"{args.partner!r}")
            else:
                return _list(admin, args.json)
    except StoreError as exc:
        return _fail(verb, str(exc))
    return 0


def _list(admin: Admin, as_json: bool) -> int:
    listing = admin.listing()
    if as_json:
        _json({"organisations": [name for _, name in listing.organisations],
               "analysts": [{"role": r, "organisation": o} for r, o in listing.analysts],
               "sharing": [{"owner": a, "with": b} for a, b in listing.sharing]})
        return 0
    lines = ["Organisations:"] + [f"  {name}" for _, name in listing.organisations]
    lines += ["Analysts:" if listing.analysts else "Analysts: none"]
    lines += [f"  {role} ({org})" for role, org in listing.analysts]
    lines += ["Sharing:" if listing.sharing else "Sharing: none"]
    lines += [f"  {a} shares with {b}" for a, b in listing.sharing]
    print("\n".join(lines))
    return 0


class _Reader:
    """A plain connection for reading the log, errors as one line."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.conn = connect(url, application="workbench store audit", autocommit=True)

    @guarded
    def rows(self, since) -> list[audit.AuditRow]:
        return audit.rows(self.conn, since)


def run_audit(args: argparse.Namespace) -> int:
    try:
        since = parse_datetime(args.since) if args.since else None
    except ParseError as exc:
        return _fail("audit", f"--since: {exc}")
    try:
        reader = _Reader(args.store)
        try:
            found = reader.rows(since)
        finally:
            reader.conn.close()
    except StoreError as exc:
        return _fail("audit", str(exc))
    if args.json:
        data = [asdict(r) for r in found]
        for row in data:
            row["at"] = row["at"].isoformat()
        _json(data)
        return 0
    for r in found:
        detail = ", ".join(f"{k}={v}" for k, v in r.detail.items())
        org = f" ({r.organisation})" if r.organisation else ""
        print(f"{r.at:%Y-%m-%d %H:%M:%S}  {r.role}{org}  {r.action}  {detail}  "
              f"[{r.application or '-'} from {r.client}]")
    if not found:
        print("No audit rows" + (f" since {args.since}" if args.since else ""))
    return 0

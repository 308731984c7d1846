"""Commands of the command line beyond the pipeline: the web app, accounts, imports and comparison.

They are registered by ``cli.build_parser``; like every command they only call the
library and turn its errors into messages and exit codes (``cli.main``).
"""
from __future__ import annotations

import argparse
import json
import sys

ACCESS = ("public", "restricted", "confidential")
ROLES = ("reader", "editor", "admin")


def cmd_serve(args, settings) -> int:
    from .serve import run_server
    from .store import open_store
    open_store(args.db).close()            # create and migrate the store before serving it
    print(f"letopis: serving {args.db} on http://{args.host}:{args.port}/ (Ctrl-C to stop)", file=sys.stderr)
    run_server(args.db, host=args.host, port=args.port, anonymous=args.anonymous, tile_url=args.tile_url)
    return 0


def _read_password(args) -> str:
    from .errors import UsageError
    if args.password_stdin:
        pw = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        import getpass
        pw = getpass.getpass("password: ")
        if getpass.getpass("again: ") != pw:
            raise UsageError("the two passwords differ")
    else:
        raise UsageError("no password given", hint="type it at the prompt, or pipe it with --password-stdin")
    return pw


def cmd_user(args, settings) -> int:
    from .serve.users import add_user
    from .store import open_store
    store = open_store(args.db)
    try:
        user = add_user(store, args.name, _read_password(args), args.role, clearance=args.clearance)
    finally:
        store.close()
    print(f"added {args.role} {args.name} (clearance {getattr(user, 'clearance', args.clearance) or 'default'})",
          file=sys.stderr)
    return 0


def cmd_import(args, settings) -> int:
    from . import pipeline
    from .interop import import_file
    from .store import open_store
    store = open_store(args.db)
    try:
        stats = import_file(store, args.format, args.file, access=args.access or settings.access)
        pipeline.link(store)
    finally:
        store.close()
    print(stats.summary(), file=sys.stderr)
    return 0


def cmd_compare(args, settings) -> int:
    from .interop.compare import compare
    from .store import open_store
    store = open_store(args.db)
    try:
        result = compare(store, args.other, args.format, clearance=args.clearance or settings.clearance)
    finally:
        store.close()
    if args.json:
        out = sys.stdout
        for row in result.rows():
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(result.summary(), file=sys.stderr)
    return 0


def register(sub, common: argparse.ArgumentParser, command) -> None:
    """Add these commands to the `letopis` parser (``command`` is cli._command)."""
    p = command(sub, "serve", cmd_serve, "the web app on 127.0.0.1: search, event and document pages, review, map",
                "letopis serve --db reports.db --port 8000", [common])
    p.add_argument("--port", type=int, default=8000, metavar="N", help="port to listen on (default 8000)")
    p.add_argument("--host", default="127.0.0.1", metavar="ADDR", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--anonymous", action="store_true", help="read-only, public records only, no login")
    p.add_argument("--tile-url", metavar="URL", help="a map tile URL template for users who are online "
                   "(default: the offline country borders shipped with letopis)")

    p = command(sub, "user", cmd_user, "manage local accounts of the web app",
                "letopis user add anna --role editor --db reports.db", [common])
    p.add_argument("action", choices=("add",), help="what to do: add an account")
    p.add_argument("name", metavar="NAME", help="the user name")
    p.add_argument("--role", required=True, choices=ROLES, help="reader, editor or admin")
    p.add_argument("--clearance", choices=ACCESS, help="highest access level the user may see "
                   "(default: admin confidential, others public)")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")

    p = command(sub, "import", cmd_import, "import coded datasets or another letopis store's export as events",
                "letopis import --format acled-csv acled_2021.csv --db reports.db", [common])
    p.add_argument("file", metavar="FILE", help="the file to import")
    p.add_argument("--format", required=True, choices=("acled-csv", "mm-csv", "events-jsonl"),
                   help="ACLED CSV, Mass Mobilization CSV, or events-jsonl from another letopis store")
    p.add_argument("--access", choices=ACCESS, help="access level of what is imported (default: setting access)")

    p = command(sub, "compare", cmd_compare, "which events another dataset has, lacks, or has that we lack",
                "letopis compare --with acled_2021.csv --format acled-csv --db reports.db --json > diff.jsonl",
                [common])
    p.add_argument("--with", dest="other", required=True, metavar="FILE", help="the other dataset")
    p.add_argument("--format", required=True, choices=("acled-csv", "mm-csv"), help="its format")
    p.add_argument("--clearance", choices=ACCESS, help="highest access level of our events to compare "
                   "(default: setting clearance)")
    p.add_argument("--json", action="store_true", help="print every match and miss as JSON Lines")

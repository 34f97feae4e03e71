"""`elderscan token create|list|revoke`: the API's tokens, printed once when created, stored
only as a hash.

Cheap to import: the store loads inside the commands.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from elderscan import clock
from elderscan.cli.console import line
from elderscan.cli.options import DatabaseUrl, Debug
from elderscan.cli.store import open_store
from elderscan.terminal_lang import say, terminal_lang

HELP = "API tokens: create (printed once), list, revoke."


def _print(text: str) -> None:
    """Plain stdout (no Rich: tabs and long tokens stay exactly as they are)."""
    typer.echo(text)


def token_create(
    role: Annotated[str, typer.Option(help="admin (may start scans and batches) or read.")],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "token",
    url: DatabaseUrl = None,
    debug: Debug = False,
) -> None:
    """Create a token. It is printed once, alone on the last line; only its hash is kept."""
    from elderscan.store import create_token, list_tokens

    if role not in ("admin", "read"):
        raise ValueError(say("err.token_role", value=repr(role)))
    if len(name.strip()) > 200:
        raise ValueError(say("err.token_name"))
    with open_store(url) as session:
        plaintext = create_token(session, name, role)
        token_id = max(t.id for t in list_tokens(session))
    line(say("token.created", role=say(f"token.{role}"), id=token_id,
             name=name.strip() or "token"))
    _print(plaintext)


def token_list(url: DatabaseUrl = None, debug: Debug = False) -> None:
    """List tokens (never their values)."""
    from elderscan.store import list_tokens

    lang = terminal_lang()
    never = say("never", lang)
    with open_store(url) as session:
        rows = [(t.id, say(f"token.{t.role}", lang),
                 say("token.revoked" if t.revoked else "token.active", lang),
                 clock.show(t.created_at, lang),
                 clock.show(t.last_used_at, lang) if t.last_used_at else never,
                 t.name) for t in list_tokens(session)]
    if not rows:
        _print(say("token.none", lang))
        return
    _print(say("token.head", lang))
    for row in rows:
        _print("\t".join(str(c) for c in row))


def token_revoke(
    token_id: Annotated[int, typer.Argument(metavar="ID", help="Token id (see token list).")],
    url: DatabaseUrl = None,
    debug: Debug = False,
) -> None:
    """Revoke a token: requests with it get 401 from now on, and the dashboard sessions
    opened with it end."""
    from elderscan.store import revoke_token

    with open_store(url) as session:
        found = revoke_token(session, token_id) if 0 < token_id < 2**63 else False
    if not found:
        raise ValueError(say("err.no_token", id=token_id))
    _print(say("token.revoked_one", id=token_id))


COMMANDS: dict[str, Callable[..., None]] = {
    "create": token_create, "list": token_list, "revoke": token_revoke,
}

"""The tests' name resolver: a closed network's, the same on every machine.

A name the tests make up (`www.example.gov.cn`, the names schemathesis generates) is looked up
by the API's address guard and by the crawl. On a machine without DNS the system resolver said
"no such name" at once for most lookups and took its 5 s timeout for some (five of ~3,000 in
the schemathesis test, 25 s of its 26), at random. In the test process, names other than
`localhost` and the numeric forms now fail at once, as they do on a closed network, and those
two are resolved by the system as before (from /etc/hosts, without DNS). The commands and
services the tests start as processes of their own resolve as the machine does.
"""

from __future__ import annotations

import socket
from typing import Any

LOCAL_NAMES = frozenset({"localhost", "localhost.", "localhost.localdomain", "ip6-localhost",
                         "ip6-loopback"})

_system = socket.getaddrinfo


def closed_getaddrinfo(host: Any, port: Any, family: int = 0, type: int = 0, proto: int = 0,
                       flags: int = 0) -> Any:
    name = host.decode("ascii", "replace") if isinstance(host, bytes) else host
    if name is None or str(name).lower() in LOCAL_NAMES:
        return _system(host, port, family, type, proto, flags)
    try:
        return _system(host, port, family, type, proto, flags | socket.AI_NUMERICHOST)
    except socket.gaierror:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None


def install() -> None:
    socket.getaddrinfo = closed_getaddrinfo


def uninstall() -> None:
    socket.getaddrinfo = _system

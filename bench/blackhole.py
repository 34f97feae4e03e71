"""Third-party hosts that never answer, as a portal's statistics and advertising hosts do when
they are slow or blocked: each accepts TCP connections and holds them open without reading or
writing a byte, so a browser's request to it neither fails nor finishes.

A connection that is refused fails at once and tells a tool nothing; one that hangs shows which
tools wait for the whole network (`networkidle`) and which judge a page once it has rendered.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading
from types import TracebackType

ADDRESS = "127.0.0.2"
"""Another loopback address than the site's 127.0.0.1, so its hosts are third parties by address
as well as by port (Linux routes all of 127.0.0.0/8 to the loopback device)."""


class Blackhole:
    """`ports` listening sockets on a loopback address, each standing for one third-party host;
    `origins` are their `http://host:port` addresses once started."""

    def __init__(self, ports: int = 3, address: str = ADDRESS) -> None:
        self.address = address
        self._count = ports
        self._listeners: list[socket.socket] = []
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def origins(self) -> list[str]:
        return [f"http://{host}:{port}" for host, port in
                (s.getsockname()[:2] for s in self._listeners)]

    @property
    def held(self) -> int:
        """Connections accepted and still held open."""
        return len(self._held)

    def start(self) -> list[str]:
        for _ in range(self._count):
            listener = socket.socket()
            try:
                listener.bind((self.address, 0))
            except OSError:  # a system without the rest of 127/8: another port of the usual one
                listener.bind(("127.0.0.1", 0))
            listener.listen(256)
            listener.setblocking(False)
            self._listeners.append(listener)
        self._thread = threading.Thread(target=self._accept, name="blackhole", daemon=True)
        self._thread.start()
        return self.origins

    def _accept(self) -> None:
        with selectors.DefaultSelector() as selector:
            for listener in self._listeners:
                selector.register(listener, selectors.EVENT_READ)
            while not self._stop.is_set():
                for key, _ in selector.select(timeout=0.1):
                    with contextlib.suppress(OSError):
                        conn, _ = key.fileobj.accept()  # type: ignore[union-attr]
                        self._held.append(conn)  # held, never read from nor written to

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        for sock in (*self._held, *self._listeners):
            sock.close()
        self._held.clear()
        self._listeners.clear()

    def __enter__(self) -> Blackhole:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

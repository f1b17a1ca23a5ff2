"""A TCP proxy for fault tests: forwards to the server and can cut a connection on purpose.

``cut_upstream_after`` closes both sides once that many more bytes went towards the server (it
sees half a request); ``cut_downstream_after`` once that many more bytes came back (the client
sees half an answer, after the server did the work). Counting starts when a cut is armed, also
on connections already open (keep-alive); each cut fires once.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from dataclasses import dataclass, field


@dataclass
class TcpProxy:
    target_port: int
    cut_upstream_after: int | None = None
    cut_downstream_after: int | None = None
    cuts: int = 0
    _server: socket.socket = field(init=False)
    _threads: list[threading.Thread] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _closing: bool = False

    def __post_init__(self) -> None:
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(64)
        self._server.settimeout(0.2)
        accept = threading.Thread(target=self._accept, daemon=True)
        accept.start()
        self._threads.append(accept)

    @property
    def port(self) -> int:
        return int(self._server.getsockname()[1])

    def _passes(self, upstream: bool, size: int) -> int | None:
        """How many of ``size`` bytes may pass before an armed cut fires; None: all of them."""
        with self._lock:
            limit = self.cut_upstream_after if upstream else self.cut_downstream_after
            if limit is None:
                return None
            if size < limit:
                if upstream:
                    self.cut_upstream_after = limit - size
                else:
                    self.cut_downstream_after = limit - size
                return None
            if upstream:
                self.cut_upstream_after = None
            else:
                self.cut_downstream_after = None
            self.cuts += 1
            return limit

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            for source, sink, towards_server in (
                (client, upstream, True),
                (upstream, client, False),
            ):
                thread = threading.Thread(
                    target=self._pump,
                    args=(source, sink, towards_server, client, upstream),
                    daemon=True,
                )
                thread.start()
                self._threads.append(thread)

    def _pump(
        self,
        source: socket.socket,
        sink: socket.socket,
        towards_server: bool,
        client: socket.socket,
        upstream: socket.socket,
    ) -> None:
        with contextlib.suppress(OSError):
            while True:
                data = source.recv(65536)
                if not data:
                    break
                allowed = self._passes(towards_server, len(data))
                if allowed is not None:
                    sink.sendall(data[:allowed])
                    break
                sink.sendall(data)
        for each in (client, upstream):
            with contextlib.suppress(OSError):
                each.shutdown(socket.SHUT_RDWR)
            each.close()

    def close(self) -> None:
        self._closing = True
        self._server.close()
        for thread in self._threads:
            thread.join(timeout=2)

"""Misbehaving Redis servers on a real local socket, for the no-hang tests.

``StallingRedis`` speaks enough RESP (HELLO, AUTH, CLIENT, PING, INFO, SCAN on
an empty database) to pass ntprofile's preflight and let NautilusTrader build
a node, then goes silent: from connection ``answer_connections`` on it answers
only the first ``then_answer`` commands of each connection, then reads and never
replies, as a Redis that hangs (swapping, a stuck replica, a half-open proxy)
does. ``drip_secs`` sends every reply one byte at a time, that far apart;
``reply`` replaces the answers (a server that is not Redis). It runs in threads
of the test process: NautilusTrader must run in another process (a CLI in a
subprocess), since it holds the GIL while it waits for Redis.
"""

from __future__ import annotations

import socket
import threading
from typing import Callable

_HELLO = (
    b"%7\r\n+server\r\n+redis\r\n+version\r\n+7.2.0\r\n+proto\r\n:3\r\n+id\r\n:1\r\n"
    b"+mode\r\n+standalone\r\n+role\r\n+master\r\n+modules\r\n*0\r\n"
)


def _commands(buffer: bytes) -> tuple[list[list[bytes]], bytes]:
    """Complete RESP arrays in ``buffer`` and the unparsed rest."""
    found = []
    while buffer.startswith(b"*"):
        lines = buffer.split(b"\r\n")
        try:
            count = int(lines[0][1:])
        except ValueError:
            return found, b""
        if len(lines) < 1 + 2 * count + 1:
            break
        args = [lines[2 + 2 * i] for i in range(count)]
        consumed = sum(len(line) + 2 for line in lines[: 1 + 2 * count])
        found.append(args)
        buffer = buffer[consumed:]
    return found, buffer


def _reply(args: list[bytes]) -> bytes:
    name = args[0].upper() if args else b""
    if name == b"HELLO":
        return _HELLO
    if name == b"PING":
        return b"+PONG\r\n"
    if name == b"INFO":
        body = b"# Server\r\nredis_version:7.2.0\r\n"
        return b"$%d\r\n%s\r\n" % (len(body), body)
    if name == b"SCAN":
        return b"*2\r\n$1\r\n0\r\n*0\r\n"  # an empty database
    if name in (b"KEYS", b"HGETALL", b"SMEMBERS", b"LRANGE", b"MGET"):
        return b"*0\r\n"
    return b"+OK\r\n"


class StallingRedis:
    """A local server that answers the first ``answer_connections`` connections, then only listens."""

    def __init__(
        self,
        answer_connections: int = 1,
        drip_secs: float | None = None,
        then_answer: int = 0,
        reply: Callable[[list[bytes]], bytes] | None = None,
    ):
        self.answer_connections = answer_connections
        self.then_answer = then_answer
        self.reply = reply or _reply
        self.drip_secs = drip_secs
        self.connections = 0
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.host, self.port = self._sock.getsockname()
        self._open: list[socket.socket] = []
        self._closed = threading.Event()

    def __enter__(self) -> StallingRedis:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closed.set()
        self._sock.close()
        for conn in self._open:
            try:
                conn.close()
            except OSError:
                pass

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            self._open.append(conn)
            answers = None if self.connections < self.answer_connections else self.then_answer
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn, answers), daemon=True).start()

    def _serve(self, conn: socket.socket, answers: int | None) -> None:
        """Reply to every command (``answers`` is ``None``) or to the first ``answers`` ones only."""
        buffer = b""
        while not self._closed.is_set():
            try:
                data = conn.recv(65536)
            except OSError:
                return
            if not data:
                return
            commands, buffer = _commands(buffer + data)
            for args in commands:
                if answers is not None:
                    if answers <= 0:
                        continue
                    answers -= 1
                if not self._send(conn, self.reply(args)):
                    return

    def _send(self, conn: socket.socket, reply: bytes) -> bool:
        try:
            if self.drip_secs is None:
                conn.sendall(reply)
                return True
            for byte in reply:
                if self._closed.wait(self.drip_secs):
                    return False
                conn.sendall(bytes([byte]))
            return True
        except OSError:
            return False


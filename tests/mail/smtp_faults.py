"""SMTP servers that misbehave for real, on 127.0.0.1: slow, refusing, silent, or dying mid-conversation.

``FaultySmtpServer`` is aiosmtpd (a real SMTP server) with a handler that can wait before it answers DATA
and can answer DATA with a 4xx or 5xx. ``ScriptedSmtpServer`` is a raw socket server for what aiosmtpd
will not do: accept a connection and never say a word, or drop the connection in the middle of a mail.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections import Counter

from aiosmtpd.controller import Controller

from tests.mail_fixtures import Inbox, free_port


class FaultyInbox(Inbox):
    def __init__(self) -> None:
        super().__init__()
        #: Seconds to wait before answering DATA (a slow relay).
        self.delay = 0.0
        #: The answer to DATA, e.g. "451 4.3.0 Try again later" (None: accept).
        self.data_answer: str | None = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.data_answer:
            return self.data_answer
        return await super().handle_DATA(server, session, envelope)

    def counts(self) -> Counter[str]:
        return Counter(self.message_ids())


class FaultySmtpServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = FaultyInbox()
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> FaultySmtpServer:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()


class ScriptedSmtpServer:
    """A raw SMTP server: ``mode`` "hang" never sends its greeting; "die_in_data" closes the connection
    after the first line of a mail's content; "silent_after_data" takes the content and never answers."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.port = free_port()
        self.connections = 0
        self.connected = threading.Event()
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._listener.settimeout(0.1)
        self._sockets: list[socket.socket] = []

    def __enter__(self) -> ScriptedSmtpServer:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes accept(); close() alone would not
        self._listener.close()
        for sock in self._sockets:
            sock.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            self._sockets.append(conn)
            self.connections += 1
            self.connected.set()
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            if self.mode == "hang":
                self._stop.wait()
                return
            reader = conn.makefile("rb")
            conn.sendall(b"220 scripted ESMTP\r\n")
            for line in reader:
                command = line[:4].upper()
                if command == b"DATA":
                    conn.sendall(b"354 go ahead\r\n")
                    reader.readline()
                    if self.mode == "die_in_data":
                        conn.shutdown(socket.SHUT_RDWR)
                        conn.close()
                        return
                    while reader.readline() not in (b".\r\n", b""):
                        pass
                    self._stop.wait()  # silent_after_data: the mail is in, the answer never comes
                    return
                if command == b"QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                conn.sendall(b"250 ok\r\n")
        except OSError:
            return

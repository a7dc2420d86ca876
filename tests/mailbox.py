"""A real SMTP server on 127.0.0.1 that keeps what it receives, for tests to read; and a
broken one that hangs up on every connection."""
import email
import errno
import socket
import threading
from email.message import Message

from aiosmtpd.controller import Controller


class _Collector:
    def __init__(self):
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


# The controller binds the port it is given (it cannot be handed a bound socket), so a port
# is picked free and may be taken by another process before the controller binds it:
# then another one is tried.
START_ATTEMPTS = 5


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    def __init__(self):
        self.collector = _Collector()
        self.port = None
        self.controller = None

    def start(self):
        for attempt in range(1, START_ATTEMPTS + 1):
            self.port = _free_port()
            self.controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)
            try:
                self.controller.start()
                return
            except OSError as error:
                if error.errno != errno.EADDRINUSE or attempt == START_ATTEMPTS:
                    raise

    def stop(self):
        self.controller.stop()

    @property
    def messages(self) -> list[Message]:
        return self.collector.messages

    def clear(self):
        self.collector.messages.clear()

    def bodies_to(self, address: str) -> list[str]:
        return [m.get_payload(decode=True).decode() for m in self.messages if m["To"] == address]


class BrokenMailServer:
    """Takes each connection and hangs up before greeting: what a mail server that is down
    behind a load balancer looks like, without the 10 seconds a silent one costs to give up on."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self):
        self.sock.close()

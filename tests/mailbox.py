"""A real SMTP server on 127.0.0.1 that keeps what it receives, for tests to read."""
import email
import socket
from email.message import Message

from aiosmtpd.controller import Controller


class _Collector:
    def __init__(self):
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    def __init__(self):
        self.collector = _Collector()
        self.port = _free_port()
        self.controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()

    @property
    def messages(self) -> list[Message]:
        return self.collector.messages

    def clear(self):
        self.collector.messages.clear()

    def bodies_to(self, address: str) -> list[str]:
        return [m.get_payload(decode=True).decode() for m in self.messages if m["To"] == address]

"""Servers that misbehave on purpose, on loopback sockets, for the fault tests."""

import socket
import threading
from email import message_from_bytes, policy


class _Server:
    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.connections = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(conn)
            self.handle(conn)

    def handle(self, conn):
        pass

    def close(self):
        self.stopped.set()
        self.sock.close()
        for conn in self.connections:
            conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Silent(_Server):
    """Accepts every connection and never sends a byte: a hung mail server or Redis."""


class RecordingSMTP(_Server):
    """A minimal SMTP server that accepts every message and keeps it (`messages`)."""

    def __init__(self):
        self.messages = []
        super().__init__()

    def handle(self, conn):
        threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _session(self, conn):
        reader = conn.makefile("rb")

        def reply(line):
            conn.sendall(line.encode() + b"\r\n")

        reply("220 test SMTP ready")
        recipients = []
        try:
            for raw in reader:
                command = raw.decode("ascii", "replace").strip()
                verb = command.split(" ", 1)[0].upper()
                if verb in ("EHLO", "HELO"):
                    reply("250 test")
                elif verb == "MAIL":
                    recipients = []
                    reply("250 OK")
                elif verb == "RCPT":
                    recipients.append(command.split(":", 1)[1].strip(" <>"))
                    reply("250 OK")
                elif verb == "DATA":
                    reply("354 End data with <CR><LF>.<CR><LF>")
                    lines = []
                    for data in reader:
                        if data in (b".\r\n", b".\n"):
                            break
                        lines.append(data[1:] if data.startswith(b"..") else data)
                    message = message_from_bytes(b"".join(lines), policy=policy.default)
                    self.messages.append((recipients, message))
                    reply("250 OK queued")
                elif verb == "QUIT":
                    reply("221 Bye")
                    return
                else:
                    reply("250 OK")
        except OSError:
            return

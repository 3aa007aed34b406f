"""A local HTTP server in a thread that speaks LibreTranslate's and DeepL's translation
APIs, for the machine translation tests: it records every request and answers with a
predictable translation ("[tr] " before each text between tags, tags left as they are),
or fails as told: an HTTP error, or accepting the request and never answering."""

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

TAG = re.compile(r"(<[^>]*>)")


def fake_translation(text, target):
    """'[tr] Hello <b>[tr] world</b>': each text node marked, every tag kept."""
    return "".join(
        part if TAG.fullmatch(part) or not part.strip() else f"[{target.lower()}] {part}"
        for part in TAG.split(text)
    )


class FakeTranslationServer:
    """`with FakeTranslationServer() as server:` … `server.url`, `server.requests`, and
    `server.mode` ("ok", "error" for HTTP 500, "forbidden" for 403, "hang")."""

    def __init__(self):
        self.requests = []
        self.mode = "ok"
        self._release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    data = json.loads(body)
                else:
                    data = parse_qs(body.decode())
                server.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "data": data}
                )
                if server.mode == "hang":
                    server._release.wait(30)
                    return
                if server.mode in ("error", "forbidden"):
                    self.send_response(500 if server.mode == "error" else 403)
                    self.end_headers()
                    return
                if self.path == "/translate":
                    answer = {
                        "translatedText": [fake_translation(q, data["target"]) for q in data["q"]]
                    }
                elif self.path == "/v2/translate":
                    target = data["target_lang"][0]
                    answer = {
                        "translations": [
                            {"detected_source_language": "EN", "text": fake_translation(t, target)}
                            for t in data["text"]
                        ]
                    }
                else:
                    self.send_response(404)
                    self.end_headers()
                    return
                payload = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_port}"

    def __enter__(self):
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._release.set()
        self._server.shutdown()
        self._server.server_close()


def closed_port():
    """A local port nobody listens on."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

"""A real HTTP server on 127.0.0.1 that answers like the public APIs (in their documented formats)."""

from __future__ import annotations

import threading
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest


class ApiServer:
    """Routes: path -> list of (status, headers, body); the last one repeats."""

    def __init__(self) -> None:
        self.routes: dict[str, list[tuple[int, dict[str, str], bytes]]] = {}
        self.requests: list[dict] = []
        self.hits: dict[str, int] = defaultdict(int)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                parts = urlsplit(self.path)
                server.requests.append({"path": parts.path, "query": parse_qs(parts.query),
                                        "headers": dict(self.headers)})
                script = server.routes.get(parts.path)
                if not script:
                    self.send_response(404)
                    self.end_headers()
                    self.wfile.write(b'{"error": "not found"}')
                    return
                index = min(server.hits[parts.path], len(script) - 1)
                server.hits[parts.path] += 1
                status, headers, body = script[index]
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):  # keep test output quiet
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def route(self, path: str, *responses: tuple[int, dict[str, str], bytes] | bytes) -> None:
        self.routes[path] = [r if isinstance(r, tuple) else (200, {}, r) for r in responses]
        self.hits[path] = 0

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture()
def api():
    server = ApiServer()
    yield server
    server.close()


@pytest.fixture()
def client():
    from nlp.connectors.http import HttpClient

    return HttpClient(min_interval=0.0, backoff=0.0, retries=2, timeout=5.0)

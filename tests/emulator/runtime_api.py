"""A one-invocation Lambda Runtime API (the documented 2018-06-01 protocol: GET .../invocation/next,
POST .../response or .../error) that sends a real Lambda-Runtime-Deadline-Ms.

cargo lambda's Runtime API emulator (used everywhere else) sends the constant deadline 600000, a
moment in 1970, so a function under it never sees a deadline; this stub exists for what cargo lambda
cannot do: run the real bootstrap against a deadline it must meet, and note when it first asks for
work (the end of its init, for `make bench`'s cold start)."""

from __future__ import annotations

import http.server
import json
import threading
import time


class OneInvocation:
    """Serves `event` once with a deadline `deadline_s` from the moment it is handed out; later
    requests for work are held open, as Lambda holds them while no event is queued."""

    def __init__(self, event: dict | None = None, deadline_s: float = 60) -> None:
        self.asked = threading.Event()
        self.asked_at = 0.0
        self.answered = threading.Event()
        self.response: bytes = b""
        self.failed = False
        self.deadline_ms = 0
        outer = self
        pending = [event] if event is not None else []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                if self.path.endswith("/runtime/invocation/next") and not outer.asked.is_set():
                    outer.asked_at = time.perf_counter()
                    outer.asked.set()
                if pending:
                    body = json.dumps(pending.pop()).encode()
                    outer.deadline_ms = int((time.time() + deadline_s) * 1000)
                    self.send_response(200)
                    self.send_header("Lambda-Runtime-Aws-Request-Id", "invocation-1")
                    self.send_header("Lambda-Runtime-Deadline-Ms", str(outer.deadline_ms))
                    self.send_header("Lambda-Runtime-Invoked-Function-Arn",
                                     "arn:aws:lambda:us-east-1:111111111111:function:config-delivery-guard")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                time.sleep(5)  # held open; the function is stopped long before

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                outer.response = self.rfile.read(length)
                outer.failed = self.path.endswith("/error")
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()
                outer.answered.set()

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.server.server_port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

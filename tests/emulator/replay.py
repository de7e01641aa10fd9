"""Replay: the emulator's answers recorded once, served again for any number of accounts.

One moto process serves about 13 account-regions a second on this machine, so a sweep of 1,000
accounts x 17 Regions would measure moto, not the tool. The scale bench therefore records, through a
proxy in front of the real emulator, every call of one real sweep of an Organization in which one
member (the template) has healthy pipelines in every Region, and replays them: a request made for
any other member is answered with the template's recorded answer, the template's account ID
rewritten to the member's. Nothing is computed here: every answer is one moto gave, byte for byte
but for the account ID, the temporary credentials' key and expiry, and the added latency.

A request is matched by service, Region, method, path, query, JSON target and body, with the
account it is about written as {ACCOUNT}: the signing account (known from the access key this
server issued) or, for sts:AssumeRole, the role's account. A request with no recorded answer is
answered 500 and counted as a miss (`GET /_replay/stats`), so a bench can refuse a run that was
not fully served. Writes whose bodies name every account (Config's PutEvaluations) match on their
operation alone.

Usage: python -m emulator.replay --recording FILE --management ACCOUNT [--port-file FILE] [--latency-ms N]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import http.client
import json
import re
import sys
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CREDENTIAL = re.compile(r"Credential=([A-Z0-9]+)/\d{8}/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request")
ACCOUNT_ID = re.compile(r"(?<!\d)\d{12}(?!\d)")
EXPIRATION = re.compile(rb"<Expiration>[^<]*</Expiration>")
ACCESS_KEY = re.compile(rb"<AccessKeyId>[^<]*</AccessKeyId>")
# Headers that describe one response on the wire, not its content.
HOP_HEADERS = {"date", "content-length", "connection", "server", "transfer-encoding", "keep-alive"}
# Matched on the operation alone: their bodies carry every account's verdict.
LOOSE_OPERATIONS = {"StarlingDoveService.PutEvaluations"}
# This server's access keys name the account they act for: ASIA + 12 digits + REPL.
KEY_PREFIX, KEY_SUFFIX = "ASIA", "REPL"


@dataclass(frozen=True)
class Call:
    """What a request asks, with the account it is about taken out."""

    subject: str  # the account the request is about
    key: str  # the match key, {ACCOUNT} in place of the subject
    loose: str  # the operation alone, for LOOSE_OPERATIONS


def subject_of(caller: str, management: str, target: str, body: bytes) -> str:
    """The account a request is about: the signing account if it is a member's, else the first
    other account the request names (a role to assume, an SCP walk's target), else the management
    account's own."""
    if caller != management:
        return caller
    for account in ACCOUNT_ID.findall(target + " " + body.decode(errors="replace")):
        if account != management:
            return account
    return management


def describe(method: str, target: str, headers: dict[str, str], body: bytes, caller: str, management: str) -> Call:
    """The match key of a request; `caller` is the signing account. The management account's
    requests are its own; a member's are matched as the template's."""
    credential = CREDENTIAL.search(headers.get("authorization", ""))
    region, service = (credential.group(2), credential.group(3)) if credential else ("", "")
    subject = subject_of(caller, management, target, body)
    operation = headers.get("x-amz-target", "")
    text = body.decode(errors="replace").replace(subject, "{ACCOUNT}")
    path, _, query = target.partition("?")
    query = "&".join(sorted(query.split("&"))) if query else ""
    key = json.dumps(["management" if subject == management else "member", service, region, method,
                      path.replace(subject, "{ACCOUNT}"), query.replace(subject, "{ACCOUNT}"), operation, text])
    return Call(subject=subject, key=key, loose=json.dumps([service, region, operation]))


@dataclass
class Recording:
    """Recorded answers by match key: status, headers, body, with the template's ID as {ACCOUNT}."""

    template: str
    answers: dict[str, list] = field(default_factory=dict)
    loose: dict[str, list] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps({"template": self.template, "answers": self.answers, "loose": self.loose}))

    @classmethod
    def load(cls, path: Path) -> "Recording":
        data = json.loads(path.read_text())
        return cls(template=data["template"], answers=data["answers"], loose=data["loose"])


class QuietServer(ThreadingHTTPServer):
    """A client that hangs up before its answer is written (a timeout, a cancelled task) is not an
    error of the recording: no traceback for it; anything else is still printed."""

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def record(upstream: str, template: str, management: str) -> tuple[ThreadingHTTPServer, Recording]:
    """A proxy to the emulator at `upstream` that keeps the answers to the template's requests (and
    to the Organization's own, which the management account makes). Returns the server (serving on
    a thread, loopback, a free port) and the recording it fills."""
    recording = Recording(template=template)
    accounts: dict[str, str] = {}  # access key -> account, learned from AssumeRole answers
    lock = threading.Lock()
    host, port = urllib.parse.urlsplit(upstream).netloc.split(":")

    class Proxy(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet
            pass

        def handle_any(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            connection = http.client.HTTPConnection(host, int(port), timeout=60)
            connection.request(self.command, self.path, body=body, headers=dict(self.headers.items()))
            answer = connection.getresponse()
            payload = answer.read()
            answer_headers = [(k, v) for k, v in answer.getheaders() if k.lower() not in HOP_HEADERS]
            connection.close()
            credential = CREDENTIAL.search(headers.get("authorization", ""))
            with lock:
                caller = accounts.get(credential.group(1), management) if credential else management
            call = describe(self.command, self.path, headers, body, caller, management)
            if b"Action=AssumeRole" in body and answer.status == 200:
                issued = ACCESS_KEY.search(payload)
                if issued:
                    with lock:
                        accounts[issued.group(0)[13:-14].decode()] = call.subject
            # The template's own calls, and the management account's (the Organization, the watchdog's).
            text = payload.decode(errors="replace")
            if call.subject in (template, management):
                stored = [answer.status, answer_headers, text]
                if call.subject == template:
                    stored = [answer.status, [(k, v.replace(template, "{ACCOUNT}")) for k, v in answer_headers],
                              text.replace(template, "{ACCOUNT}")]
                with lock:
                    recording.answers[call.key] = stored
            if headers.get("x-amz-target") in LOOSE_OPERATIONS and answer.status == 200:
                with lock:
                    recording.loose[call.loose] = [answer.status, answer_headers, text]
            self.send_response(answer.status)
            for name, value in answer_headers:
                self.send_header(name, value)
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = handle_any

    server = QuietServer(("127.0.0.1", 0), Proxy)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, recording


class Replay:
    """Serves a recording for any account, with `latency_ms` added before every answer."""

    def __init__(self, recording: Recording, latency_ms: float, management: str):
        self.recording = recording
        self.latency = latency_ms / 1000
        self.management = management
        self.served = 0
        self.misses: list[str] = []

    def answer(self, method: str, target: str, headers: dict[str, str], body: bytes) -> tuple[int, list, bytes]:
        if target.startswith("/_replay/stats"):
            stats = {"served": self.served, "misses": len(self.misses), "first_misses": self.misses[:5]}
            return 200, [("content-type", "application/json")], json.dumps(stats).encode()
        credential = CREDENTIAL.search(headers.get("authorization", ""))
        key_id = credential.group(1) if credential else ""
        caller = key_id[4:16] if key_id.startswith(KEY_PREFIX) and key_id.endswith(KEY_SUFFIX) else self.management
        call = describe(method, target, headers, body, caller, self.management)
        subject = call.subject
        # A member's request is the template's, asked for another account.
        stored = self.recording.answers.get(call.key)
        if stored is None and headers.get("x-amz-target") in LOOSE_OPERATIONS:
            stored = self.recording.loose.get(call.loose)
        if stored is None:
            self.misses.append(call.key[:400])
            return 500, [("content-type", "text/plain")], b"replay: no recorded answer for this request"
        self.served += 1
        status, answer_headers, text = stored
        payload = text.replace("{ACCOUNT}", subject).encode()
        if b"Action=AssumeRole" in body:
            expiry = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
            payload = EXPIRATION.sub(f"<Expiration>{expiry}</Expiration>".encode(), payload)
            payload = ACCESS_KEY.sub(f"<AccessKeyId>{KEY_PREFIX}{subject}{KEY_SUFFIX}</AccessKeyId>".encode(), payload)
        return status, [(k, v.replace("{ACCOUNT}", subject)) for k, v in answer_headers], payload

    async def connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if line:
                        name, _, value = line.partition(":")
                        headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length") or 0))
                status, answer_headers, payload = self.answer(method, target, headers, body)
                if self.latency:
                    await asyncio.sleep(self.latency)
                out = [f"HTTP/1.1 {status} {http.client.responses.get(status, 'Status')}"]
                out += [f"{k}: {v}" for k, v in answer_headers]
                out.append(f"content-length: {len(payload)}")
                writer.write(("\r\n".join(out) + "\r\n\r\n").encode("latin-1") + (b"" if method == "HEAD" else payload))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


async def serve(replay: Replay, port_file: Path | None) -> None:
    server = await asyncio.start_server(replay.connection, "127.0.0.1", 0, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    if port_file:
        port_file.write_text(str(port))
    print(f"replay listening on http://127.0.0.1:{port}", flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recording", type=Path, required=True)
    parser.add_argument("--management", required=True, help="the account that signs with keys this server did not issue")
    parser.add_argument("--port-file", type=Path)
    parser.add_argument("--latency-ms", type=float, default=0)
    args = parser.parse_args()
    replay = Replay(Recording.load(args.recording), args.latency_ms, args.management)
    asyncio.run(serve(replay, args.port_file))


if __name__ == "__main__":
    main()

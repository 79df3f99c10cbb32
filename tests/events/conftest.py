"""Fixtures of the events tests: an application of the world's bank, walked by the services; a receiver."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from financing import services
from tests.documents.conftest import ACTORS, media, walk  # noqa: F401  (fixtures re-exported)


@pytest.fixture
def application(world, portfolio):
    return services.application_create(
        by=world.applicant, bank=world.bank, patents=[p.number for p in portfolio], amount_requested="3000000.00",
        currency="CNY", term_months=12, purpose="Events",
    )


class Receiver:
    """A webhook receiver on loopback: records each POST (headers and raw body); answers `status`."""

    def __init__(self):
        self.received: list[dict] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.received.append({"headers": dict(self.headers), "body": body, "json": json.loads(body)})
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running

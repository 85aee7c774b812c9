"""Per-request bounds: the fair NLP gate (429/503), the token budget, offsets,
chunked bodies, time-limited upload reads, security headers on 500s."""

from __future__ import annotations

import asyncio

import pytest

from nlp.serve.limits import AdmissionMiddleware, FairGate, Refused, count_tokens

from .conftest import HashEmbedder
from .test_app import assert_clean_error


def _app(web_store):
    from fastapi.testclient import TestClient

    from nlp.serve.app import create_app

    return TestClient(create_app(web_store["store_dir"], embedder=HashEmbedder(), evidence=False),
                      raise_server_exceptions=False)


def test_huge_offsets_are_refused_not_500(client):
    for path in ("/api/documents", "/api/claims"):
        response = client.get(path, params={"offset": "9223372036854775808"})
        assert "offset" in assert_clean_error(response, 422)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/documents", params={"offset": "9223372036854775808"}).status_code == 422


def test_unexpected_errors_carry_the_security_headers(web_store, monkeypatch):
    from nlp.serve import actions

    app = _app(web_store)

    def broken(backend):
        raise RuntimeError("boom")

    monkeypatch.setattr(actions, "stats", broken)
    response = app.get("/api/stats")
    assert "internal error" in assert_clean_error(response, 500)
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_chunked_body_over_the_limit_gets_413(web_store, monkeypatch):
    monkeypatch.setenv("SANCTIONS_MAX_UPLOAD_MB", "0.01")
    app = _app(web_store)

    def chunks():
        for _ in range(40):
            yield b'{"text": "' + b"word " * 100 + b'"}'

    response = app.post("/api/extract", content=chunks(), headers={"content-type": "application/json"})
    assert "limit" in assert_clean_error(response, 413)
    small = app.post("/api/extract", content=iter([b'{"text": "Exports to ', b'Kazakhstan rose."}']),
                     headers={"content-type": "application/json"})
    assert small.status_code == 200, small.text


def test_text_over_the_token_budget_gets_413(client, monkeypatch):
    monkeypatch.setenv("SANCTIONS_SERVE_MAX_TOKENS", "100")
    error = assert_clean_error(client.post("/api/extract", json={"text": "(" * 500}), 413)
    assert "SANCTIONS_SERVE_MAX_TOKENS" in error
    assert_clean_error(client.post("/api/tag", json={"text": "word " * 200}), 413)
    assert count_tokens("Exports (HS 8542) rose.") == 7


def test_upload_read_runs_under_the_time_limit(client, monkeypatch):
    from nlp.ingest.isolation import Limits
    from nlp.serve import limits

    monkeypatch.setattr(limits, "upload_limits", lambda: Limits(
        seconds=0.001, memory_mb=1024, seconds_setting="SANCTIONS_SERVE_READ_TIMEOUT_S"))
    pdf = b"%PDF-1.4\n" + b"BT (x) Tj ET\n" * 50_000 + b"%%EOF\n"
    response = client.post("/api/extract/file", files={"file": ("corrupt.pdf", pdf, "application/pdf")})
    error = assert_clean_error(response, 422)
    assert "time limit" in error and "SANCTIONS_SERVE_READ_TIMEOUT_S" in error


# -- the fair gate ------------------------------------------------------------------------

async def settle() -> None:
    """Let the event loop run the tasks that became ready."""
    for _ in range(10):
        await asyncio.sleep(0)


def test_gate_refuses_a_greedy_client_and_a_full_queue():
    async def scenario():
        gate = FairGate(slots=1, queue=2, per_client=2, wait_s=5)
        await gate.acquire("hostile")
        waiting = asyncio.create_task(gate.acquire("hostile"))
        await settle()
        with pytest.raises(Refused) as greedy:
            await gate.acquire("hostile")
        assert greedy.value.status == 429
        other = asyncio.create_task(gate.acquire("b"))
        await settle()
        with pytest.raises(Refused) as full:
            await gate.acquire("c")
        assert full.value.status == 503 and "SANCTIONS_SERVE_QUEUE" in full.value.message
        gate.release("hostile")
        await settle()
        assert waiting.done() and not other.done()  # FIFO across clients at the first turn
        gate.release("hostile")
        await settle()
        assert other.done()
        gate.release("b")
        assert gate.active == 0 and not gate.held

    asyncio.run(scenario())


def test_gate_serves_clients_round_robin():
    async def scenario():
        gate = FairGate(slots=1, queue=10, per_client=5, wait_s=5)
        order: list[str] = []
        await gate.acquire("first")

        async def request(client: str):
            await gate.acquire(client)
            order.append(client)

        tasks = [asyncio.create_task(request(c)) for c in ("hostile", "hostile", "hostile", "honest")]
        await settle()
        gate.release("first")
        for _ in range(4):
            await settle()
            gate.release(order[-1])
        await asyncio.gather(*tasks)
        assert order == ["hostile", "honest", "hostile", "hostile"]

    asyncio.run(scenario())


def test_gate_wait_is_bounded():
    async def scenario():
        gate = FairGate(slots=1, queue=4, per_client=2, wait_s=0.05)
        await gate.acquire("a")
        with pytest.raises(Refused) as slow:
            await gate.acquire("b")
        assert slow.value.status == 503 and "SANCTIONS_SERVE_WAIT_S" in slow.value.message
        assert gate.waiting_count() == 0 and "b" not in gate.held

    asyncio.run(scenario())


def test_admission_middleware_answers_429_with_headers():
    sent: list[dict] = []

    async def endpoint(scope, receive, send):
        raise AssertionError("must not be reached")

    async def scenario():
        gate = FairGate(slots=1, queue=1, per_client=1, wait_s=1)
        await gate.acquire("1.2.3.4")
        middleware = AdmissionMiddleware(endpoint, headers=lambda path: {"X-Frame-Options": "DENY"},
                                         gate=gate)

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": "POST", "path": "/api/extract", "client": ("1.2.3.4", 5)}
        await middleware(scope, None, send)

    asyncio.run(scenario())
    start, body = sent
    assert start["status"] == 429
    assert (b"retry-after", b"2") in start["headers"] and (b"x-frame-options", b"DENY") in start["headers"]
    assert b"SANCTIONS_SERVE_PER_CLIENT" in body["body"]


def test_token_bucket_limits_a_clients_share_of_model_work():
    from nlp.serve.limits import TokenBuckets

    bucket = TokenBuckets(rate_per_min=600, burst=1000)  # 10 tokens a second
    assert bucket.charge("hostile", 900, now=0) == 0
    assert bucket.charge("hostile", 900, now=1) == pytest.approx(79, abs=1)
    assert bucket.charge("honest", 50, now=1) == 0  # other clients keep their share
    assert bucket.charge("hostile", 900, now=100) == 0


def test_api_answers_429_when_a_client_used_its_share(client, monkeypatch):
    from nlp.serve import limits

    monkeypatch.setenv("SANCTIONS_SERVE_TOKENS_PER_MIN", "60")
    monkeypatch.setenv("SANCTIONS_SERVE_MAX_TOKENS", "100")
    monkeypatch.setattr(limits, "_BUCKETS", {})
    text = "Exports of chips to Kazakhstan rose. " * 10  # 70 tokens
    assert client.post("/api/extract", json={"text": text}).status_code == 200
    error = assert_clean_error(client.post("/api/extract", json={"text": text}), 429)
    assert "SANCTIONS_SERVE_TOKENS_PER_MIN" in error and "retry in" in error

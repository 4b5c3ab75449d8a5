"""The server engine against a real HTTP server on the loopback interface that answers like vLLM."""

from __future__ import annotations

import logging
import threading
import time

import pytest
from openai_server import FakeOpenAIServer, Reply, free_port
from PIL import Image

from desktop_ocr.engine.base import EngineUnavailable, PageFailure, PageInput, ReadOptions
from desktop_ocr.engine.grounding import parse_blocks, to_markdown
from desktop_ocr.engine.server.engine import ServerConfig, ServerEngine
from desktop_ocr.model.result import Completion, PageResult

MODEL = "deepseek-ai/DeepSeek-OCR"
GROUNDED = (
    "<|ref|>title<|/ref|><|det|>[[12, 20, 512, 60]]<|/det|>\n# Annual report\n\n"
    "<|ref|>text<|/ref|><|det|>[[12, 80, 950, 300]]<|/det|>\nRevenue grew by 12 %.\n\n"
    "<|ref|>image<|/ref|><|det|>[[100, 400, 600, 700]]<|/det|>\n<｜end▁of▁sentence｜>"
)


def pages(n: int, options: ReadOptions | None = None) -> list[PageInput]:
    return [
        PageInput(f"p{i}", Image.new("RGB", (620, 877), "white"), options or ReadOptions()) for i in range(n)
    ]


def engine_for(*urls: str, **kw) -> ServerEngine:
    kw.setdefault("backoff_s", 0.01)
    e = ServerEngine(ServerConfig(urls=urls, model=kw.pop("model", MODEL), **kw))
    e.load()
    return e


def text_of(page_key: str, events: list[tuple[str, str]]) -> str:
    return "".join(d for k, d in events if k == page_key)


@pytest.mark.parametrize("stream", [True, False])
def test_grounded_answer_gives_blocks_markdown_and_the_server(stream):
    with FakeOpenAIServer(lambda body, n: Reply(text=GROUNDED)) as srv:
        e = engine_for(srv.url, stream=stream)
        texts, blocks = [], []
        [res] = e.read(
            pages(1), on_text=lambda k, d: texts.append((k, d)), on_block=lambda k, b: blocks.append(b)
        )
    assert isinstance(res, PageResult)
    assert res.completion is Completion.COMPLETE
    assert list(res.blocks) == parse_blocks(GROUNDED)
    assert res.markdown == to_markdown(GROUNDED)
    assert [b.label for b in res.blocks] == ["title", "text", "image"]
    assert res.extra["server"] == f"127.0.0.1:{srv.port}" and res.model == MODEL
    assert text_of("p0", texts) == GROUNDED  # streamed (or, without streaming, all at once) and complete
    assert blocks == list(res.blocks)
    if stream:
        assert len(texts) > 10  # it did arrive in pieces
        assert res.generated_tokens == len(GROUNDED)  # the usage chunk was read


def test_request_follows_the_vllm_recipe():
    with FakeOpenAIServer() as srv:
        e = engine_for(srv.url)
        e.read(pages(1, ReadOptions(prompt="free", mode="base", max_new_tokens=2048)))
    body = srv.chat_requests[0].body
    assert body["temperature"] == 0.0 and body["skip_special_tokens"] is False
    assert body["vllm_xargs"] == {
        "ngram_size": 30,
        "window_size": 90,
        "whitelist_token_ids": [128821, 128822],
    }
    assert body["max_tokens"] == 2048 and body["stream"] is True
    image, text = body["messages"][0]["content"]
    assert image["type"] == "image_url" and image["image_url"]["url"].startswith("data:image/jpeg;base64,")
    assert text == {"type": "text", "text": "Free OCR. "}  # no <image>: the chat template places it


def test_ollama_gets_no_vllm_arguments_and_latest_tag_matches():
    with FakeOpenAIServer(models=("deepseek-ocr:latest",), owned_by="library") as srv:
        e = engine_for(srv.url, model="deepseek-ocr")
        [res] = e.read(pages(1))
    assert isinstance(res, PageResult) and res.extra["server_kind"] == "ollama"
    body = srv.chat_requests[0].body
    assert "vllm_xargs" not in body and body["model"] == "deepseek-ocr:latest"


def test_the_only_model_is_used_when_none_is_named():
    with FakeOpenAIServer(models=("deepseek-ai/DeepSeek-OCR-2",)) as srv:
        e = engine_for(srv.url, model="")
        [res] = e.read(pages(1))
    assert res.model == "deepseek-ai/DeepSeek-OCR-2"


def test_a_500_on_one_page_fails_that_page_alone_with_the_servers_reason():
    def behaviour(body, n):
        return Reply(status=500, error="CUDA error: an illegal memory access") if n == 2 else Reply(text="ok")

    with FakeOpenAIServer(behaviour) as srv:
        e = engine_for(srv.url, concurrency=1)
        res = e.read(pages(4))
    assert [type(r).__name__ for r in res] == ["PageResult", "PageResult", "PageFailure", "PageResult"]
    assert "illegal memory access" in res[2].message and "500" in res[2].message
    assert len(srv.chat_requests) == 4  # a 500 is not retried


def test_legacy_vllm_error_body_is_read():
    with FakeOpenAIServer(lambda b, n: Reply(status=400, error="Input too long"), legacy_errors=True) as srv:
        e = engine_for(srv.url)
        [res] = e.read(pages(1))
    assert isinstance(res, PageFailure) and "Input too long" in res.message


def test_429_and_503_are_retried_with_retry_after():
    def behaviour(body, n):
        if n == 0:
            return Reply(status=429, error="rate limited", retry_after="0.2")
        if n == 1:
            return Reply(status=503, error="starting")
        return Reply(text="done")

    with FakeOpenAIServer(behaviour) as srv:
        e = engine_for(srv.url, concurrency=1)
        t0 = time.monotonic()
        [res] = e.read(pages(1))
        waited = time.monotonic() - t0
    assert isinstance(res, PageResult) and res.raw == "done" and res.extra["attempts"] == 3
    assert waited >= 0.2  # Retry-After was honoured


def test_a_dropped_connection_mid_stream_is_read_again_without_repeating_text():
    def behaviour(body, n):
        return Reply(text=GROUNDED, drop_after_chars=40) if n == 0 else Reply(text=GROUNDED)

    with FakeOpenAIServer(behaviour) as srv:
        e = engine_for(srv.url)
        texts, blocks = [], []
        [res] = e.read(
            pages(1), on_text=lambda k, d: texts.append((k, d)), on_block=lambda k, b: blocks.append(b)
        )
    assert isinstance(res, PageResult) and res.raw == GROUNDED and res.extra["attempts"] == 2
    assert text_of("p0", texts) == GROUNDED  # the first 40 characters were not sent twice
    assert blocks == list(res.blocks)


def test_a_connection_that_keeps_dropping_fails_the_page_with_the_cause():
    with FakeOpenAIServer(lambda b, n: Reply(text=GROUNDED, drop_after_chars=8)) as srv:
        e = engine_for(srv.url, retries=2)
        [res] = e.read(pages(1))
    assert isinstance(res, PageFailure)
    assert "closed the connection" in res.message or "lost" in res.message
    assert len(srv.chat_requests) == 3


@pytest.mark.parametrize("stream", [True, False])
def test_cancel_closes_a_slow_request_within_a_second(stream):
    with FakeOpenAIServer(lambda b, n: Reply(text="x" * 400, chunk_chars=1, delay_s=0.05)) as srv:
        e = engine_for(srv.url, stream=stream)
        cancel = threading.Event()
        cancelled_at: list[float] = []

        def stop() -> None:
            cancelled_at.append(time.monotonic())
            cancel.set()

        threading.Timer(0.6, stop).start()
        res = e.read(pages(3), cancel=cancel)
        returned = time.monotonic()
        time.sleep(0.3)
        disconnects = srv.disconnects
    assert returned - cancelled_at[0] < 1.0  # 400 chars at 50 ms would take 20 s
    assert all(r.completion is Completion.CANCELLED for r in res if isinstance(r, PageResult))
    assert all(r.reason == "cancelled" for r in res if isinstance(r, PageFailure))
    if stream:
        assert all(isinstance(r, PageResult) and r.raw.startswith("xxx") for r in res)  # partial text kept
        assert disconnects == 3  # the server saw every request go away


def test_cancel_while_the_server_has_not_answered_yet():
    with FakeOpenAIServer(lambda b, n: Reply(text="late", first_delay_s=5)) as srv:
        e = engine_for(srv.url)
        cancel = threading.Event()
        threading.Timer(0.3, cancel.set).start()
        t0 = time.monotonic()
        [res] = e.read(pages(1), cancel=cancel)
    assert time.monotonic() - t0 < 0.3 + 1.0
    assert isinstance(res, PageFailure) and res.reason == "cancelled"


def test_wrong_model_name_is_refused_at_load_naming_what_the_server_has():
    with FakeOpenAIServer() as srv:
        e = ServerEngine(ServerConfig(urls=(srv.url,), model="deepseek-ocr-typo"))
        with pytest.raises(EngineUnavailable) as err:
            e.load()
    assert "deepseek-ocr-typo" in str(err.value) and MODEL in str(err.value) and srv.url in str(err.value)


def test_a_server_that_is_down_gives_one_line_with_the_url_and_cause():
    url = f"http://127.0.0.1:{free_port()}/v1"
    e = ServerEngine(ServerConfig(urls=(url,), model=MODEL))
    with pytest.raises(EngineUnavailable) as err:
        e.load()
    message = str(err.value)
    assert url in message and "refused" in message and "\n" not in message


def test_a_down_server_is_left_out_and_the_others_read():
    url = f"http://127.0.0.1:{free_port()}/v1"
    with FakeOpenAIServer(lambda b, n: Reply(text="fine")) as srv:
        e = engine_for(url, srv.url)
        assert e.servers == [srv.url] and "refused" in e.warnings[0]
        res = e.read(pages(3))
    assert all(isinstance(r, PageResult) and r.raw == "fine" for r in res)


def test_a_server_going_down_mid_run_hands_its_pages_to_the_other():
    with (
        FakeOpenAIServer(lambda b, n: Reply(text="A", delay_s=0.02)) as a,
        FakeOpenAIServer(lambda b, n: Reply(text="B", delay_s=0.02)) as b,
    ):
        e = engine_for(a.url, b.url, concurrency=2, retries=1)
        b._httpd.shutdown()
        b._httpd.server_close()  # B is gone after load
        res = e.read(pages(6))
    assert all(isinstance(r, PageResult) and r.raw == "A" for r in res)


def test_a_repetition_loop_is_flagged_incomplete_like_the_local_engine():
    looping = "Total: 1 2 3 " + "| 0 | 0 |" * 400
    with FakeOpenAIServer(lambda b, n: Reply(text=looping, finish="length", chunk_chars=50)) as srv:
        e = engine_for(srv.url, loop_guard=False)
        [res] = e.read(pages(1))
    assert res.completion is Completion.INCOMPLETE and res.extra["possible_repetition"]


def test_a_loop_without_end_is_stopped_by_the_client():
    with FakeOpenAIServer(
        lambda b, n: Reply(text="Intro ", loop_forever="the same line\n", chunk_chars=20)
    ) as srv:
        e = engine_for(srv.url)
        t0 = time.monotonic()
        [res] = e.read(pages(1))
        assert time.monotonic() - t0 < 5
        time.sleep(0.2)
        assert srv.disconnects == 1
    assert res.completion is Completion.INCOMPLETE and res.extra["stopped_repetition"]
    assert res.raw.startswith("Intro the same line\n")


def test_pages_go_to_whichever_server_is_free_and_come_back_in_order():
    with (
        FakeOpenAIServer(lambda b, n: Reply(text="fast", delay_s=0.0)) as fast,
        FakeOpenAIServer(lambda b, n: Reply(text="slow", chunk_chars=1, delay_s=0.1)) as slow,
    ):
        e = engine_for(fast.url, slow.url, concurrency=1)
        assert e.info.max_batch == 2
        res = e.read(pages(8))
    assert [r.extra["server"] for r in res].count(f"127.0.0.1:{fast.port}") >= 6
    assert all(isinstance(r, PageResult) for r in res)
    assert [r.raw for r in res if r.extra["server"].endswith(str(slow.port))] == ["slow"] * len(
        [r for r in res if r.raw == "slow"]
    )


def test_concurrency_limits_requests_in_flight_per_server():
    with FakeOpenAIServer(lambda b, n: Reply(text="abcdefgh", chunk_chars=1, delay_s=0.02)) as srv:
        e = engine_for(srv.url, concurrency=3)
        res = e.read(pages(9))
    assert srv.max_in_flight == 3 and all(isinstance(r, PageResult) for r in res)


def test_callbacks_run_on_the_callers_thread():
    caller = threading.get_ident()
    seen = set()
    with FakeOpenAIServer(lambda b, n: Reply(text=GROUNDED)) as srv:
        e = engine_for(srv.url)
        e.read(
            pages(4),
            on_text=lambda k, d: seen.add(threading.get_ident()),
            on_block=lambda k, b: seen.add(threading.get_ident()),
        )
    assert seen == {caller}


def test_the_api_key_is_sent_and_never_logged(monkeypatch, caplog):
    secret = "sk-test-0123456789-secret"
    monkeypatch.setenv("DESKTOP_OCR_SERVER_API_KEY", secret)
    caplog.set_level(logging.DEBUG)
    with FakeOpenAIServer(
        lambda b, n: Reply(status=401, error="bad key") if n == 0 else Reply(text="ok")
    ) as srv:
        e = engine_for(srv.url)
        res = e.read(pages(2), cancel=None)
    assert all(r.headers.get("Authorization") == f"Bearer {secret}" for r in srv.requests)
    assert secret not in caplog.text and secret not in repr(e) and secret not in str(e.config)
    assert all(secret not in (getattr(r, "message", "") + str(getattr(r, "extra", ""))) for r in res)


def test_a_named_key_variable_is_used(monkeypatch):
    monkeypatch.setenv("MY_VLLM_KEY", "k1")
    monkeypatch.setenv("OPENAI_API_KEY", "other")
    with FakeOpenAIServer() as srv:
        engine_for(srv.url, api_key_env="MY_VLLM_KEY")
    assert srv.requests[0].headers.get("Authorization") == "Bearer k1"


def test_a_too_long_max_tokens_is_dropped_and_the_page_read_again():
    def behaviour(body, n):
        if "max_tokens" in body:
            return Reply(
                status=400,
                error="This model's maximum context length is 8192 tokens. However, you requested 9000",
            )
        return Reply(text="ok")

    with FakeOpenAIServer(behaviour) as srv:
        e = engine_for(srv.url)
        [res] = e.read(pages(1))
    assert isinstance(res, PageResult) and res.raw == "ok"


def test_an_error_event_mid_stream_fails_the_page_with_its_message():
    with FakeOpenAIServer(lambda b, n: Reply(text="abc", error_event="engine dead")) as srv:
        e = engine_for(srv.url)
        [res] = e.read(pages(1))
    assert isinstance(res, PageFailure) and "engine dead" in res.message


def test_locate_through_the_server():
    answer = "<|ref|>Revenue<|/ref|><|det|>[[10, 20, 110, 40]]<|/det|>"
    with FakeOpenAIServer(lambda b, n: Reply(text=answer)) as srv:
        e = engine_for(srv.url)
        boxes = e.locate(Image.new("RGB", (300, 300)), "Revenue")
    assert [b.as_list() for b in boxes] == [[10, 20, 110, 40]]
    assert "Locate <|ref|>Revenue<|/ref|>" in srv.chat_requests[0].body["messages"][0]["content"][1]["text"]


def test_a_small_mode_sends_a_smaller_image():
    import base64
    import io

    with FakeOpenAIServer() as srv:
        e = engine_for(srv.url)
        e.read([PageInput("p", Image.new("RGB", (1240, 1754), "white"), ReadOptions(mode="tiny"))])
    uri = srv.chat_requests[0].body["messages"][0]["content"][0]["image_url"]["url"]
    sent = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
    assert max(sent.size) == 512


@pytest.mark.parametrize(
    ("url", "base"),
    [
        ("http://gpu1:8000", "http://gpu1:8000/v1"),
        ("gpu1:8000/v1/", "http://gpu1:8000/v1"),
        ("https://api.example.org/openai/v1/chat/completions", "https://api.example.org/openai/v1"),
    ],
)
def test_urls_are_normalised(url, base):
    from desktop_ocr.engine.server.http import Endpoint

    assert Endpoint.parse(url).base == base


def test_bad_urls_are_refused_with_a_reason():
    with pytest.raises(EngineUnavailable, match="not a server URL"):
        ServerEngine(ServerConfig(urls=("ftp://x",)))
    with pytest.raises(EngineUnavailable, match="not in the URL"):
        ServerEngine(ServerConfig(urls=("http://user:secret@host:8000",)))


def test_proxies_come_from_the_environment_but_not_for_loopback(monkeypatch):
    with FakeOpenAIServer(lambda b, n: Reply(text="via proxy")) as proxy:
        monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{proxy.port}")
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy.port}")
        monkeypatch.delenv("no_proxy", raising=False)
        monkeypatch.delenv("NO_PROXY", raising=False)
        e = engine_for("http://ocr-box.example:8000/v1")
        [res] = e.read(pages(1))
        assert res.raw == "via proxy"
        assert proxy.proxied == [
            "http://ocr-box.example:8000/v1/models",
            "http://ocr-box.example:8000/v1/chat/completions",
        ]
        with FakeOpenAIServer(lambda b, n: Reply(text="direct")) as direct:
            [res] = engine_for(direct.url).read(pages(1))
        assert res.raw == "direct" and len(proxy.proxied) == 2
        monkeypatch.setenv("no_proxy", "ocr-box.example")
        with pytest.raises(EngineUnavailable, match="unknown host"):
            engine_for("http://ocr-box.example:8000/v1")


@pytest.fixture
def self_signed(tmp_path):
    import shutil
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return str(cert), str(key)


def test_tls_uses_the_system_certificates_and_ssl_cert_file(self_signed, monkeypatch):
    from desktop_ocr.engine.server import http

    with FakeOpenAIServer(lambda b, n: Reply(text="secure"), tls=self_signed) as srv:
        assert srv.url.startswith("https://")
        monkeypatch.delenv("SSL_CERT_FILE", raising=False)
        http.tls_context.cache_clear()
        with pytest.raises(EngineUnavailable, match="certificate is not trusted"):
            engine_for(srv.url)
        monkeypatch.setenv("SSL_CERT_FILE", self_signed[0])
        http.tls_context.cache_clear()
        try:
            [res] = engine_for(srv.url).read(pages(1))
        finally:
            http.tls_context.cache_clear()
    assert res.raw == "secure"


def test_check_connection_lists_models_and_reads_the_sample_page():
    from desktop_ocr.engine.server.check import SAMPLE_TEXT, check_connection

    down = f"http://127.0.0.1:{free_port()}/v1"
    with FakeOpenAIServer(lambda b, n: Reply(text=SAMPLE_TEXT), models=(MODEL, "other")) as srv:
        report = check_connection(ServerConfig(urls=(srv.url, down), model=MODEL))
        body = srv.chat_requests[0].body
    assert report.servers[0].models == (MODEL, "other") and report.servers[0].kind == "vllm"
    assert "refused" in report.servers[1].error and not report.ok
    assert report.sample == SAMPLE_TEXT and report.sample_server == f"127.0.0.1:{srv.port}"
    assert body["max_tokens"] == 256


def test_check_connection_says_why_the_sample_was_not_read():
    from desktop_ocr.engine.server.check import check_connection

    with FakeOpenAIServer(models=(MODEL, "other")) as srv:
        report = check_connection(ServerConfig(urls=(srv.url,), model=""))
    assert report.servers[0].models == (MODEL, "other")
    assert "name the one to use" in report.error and not report.ok


def test_the_key_comes_from_the_system_keyring_when_no_variable_is_set(monkeypatch):
    import sys
    import types

    for name in ("DESKTOP_OCR_SERVER_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    asked = []

    def get_password(service, user):
        asked.append((service, user))
        return "kr-secret" if service == "desktop-ocr-server" and user.endswith("/v1") else None

    monkeypatch.setitem(sys.modules, "keyring", types.SimpleNamespace(get_password=get_password))
    with FakeOpenAIServer() as srv:
        engine_for(srv.url)
    assert srv.requests[0].headers.get("Authorization") == "Bearer kr-secret"
    assert asked[0] == ("desktop-ocr-server", srv.url)


def test_settings_keep_the_servers_but_no_key(tmp_path, monkeypatch):
    from desktop_ocr.engine import registry
    from desktop_ocr.settings import Settings

    monkeypatch.setenv("DESKTOP_OCR_SERVER_API_KEY", "sk-never-saved")
    s = Settings()
    s.engine = "server"
    s.server.urls = ["http://gpu1:8000/v1", "http://gpu2:8000"]
    s.server.model = MODEL
    s.server.concurrency = 8
    path = tmp_path / "settings.json"
    s.save(path)
    text = path.read_text(encoding="utf-8")
    assert "sk-never-saved" not in text
    loaded = Settings.load(path)
    engine = registry.create_engine(loaded.engine, loaded)
    assert isinstance(engine, ServerEngine)
    assert [ep.base for ep in engine.endpoints] == ["http://gpu1:8000/v1", "http://gpu2:8000/v1"]
    assert engine.info.max_batch == 16 and engine.config.model == MODEL

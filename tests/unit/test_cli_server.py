"""``desktop-ocr convert --engine server`` as a subprocess against a loopback server that answers like vLLM."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openai_server import FakeOpenAIServer, Reply, free_port
from test_cli import error_lines, make_pdf

ROOT = Path(__file__).resolve().parents[2]
MODEL = "deepseek-ai/DeepSeek-OCR"

pytestmark = pytest.mark.slow


def convert(*args: str, env_base: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = dict(os.environ, DESKTOP_OCR_BASEDIR=str(env_base), PYTHONPATH=str(ROOT), **env)
    return subprocess.run(
        [sys.executable, "-m", "desktop_ocr.cli", "convert", *args],
        capture_output=True,
        text=True,
        env=environ,
        cwd=str(ROOT),
        timeout=300,
    )


def answer(body, n):
    return Reply(text=f"<|ref|>text<|/ref|><|det|>[[50, 50, 900, 120]]<|/det|>\nPage answer {n}\n")


def test_convert_reads_pages_on_two_servers(tmp_path, _isolated_basedir):
    pdf = make_pdf(tmp_path / "harbour.pdf")
    with FakeOpenAIServer(answer) as a, FakeOpenAIServer(answer) as b:
        out = tmp_path / "out"
        r = convert(
            str(pdf), "-o", str(out), "--server-url", a.url, "--server-url", b.url,
            "--server-model", MODEL, "--server-concurrency", "2", env_base=_isolated_basedir,
        )  # fmt: skip
        served = len(a.chat_requests), len(b.chat_requests)
    assert r.returncode == 0, r.stderr
    assert sum(served) == 3
    md = (out / "harbour.md").read_text(encoding="utf-8")
    assert md.count("Page answer") == 3
    doc = json.loads((out / "harbour.json").read_text(encoding="utf-8"))
    assert "DeepSeek-OCR server" in r.stderr
    assert doc  # the JSON export is there and parses


def test_unreachable_server_is_one_line_naming_the_url(tmp_path, _isolated_basedir):
    pdf = make_pdf(tmp_path / "a.pdf", texts=["one"])
    url = f"http://127.0.0.1:{free_port()}/v1"
    r = convert(str(pdf), "-o", str(tmp_path / "out"), "--server-url", url, env_base=_isolated_basedir)
    assert r.returncode == 1
    errors = error_lines(r.stderr)
    assert len(errors) == 1 and url in errors[0] and "refused" in errors[0]
    assert "Traceback" not in r.stderr


def test_wrong_model_name_is_one_line(tmp_path, _isolated_basedir):
    pdf = make_pdf(tmp_path / "a.pdf", texts=["one"])
    with FakeOpenAIServer() as srv:
        r = convert(
            str(pdf), "-o", str(tmp_path / "out"), "--server-url", srv.url, "--server-model", "nope",
            env_base=_isolated_basedir,
        )  # fmt: skip
    assert r.returncode == 1
    [line] = error_lines(r.stderr)
    assert "'nope'" in line and MODEL in line


def test_a_page_the_server_refuses_fails_its_document_with_the_reason(tmp_path, _isolated_basedir):
    pdf = make_pdf(tmp_path / "a.pdf")
    other = make_pdf(tmp_path / "b.pdf", texts=["fine"])

    def behaviour(body, n):
        return Reply(status=500, error="illegal memory access") if n == 1 else Reply(text="ok")

    with FakeOpenAIServer(behaviour) as srv:
        r = convert(
            str(pdf), str(other), "-o", str(tmp_path / "out"), "--server-url", srv.url,
            "--server-concurrency", "1", env_base=_isolated_basedir,
        )  # fmt: skip
    assert r.returncode == 1
    errors = error_lines(r.stderr)
    assert len(errors) == 1 and "illegal memory access" in errors[0]
    assert (tmp_path / "out" / "b.md").exists() != (tmp_path / "out" / "a.md").exists()


def test_engine_server_without_url_is_a_usage_error(tmp_path, _isolated_basedir):
    pdf = make_pdf(tmp_path / "a.pdf", texts=["one"])
    r = convert(str(pdf), "-o", str(tmp_path / "out"), "--engine", "server", env_base=_isolated_basedir)
    assert r.returncode == 2 and "--server-url" in r.stderr


def test_the_api_key_reaches_the_server_but_not_the_output(tmp_path, _isolated_basedir):
    pdf = make_pdf(tmp_path / "a.pdf", texts=["one"])
    secret = "sk-live-abcdef0123456789"
    project = tmp_path / "work.deskocr"
    with FakeOpenAIServer(answer) as srv:
        r = convert(
            str(pdf), "-o", str(tmp_path / "out"), "--server-url", srv.url, "--project", str(project),
            env_base=_isolated_basedir, DESKTOP_OCR_SERVER_API_KEY=secret,
        )  # fmt: skip
        headers = [q.headers.get("Authorization") for q in srv.requests]
    assert r.returncode == 0, r.stderr
    assert set(headers) == {f"Bearer {secret}"}
    written = [p for p in tmp_path.rglob("*") if p.is_file()] + [
        p for p in _isolated_basedir.rglob("*") if p.is_file()
    ]
    assert written
    for path in written:
        assert secret.encode() not in path.read_bytes(), path
    assert secret not in r.stderr

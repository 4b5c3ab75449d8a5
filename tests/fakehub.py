"""A loopback stand-in for the Hugging Face hub endpoints the downloader uses (tests only).

Serves one repository at one commit: ``/api/models/{repo}/revision/{rev}``, the paginated
``/api/models/{repo}/tree/{commit}?recursive=true`` and ``/{repo}/resolve/{commit}/{path}`` (LFS files
redirect to ``/cdn/{sha256}`` as the hub does), with HTTP Range support. Every request and its Range
header are logged so tests can assert what the client did.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def git_blob_sha1(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass
class FakeHub:
    repo_id: str
    files: dict[str, bytes]
    lfs: set[str] = field(default_factory=set)
    commit: str = COMMIT
    page_size: int = 2
    #: Seconds to sleep after each 64 KiB sent (slows a download so a test can cancel it).
    delay: float = 0.0
    #: Path -> bytes served instead of the listed content (a corrupted transfer).
    corrupt: dict[str, bytes] = field(default_factory=dict)
    ignore_range: bool = False
    #: Path -> bytes after which the first transfer of that file is cut off (a dropped connection).
    drop_after: dict[str, int] = field(default_factory=dict)
    log: list[tuple[str, str | None]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    # -- life cycle -------------------------------------------------------------------------
    def start(self) -> FakeHub:
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_GET(self):
                hub.log.append((self.path, self.headers.get("Range")))
                try:
                    hub._route(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    @property
    def endpoint(self) -> str:
        assert self.server
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def file_requests(self) -> list[tuple[str, str | None]]:
        return [(p, r) for p, r in self.log if "/resolve/" in p or p.startswith("/cdn/")]

    # -- routes -----------------------------------------------------------------------------
    def tree(self) -> list[dict]:
        out = []
        for path, data in sorted(self.files.items()):
            e = {"type": "file", "path": path, "size": len(data), "oid": git_blob_sha1(data)}
            if path in self.lfs:
                e["oid"] = git_blob_sha1(b"pointer " + path.encode())
                e["size"] = len(data)
                e["lfs"] = {"oid": hashlib.sha256(data).hexdigest(), "size": len(data), "pointerSize": 134}
            out.append(e)
        folders = {p.rsplit("/", 1)[0] for p in self.files if "/" in p}
        out += [{"type": "directory", "path": d, "size": 0, "oid": "0" * 40} for d in sorted(folders)]
        return out

    def _route(self, h: BaseHTTPRequestHandler) -> None:
        url = urllib.parse.urlsplit(h.path)
        path = urllib.parse.unquote(url.path)
        repo = re.escape(self.repo_id)
        if m := re.fullmatch(rf"/api/models/{repo}/revision/([^/]+)", path):
            if m.group(1) not in ("main", self.commit):
                return self._send(h, 404, b'{"error": "Revision Not Found"}')
            body = {
                "id": self.repo_id,
                "sha": self.commit,
                "siblings": [{"rfilename": p} for p in self.files],
            }
            return self._send(h, 200, json.dumps(body).encode())
        if m := re.fullmatch(rf"/api/models/{repo}/tree/([^/]+)", path):
            if m.group(1) != self.commit:
                return self._send(h, 404, b"{}")
            q = urllib.parse.parse_qs(url.query)
            cursor = int(q.get("cursor", ["0"])[0])
            entries = self.tree()
            page = entries[cursor : cursor + self.page_size]
            headers = {}
            if cursor + self.page_size < len(entries):
                nxt = f"{url.path}?recursive=true&cursor={cursor + self.page_size}"
                headers["Link"] = f'<{self.endpoint}{nxt}>; rel="next"'
            return self._send(h, 200, json.dumps(page).encode(), headers)
        if m := re.fullmatch(rf"/{repo}/resolve/([^/]+)/(.+)", path):
            rev, name = m.groups()
            if rev != self.commit or name not in self.files:
                return self._send(h, 404, b"not found")
            if name in self.lfs:
                sha = hashlib.sha256(self.files[name]).hexdigest()
                h.send_response(302)
                h.send_header("Location", f"/cdn/{sha}?name={urllib.parse.quote(name)}")
                h.send_header("Content-Length", "0")
                h.end_headers()
                return None
            return self._send_file(h, name)
        if m := re.fullmatch(r"/cdn/([0-9a-f]{64})", path):
            name = urllib.parse.parse_qs(url.query).get("name", [""])[0]
            return self._send_file(h, name)
        return self._send(h, 404, b"no route")

    def _send(self, h: BaseHTTPRequestHandler, code: int, body: bytes, headers: dict | None = None) -> None:
        h.send_response(code)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)

    def _send_file(self, h: BaseHTTPRequestHandler, name: str) -> None:
        data = self.corrupt.get(name, self.files[name])
        start = 0
        rng = h.headers.get("Range")
        if rng and not self.ignore_range:
            m = re.fullmatch(r"bytes=(\d+)-", rng)
            if not m:
                return self._send(h, 400, b"bad range")
            start = int(m.group(1))
            if start >= len(data):
                h.send_response(416)
                h.send_header("Content-Range", f"bytes */{len(data)}")
                h.send_header("Content-Length", "0")
                h.end_headers()
                return None
            h.send_response(206)
            h.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            h.send_response(200)
        h.send_header("Content-Type", "application/octet-stream")
        h.send_header("Content-Length", str(len(data) - start))
        h.end_headers()
        step = 64 * 1024
        cut = self.drop_after.pop(name, None)
        for i in range(start, len(data), step):
            if cut is not None and i - start >= cut:
                h.wfile.flush()
                h.close_connection = True
                h.connection.shutdown(socket.SHUT_RDWR)
                return None
            h.wfile.write(data[i : i + step])
            if self.delay:
                h.wfile.flush()
                time.sleep(self.delay)


def sample_repo(big_size: int = 3 * 1024 * 1024) -> dict[str, bytes]:
    """A small repository: config and code in git, one multi-MB weights file in LFS."""
    big = random.Random(7).randbytes(big_size)
    return {
        "config.json": json.dumps({"architectures": ["DeepseekOCRForCausalLM"]}).encode(),
        "modeling_deepseekocr.py": b"# remote code\nfrom .deepencoder import X\n",
        "deepencoder.py": b"X = 1\n",
        "model-00001-of-000001.safetensors": big,
        "sub/notes.txt": b"nested file\n",
        "empty.txt": b"",
    }


def model_repo_files(big_size: int = 4 * 1024 * 1024) -> dict[str, bytes]:
    """A complete stand-in DeepSeek-OCR v1 repository (valid layout, tiny code, multi-MB weights)."""
    import struct

    n = big_size // 4
    header = json.dumps({"w": {"dtype": "F32", "shape": [n], "data_offsets": [0, 4 * n]}}).encode()
    weights = struct.pack("<Q", len(header)) + header + random.Random(3).randbytes(4 * n)
    config = {
        "architectures": ["DeepseekOCRForCausalLM"],
        "auto_map": {
            "AutoConfig": "modeling_deepseekocr.DeepseekOCRConfig",
            "AutoModel": "modeling_deepseekocr.DeepseekOCRForCausalLM",
        },
        "model_type": "deepseek_vl_v2",
    }
    return {
        "config.json": json.dumps(config).encode(),
        "modeling_deepseekocr.py": b"from .deepencoder import build\nfrom .conversation import c\n",
        "deepencoder.py": b"def build():\n    pass\n",
        "conversation.py": b"c = 1\n",
        "tokenizer.json": b'{"model": {}}',
        "tokenizer_config.json": b"{}",
        "special_tokens_map.json": b"{}",
        "model.safetensors.index.json": json.dumps(
            {"metadata": {"total_size": 4 * n}, "weight_map": {"w": "model-00001-of-000001.safetensors"}}
        ).encode(),
        "model-00001-of-000001.safetensors": weights,
    }

#!/usr/bin/env python3
"""Benchmark one large answer: kopai against curl fetching the same bytes, and peak memory.

Usage: bench/pages.py [path/to/kopai]   (default: target/release/kopai; run
`cargo build --release --locked` first; needs curl, and GNU time for peak memory).

Cases:
- a 2 MB page of 1,000 spans (`traces search --limit 1000 --json`) against
  `curl -X POST` of the same request: how much kopai adds to the transfer itself;
- a ~53 MiB page of spans with many small attribute values: kopai's peak RSS.
Nothing leaves 127.0.0.1; the fake server serves pages built from tests/fixtures.
"""

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# The same peak-memory measurement as the start-up benchmark beside this file.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import peak_rss_mib  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
RUNS = 20

rows = json.loads((FIXTURES / "traces-search-page1.json").read_text())["data"]


def page_of(count, attributes):
    """`count` spans cycling through the captured ones, each with `attributes` extra values."""
    spans = []
    for i in range(count):
        span = dict(rows[i % len(rows)])
        span["SpanId"] = f"{i:016x}"
        extra = {f"app.attr.{k}": f"value-{i}-{k}" for k in range(attributes)}
        span["SpanAttributes"] = {**span.get("SpanAttributes", {}), **extra}
        spans.append(span)
    return json.dumps({"data": spans, "nextCursor": None}, separators=(",", ":")).encode()


PAGES = {"small": page_of(1000, 45), "large": page_of(16000, 95)}
current = {"page": PAGES["small"]}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        payload = current["page"]
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def median_ms(cmd, env):
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.check_call(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main():
    kopai = str(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "target/release/kopai").resolve())
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOPAI_")}
    env.update(NO_PROXY="127.0.0.1")
    search = [kopai, "traces", "search", "--url", url, "--limit", "1000", "--json"]
    curl = ["curl", "-sS", "-o", "/dev/null", "-X", "POST", "-H", "content-type: application/json",
            "--data", '{"limit":1000}', f"{url}/signals/traces/search"]

    print(f"kopai: {kopai}\n")
    print(f"| one page ({RUNS} runs) | size | median | peak RSS |")
    print("|---|---|---|---|")
    for name in ("small", "large"):
        current["page"] = PAGES[name]
        size = f"{len(PAGES[name]) / 2**20:.1f} MiB"
        for label, cmd in (("curl", curl), ("kopai --json", search), ("kopai --table", [*search[:-1], "--table"])):
            print(f"| {name}: {label} | {size} | {median_ms(cmd, env):.1f} ms | {peak_rss_mib(cmd, env):.1f} MiB |")
    server.shutdown()


if __name__ == "__main__":
    main()

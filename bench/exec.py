#!/usr/bin/env python3
"""What `kopai exec` adds to a command: `kopai exec -- true` against `true`.

Usage: bench/exec.py [path/to/kopai]   (default: target/release/kopai; run
`cargo build --release --locked` first). Runs each 200 times, interleaved, and prints the
medians and the difference, with a collector on 127.0.0.1 that answers at once (the goal:
under 5 ms added), and then with no collector listening (the span cannot be sent: how long
the exit is delayed). Nothing leaves 127.0.0.1.
"""

import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 200
UNREACHABLE_RUNS = 5


class Collector(BaseHTTPRequestHandler):
    """An OTLP/HTTP receiver that accepts every export with an empty answer."""

    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def timed(argv, env):
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=False, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000


def free_port():
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    kopai = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target/release/kopai")
    true = shutil.which("true")
    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KOPAI_", "OTEL_", "TRACE"))}
    env["HOME"] = "/nonexistent-kopai-bench"
    env["KOPAI_OTLP_URL"] = f"http://127.0.0.1:{server.server_port}"
    env["KOPAI_INGEST_TOKEN"] = "kpi_ingest_bench"

    plain, wrapped = [], []
    for _ in range(RUNS):
        plain.append(timed([true], env))
        wrapped.append(timed([kopai, "exec", "--", true], env))
    p, w = statistics.median(plain), statistics.median(wrapped)
    print(f"true                      median {p:6.2f} ms")
    print(f"kopai exec -- true        median {w:6.2f} ms   (+{w - p:.2f} ms, {RUNS} runs each)")

    env["KOPAI_OTLP_URL"] = f"http://127.0.0.1:{free_port()}"
    down = [timed([kopai, "-q", "exec", "--", true], env) for _ in range(UNREACHABLE_RUNS)]
    print(f"  collector not listening median {statistics.median(down):6.1f} ms, "
          f"max {max(down):.1f} ms ({UNREACHABLE_RUNS} runs)")
    server.shutdown()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Benchmark one big trace: `traces get` drawn as a waterfall against `traces get --json`.

Usage: bench/bigtrace.py [path/to/kopai] [path/to/baseline-kopai]
(default: target/release/kopai; run `cargo build --release --locked` first; needs GNU time for
CPU and peak memory; SPANS=50000 and RUNS=15 in the environment). A baseline, say a release
build of an older commit, is measured in the same rounds (its waterfall and --json only).

The fake server answers `GET /signals/traces/{id}` with one generated trace: a root span, a
few services calling each other, a tree about eight levels deep, one span in fifty an error with
a status message. Each round runs every command once, so a machine that slows down slows them
all alike. The budget (issue #17, item 11): the waterfall's peak RSS under 3× the body's size and
its time under 2.5× that of `--json`. Nothing leaves 127.0.0.1.
"""

import json
import os
import statistics
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import cpu_and_rss  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("RUNS", "15"))
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
SERVICES = ["checkout-api", "payment-service", "inventory", "fraud-check", "email"]


def trace_of(count):
    """`count` spans of one trace: span i hangs from span (i - 1) // 7, so the tree fans out."""
    start = 1795820420000000000
    spans = []
    for i in range(count):
        depth, j = 0, i
        while j:
            j = (j - 1) // 7
            depth += 1
        error = i % 50 == 49
        spans.append({
            "SpanId": f"{i + 1:016x}",
            "Timestamp": str(start + i * 1000 + depth * 50000),
            "TraceId": TRACE_ID,
            "Duration": str(max(1000, 90_000_000 >> depth)),
            "ParentSpanId": f"{(i - 1) // 7 + 1:016x}" if i else "",
            "ServiceName": SERVICES[depth % len(SERVICES)],
            "SpanAttributes": {"http.route": f"/items/{i % 97}"},
            "SpanKind": "SPAN_KIND_INTERNAL",
            "SpanName": f"op-{i % 211}",
            "StatusCode": "STATUS_CODE_ERROR" if error else "STATUS_CODE_OK",
            "StatusMessage": f"upstream failed after {i % 9} retries" if error else "",
        })
    return json.dumps(spans, separators=(",", ":")).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    body = b"[]"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)


def main():
    kopai = str(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "target/release/kopai").resolve())
    baseline = str(Path(sys.argv[2]).resolve()) if len(sys.argv) > 2 else None
    count = int(os.environ.get("SPANS", "50000"))
    Handler.body = trace_of(count)
    size_mib = len(Handler.body) / 2**20
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOPAI_")}
    env.update(NO_PROXY="127.0.0.1", COLUMNS="120")

    get = [kopai, "traces", "get", TRACE_ID, "--url", url]
    cmds = [("--json", [*get, "--json"]), ("waterfall (-t)", [*get, "-t"]),
            ("waterfall --errors", [*get, "-t", "--errors"]),
            ("waterfall --depth 3", [*get, "-t", "--depth", "3"])]
    if baseline:
        old = [baseline, *get[1:]]
        cmds += [("baseline --json", [*old, "--json"]), ("baseline waterfall", [*old, "-t"])]
    runs = {label: [] for label, _ in cmds}
    for _ in range(RUNS):
        for label, cmd in cmds:
            runs[label].append(cpu_and_rss(cmd, env))
    server.shutdown()

    print(f"kopai: {kopai}" + (f"\nbaseline: {baseline}" if baseline else ""))
    print(f"trace: {count} spans, {size_mib:.1f} MiB of JSON\n")
    print(f"| traces get ({RUNS} rounds) | median | CPU | × --json | peak RSS | × body |")
    print("|---|---|---|---|---|---|")
    for label, _ in cmds:
        wall = statistics.median(w for w, _, _ in runs[label])
        cpu = statistics.median(c for _, c, _ in runs[label])
        rss = max(r for _, _, r in runs[label])
        json = runs["baseline --json" if label.startswith("baseline") else "--json"]
        ratio = statistics.median(w / j for (w, _, _), (j, _, _) in zip(runs[label], json))
        print(f"| {label} | {wall * 1000:.0f} ms | {cpu * 1000:.0f} ms | {ratio:.2f}× "
              f"| {rss:.1f} MiB | {rss / size_mib:.2f}× |")


if __name__ == "__main__":
    main()

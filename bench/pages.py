#!/usr/bin/env python3
"""Benchmark one large answer: kopai against curl fetching the same bytes, and peak memory.

Usage: bench/pages.py [path/to/kopai] [path/to/baseline-kopai]
(default: target/release/kopai; run `cargo build --release --locked` first; needs curl, and
GNU time for peak memory). A baseline, say a release build of an older commit, is measured in
the same rounds, so both see the same machine.

Cases:
- a 2 MB page of 1,000 spans (`traces search --limit 1000 --json`) against
  `curl -X POST` of the same request: how much kopai adds to the transfer itself;
- a ~53 MiB page of spans with many small attribute values: kopai's peak RSS.
Each round runs every command once, in turn, so a machine that slows down mid-run slows all of
them alike; "× curl" is the median over rounds of each command's time divided by curl's.
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
RUNS = int(os.environ.get("RUNS", "30"))

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


def run_seconds(cmd, env):
    start = time.perf_counter()
    subprocess.check_call(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def rounds(cmds, env):
    """Each command's run times, in seconds, over RUNS rounds of running every command once."""
    times = {label: [] for label, _ in cmds}
    for _ in range(RUNS):
        for label, cmd in cmds:
            times[label].append(run_seconds(cmd, env))
    return times


def main():
    kopai = str(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "target/release/kopai").resolve())
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOPAI_")}
    env.update(NO_PROXY="127.0.0.1")
    curl = ["curl", "-sS", "-o", "/dev/null", "-X", "POST", "-H", "content-type: application/json",
            "--data", '{"limit":1000}', f"{url}/signals/traces/search"]

    baseline = str(Path(sys.argv[2]).resolve()) if len(sys.argv) > 2 else None

    def search(binary, *flags):
        return [binary, "traces", "search", "--url", url, "--limit", "1000", *flags]

    def raw_query(binary, *flags):
        return [binary, "query", "traces", "--url", url, "--limit", "1000", *flags]

    # A KopaiQuery raw page is the same rows through the same printers (issue #16, item 7).
    cmds = [("curl", curl), ("kopai --json", search(kopai, "--json")),
            ("kopai --table", search(kopai, "--table")),
            ("kopai query --json", raw_query(kopai, "--json")),
            ("kopai query --table", raw_query(kopai, "--table"))]
    if baseline:
        cmds += [("baseline --json", search(baseline, "--json")),
                 ("baseline --table", search(baseline, "--table"))]

    print(f"kopai: {kopai}" + (f"\nbaseline: {baseline}" if baseline else "") + "\n")
    print(f"| one page ({RUNS} rounds) | size | median | × curl | peak RSS |")
    print("|---|---|---|---|---|")
    for name in ("small", "large"):
        current["page"] = PAGES[name]
        size = f"{len(PAGES[name]) / 2**20:.1f} MiB"
        times = rounds(cmds, env)
        for label, cmd in cmds:
            median = statistics.median(times[label]) * 1000
            ratio = statistics.median(t / c for t, c in zip(times[label], times["curl"]))
            rss = peak_rss_mib(cmd, env)
            print(f"| {name}: {label} | {size} | {median:.1f} ms | {ratio:.2f}× | {rss:.1f} MiB |")
    server.shutdown()


if __name__ == "__main__":
    main()

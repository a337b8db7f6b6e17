#!/usr/bin/env python3
"""Benchmark drawing a 10,000-point KopaiQuery time series as sparklines (issue #16, item 7).

Usage: bench/series.py [path/to/kopai]
(default: target/release/kopai; run `cargo build --release --locked` first; needs GNU time for
CPU and peak memory; GROUPS=10, BUCKETS=1000 and RUNS=20 in the environment).

The fake server answers `POST /signals/query/traces/aggregate` with GROUPS × BUCKETS rows of
count and error_rate in 1-minute buckets, one bucket in 37 missing and one value in 53 null.
Each round runs `--json` (the rows unchanged), `--table` (sparklines at 120 columns) and
`--chart --table`, so the difference from --json is the drawing. The budget: under 50 ms of CPU
for the drawing. Nothing leaves
127.0.0.1.
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
RUNS = int(os.environ.get("RUNS", "20"))


def answer(groups, buckets):
    start = 1795820400
    rows = []
    for g in range(groups):
        for b in range(buckets):
            if (b + g) % 37 == 36:
                continue
            rows.append({
                "service.name": f"service-{g}",
                "bucket_start": iso(start + b * 60),
                "count": (b * 7 + g * 13) % 101,
                "error_rate": None if b % 53 == 52 else ((b + g) % 17) / 100,
            })
    return json.dumps({"data": rows}, separators=(",", ":")).encode()


def iso(seconds):
    import datetime
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.000Z")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    body = b"{}"

    def log_message(self, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", "0")))
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)


def main():
    kopai = str(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "target/release/kopai").resolve())
    groups = int(os.environ.get("GROUPS", "10"))
    buckets = int(os.environ.get("BUCKETS", "1000"))
    Handler.body = answer(groups, buckets)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOPAI_")}
    env.update(NO_PROXY="127.0.0.1", COLUMNS="120")

    query = [kopai, "query", "traces", "-m", "count", "-m", "error_rate", "--by", "service.name",
             "--since", "1w", "--every", "1m", "--limit", "10000", "--url", url]
    cmds = [("--json", [*query, "--json"]), ("sparklines (--table)", [*query, "--table"]),
            ("--chart --table", [*query, "--chart", "--table"])]
    runs = {label: [] for label, _ in cmds}
    for _ in range(RUNS):
        for label, cmd in cmds:
            runs[label].append(cpu_and_rss(cmd, env))
    server.shutdown()

    points = groups * buckets
    print(f"kopai: {kopai}\nanswer: {points} points per measure, "
          f"{len(Handler.body) / 2**20:.1f} MiB of JSON\n")
    print(f"| kopai query, 2 measures ({RUNS} rounds) | median | CPU | peak RSS |")
    print("|---|---|---|---|")
    for label, _ in cmds:
        wall = statistics.median(w for w, _, _ in runs[label])
        cpu = statistics.median(c for _, c, _ in runs[label])
        rss = max(r for _, _, r in runs[label])
        print(f"| {label} | {wall * 1000:.1f} ms | {cpu * 1000:.0f} ms | {rss:.1f} MiB |")


if __name__ == "__main__":
    main()

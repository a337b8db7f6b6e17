#!/usr/bin/env python3
"""Benchmark log lines against the log table: CPU per row, on a terminal.

Usage: bench/loglines.py [path/to/kopai]
(default: target/release/kopai; run `cargo build --release --locked` first).

`kopai logs search --all` reads 10 pages of 1,000 records (bodies of 40 to 400 characters,
one in ten with a stack trace, each with a few attributes) from a fake server on 127.0.0.1,
and prints them to a pseudo-terminal 120 columns wide (drained by this script, as a terminal
would), without a pager: as lines (the default there), as lines with `--attrs`, as the table
(`-t`), and as JSON (`--json`) for scale. Each round runs every command once, in turn; the
figure is the median over rounds of the CPU time (user + system) the process used, and per
row, that time divided by the 10,000 rows.
"""

import json
import os
import pty
import statistics
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
RUNS = int(os.environ.get("RUNS", "15"))
PAGES, PER_PAGE = 10, 1000

captured = json.loads((FIXTURES / "logs-search-error.json").read_text())["data"]
WORDS = "payment failed card declined upstream timeout ledger retry queued order".split()


def record(i):
    row = dict(captured[i % len(captured)])
    row["Timestamp"] = str(1795820400000000000 + i * 1_000_000)
    words = 6 + (i * 7) % 60
    body = " ".join(WORDS[(i + k) % len(WORDS)] for k in range(words))
    if i % 10 == 0:
        body += "\nError: upstream timeout\n\tat charge (charge.js:12:7)\n\tat run (queue.js:40:3)"
    row["Body"] = body
    row["LogAttributes"] = {"http.route": "/charge", "attempt": str(i % 4), "order.id": f"o-{i}"}
    return row


PAGE_BODIES = []
for page in range(PAGES):
    rows = [record(page * PER_PAGE + n) for n in range(PER_PAGE)]
    cursor = str(page + 1) if page + 1 < PAGES else None
    PAGE_BODIES.append(json.dumps({"data": rows, "nextCursor": cursor}).encode())


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
        payload = PAGE_BODIES[int(body.get("cursor", "0"))]
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def cpu_seconds(cmd, env):
    """Runs `cmd` with stdout and stderr on a pseudo-terminal; returns its user + system time."""
    master, slave = pty.openpty()
    child = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
    os.close(slave)

    def drain():
        try:
            while os.read(master, 65536):
                pass
        except OSError:
            pass

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    reader.join(timeout=5)
    os.close(master)
    if child.returncode != 0:
        raise SystemExit(f"{cmd} exited {child.returncode}")
    return usage.ru_utime + usage.ru_stime


def main():
    kopai = str(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "target/release/kopai").resolve())
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOPAI_")}
    env.update(NO_PROXY="127.0.0.1", COLUMNS="120", TZ="UTC", NO_COLOR="")
    env.pop("NO_COLOR")

    def logs(*flags):
        return [kopai, "logs", "search", "--all", "--limit", str(PER_PAGE), "--no-pager",
                "--url", url, *flags]

    cmds = [("lines", logs()), ("lines --attrs", logs("--attrs")), ("table (-t)", logs("-t")),
            ("--json", logs("--json"))]
    times = {label: [] for label, _ in cmds}
    for _ in range(RUNS):
        for label, cmd in cmds:
            times[label].append(cpu_seconds(cmd, env))
    rows = PAGES * PER_PAGE
    table = statistics.median(times["table (-t)"])
    print(f"kopai: {kopai}\n")
    print(f"| {rows:,} log records on a 120-column terminal ({RUNS} rounds) | CPU | per row | × table |")
    print("|---|---|---|---|")
    for label, _ in cmds:
        cpu = statistics.median(times[label])
        print(f"| {label} | {cpu * 1000:.0f} ms | {cpu / rows * 1e6:.1f} µs | {cpu / table:.2f}× |")
    server.shutdown()


if __name__ == "__main__":
    main()

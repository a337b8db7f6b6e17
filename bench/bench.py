#!/usr/bin/env python3
"""Benchmark kopai against a local fake Kopai server.

Usage: bench/bench.py [path/to/kopai]   (default: target/release/kopai; run
`cargo build --release --locked` first). Prints medians of 50 runs and peak memory
(peak memory needs GNU time: `apt-get install time`).
Nothing leaves 127.0.0.1; the fake server serves the captured fixtures in tests/fixtures.
"""

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
RUNS = 50

page1 = json.loads((FIXTURES / "traces-search-page1.json").read_text())
SPAN = json.dumps(page1["data"][0], separators=(",", ":"))
TEN = (FIXTURES / "traces-search-limit3.json").read_bytes()
# What `--follow` gets while nothing new arrives: the same rows again, and no further page.
SAME_AGAIN = json.dumps({"data": json.loads(TEN)["data"], "nextCursor": None}).encode()
state = {"total": 0}


def spans_page(start, count):
    """`count` synthetic spans from row `start`, each with its own span id."""
    rows = ",".join(SPAN.replace("eee19b7ec3c1b174", f"{i:016x}") for i in range(start, start + count))
    end = start + count
    cursor = json.dumps(str(end)) if end < state["total"] else "null"
    return f'{{"data":[{rows}],"nextCursor":{cursor}}}'.encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
        if state["total"] and body.get("limit", 0) > 1:
            start = int(body.get("cursor", "0"))
            count = min(body["limit"], state["total"] - start)
            payload = spans_page(start, count)
        elif "sortOrder" in body:
            payload = SAME_AGAIN
        else:
            payload = TEN
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


GNU_TIME = "/usr/bin/time"  # Debian package `time`


def run_once(cmd, env):
    """Wall-clock seconds of one run."""
    return run_timed(cmd, env)[0]


def run_timed(cmd, env):
    """Wall-clock seconds and kopai's own CPU seconds (user + system) of one run. The CPU time
    leaves out the fake server and whatever else the machine is doing."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return elapsed, usage.ru_utime + usage.ru_stime


def peak_rss_mib(cmd, env):
    """Peak RSS through GNU time. (A child forked from Python would report Python's own RSS.)"""
    if not os.path.exists(GNU_TIME):
        return float("nan")
    with tempfile.NamedTemporaryFile("r") as out:
        subprocess.check_call([GNU_TIME, "-f", "%M", "-o", out.name, *cmd], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return int(out.read().split()[-1]) / 1024


def cpu_and_rss(cmd, env):
    """Wall seconds, CPU seconds (user + system) and peak RSS (MiB) of one run, via GNU time."""
    if not os.path.exists(GNU_TIME):
        return run_once(cmd, env), float("nan"), float("nan")
    with tempfile.NamedTemporaryFile("r") as out:
        start = time.perf_counter()
        subprocess.check_call([GNU_TIME, "-f", "%U %S %M", "-o", out.name, *cmd], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        user, system, rss = out.read().split()[-3:]
        return wall, float(user) + float(system), int(rss) / 1024


def cpu_seconds(pid):
    """User + system CPU time of a process so far (/proc/<pid>/stat fields 14 and 15)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def idle_follow(cmd, env, seconds=20):
    """Share of one core that `--follow` uses while nothing new arrives (after a 1 s start)."""
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    before, start = cpu_seconds(proc.pid), time.perf_counter()
    time.sleep(seconds)
    used, elapsed = cpu_seconds(proc.pid) - before, time.perf_counter() - start
    proc.send_signal(signal.SIGINT)
    if proc.wait(timeout=10) != 130:
        sys.exit(f"--follow did not end with 130 on SIGINT: {' '.join(cmd)}")
    return used / elapsed * 100, elapsed


def measure(name, cmd, env, runs=RUNS):
    median_ms = statistics.median(run_once(cmd, env) for _ in range(runs)) * 1000
    print(f"| {name} | {median_ms:.1f} ms | {peak_rss_mib(cmd, env):.1f} MiB |")


def main():
    kopai = str(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "target/release/kopai").resolve())
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"

    with tempfile.TemporaryDirectory() as home:
        rc = Path(home) / ".kopairc"
        rc.write_text(json.dumps({"url": url, "token": "kpi_bench_0123456789abcdef"}, indent=2))
        rc.chmod(0o600)
        env = {k: v for k, v in os.environ.items() if not k.startswith("KOPAI_")}
        env.update(HOME=home, NO_PROXY="127.0.0.1")
        os.chdir(home)

        print(f"kopai: {kopai}\n")
        print(f"| command ({RUNS} runs) | median | peak RSS |")
        print("|---|---|---|")
        measure("kopai --help", [kopai, "--help"], env)
        measure("kopai whoami", [kopai, "whoami"], env)
        measure("kopai traces search --json --limit 10", [kopai, "traces", "search", "--json", "--limit", "10"], env)

        print("\n| --all over N spans (median of 3 runs) | total | kopai CPU | CPU per row | peak RSS |")
        print("|---|---|---|---|---|")
        for total in (10_000, 100_000):
            state["total"] = total
            for fmt in ("--json", "-o ndjson", "-o csv", "--table"):
                cmd = [kopai, "traces", "search", "--all", "--limit", "1000", *fmt.split()]
                runs = [run_timed(cmd, env) for _ in range(3)]
                secs = statistics.median(r[0] for r in runs)
                cpu = statistics.median(r[1] for r in runs)
                peak = peak_rss_mib(cmd, env)
                print(f"| {total:,} spans {fmt} | {secs * 1000:.0f} ms | {cpu * 1000:.0f} ms "
                      f"| {cpu / total * 1e6:.2f} µs | {peak:.1f} MiB |")

        # Table rendering at a fixed width: every row is fitted (cut, columns dropped) to 120
        # columns, as on a terminal, with stdout a pipe so the terminal's speed does not count.
        # kopai's own CPU time (user + system) leaves out the fake server's share of the wall
        # clock, which is most of it.
        print("\n| table at COLUMNS=120 (5 runs) | wall | kopai CPU per row | peak RSS |")
        print("|---|---|---|---|")
        state["total"] = 100_000
        fixed = dict(env, COLUMNS="120")
        cmd = [kopai, "traces", "search", "--all", "--limit", "1000", "-t"]
        runs = [cpu_and_rss(cmd, fixed) for _ in range(5)]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        peak = max(r[2] for r in runs)
        print(f"| 100,000 spans -t | {wall * 1000:.0f} ms | {cpu / 100_000 * 1e6:.2f} µs | {peak:.1f} MiB |")
        state["total"] = 0

        # Each poll gets the same spans back, as a real server does at the newest timestamp.
        share, elapsed = idle_follow([kopai, "traces", "search", "--follow", "--json"], env)
        tick = 100 / os.sysconf("SC_CLK_TCK") / elapsed
        print(f"\n--follow with nothing new, default --interval (2s), over {elapsed:.0f} s: "
              f"{share:.2f} % of one core (one clock tick is {tick:.2f} %)")
    server.shutdown()


if __name__ == "__main__":
    main()

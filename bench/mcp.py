#!/usr/bin/env python3
"""Benchmark `kopai mcp` against a local fake Kopai server (tests/mcp_client/fake_kopai.py).

Usage: bench/mcp.py [path/to/kopai]   (default: target/release/kopai; run
`cargo build --release --locked` first). Prints medians:
- start-up: spawn, `initialize`, `initialized`, `tools/list` answered (which includes the
  KopaiQuery probe, a 404 from the fake server);
- per tool: a `tools/call` round trip against the same request made directly over one
  keep-alive HTTP connection, in the same rounds; the difference is what the tool adds.
Nothing leaves 127.0.0.1.
"""

import http.client
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "mcp_client"))
import fake_kopai  # noqa: E402

STARTS = 30
CALLS = 300
INIT = {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
    "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}}}


class Session:
    def __init__(self, kopai, url):
        home = tempfile.mkdtemp()
        env = {"HOME": home, "PATH": "/usr/bin:/bin", "NO_PROXY": "127.0.0.1"}
        self.proc = subprocess.Popen([kopai, "mcp", "--url", url], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, env=env, cwd=home)
        self.next_id = 1

    def send(self, message):
        self.proc.stdin.write(json.dumps(message).encode() + b"\n")
        self.proc.stdin.flush()

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        answer = json.loads(self.proc.stdout.readline())
        assert answer.get("id") == self.next_id, answer
        return answer

    def start(self):
        self.send(INIT)
        json.loads(self.proc.stdout.readline())
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        return self.request("tools/list", {})

    def close(self):
        self.proc.stdin.close()
        assert self.proc.wait(timeout=10) == 0


def ms(samples):
    return statistics.median(samples) * 1000


def main():
    kopai = str(Path(sys.argv[1]).resolve()) if len(sys.argv) > 1 else str(ROOT / "target" / "release" / "kopai")
    url = fake_kopai.start()
    host, port = url.removeprefix("http://").split(":")

    starts = []
    for _ in range(STARTS):
        began = time.perf_counter()
        session = Session(kopai, url)
        tools = session.start()["result"]["tools"]
        starts.append(time.perf_counter() - began)
        session.close()
    print(f"spawn + initialize + tools/list ({len(tools)} tools): {ms(starts):.1f} ms median")

    session = Session(kopai, url)
    session.start()
    direct = http.client.HTTPConnection(host, int(port))
    cases = [
        ("services", {}, "GET", "/signals/services", None),
        ("get_trace", {"traceId": fake_kopai.TRACE_ID}, "GET", f"/signals/traces/{fake_kopai.TRACE_ID}", None),
        ("search_traces", {"limit": 8}, "POST", "/signals/traces/search", b'{"limit":8}'),
    ]
    for name, arguments, verb, path, body in cases:
        tool, plain = [], []
        for _ in range(CALLS):
            began = time.perf_counter()
            answer = session.request("tools/call", {"name": name, "arguments": arguments})
            tool.append(time.perf_counter() - began)
            assert not answer["result"]["isError"], answer
            began = time.perf_counter()
            headers = {"Content-Type": "application/json"} if body else {}
            direct.request(verb, path, body=body, headers=headers)
            direct.getresponse().read()
            plain.append(time.perf_counter() - began)
        added = ms(tool) - ms(plain)
        print(f"{name:<14} tools/call {ms(tool):.2f} ms, the request alone {ms(plain):.2f} ms: adds {added:.2f} ms")
    session.close()


if __name__ == "__main__":
    main()

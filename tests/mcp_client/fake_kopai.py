"""A fake Kopai server on 127.0.0.1 serving the captured fixtures in tests/fixtures, for the
real-client check (check.py) and the MCP benchmark (bench/mcp.py)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
ROUTES = {
    ("GET", "/signals/services"): "services.json",
    ("GET", f"/signals/traces/{TRACE_ID}"): "traces-get.json",
    ("POST", "/signals/traces/search"): "traces-search-page1.json",
    ("POST", "/signals/logs/search"): "logs-search.json",
}


class Handler(BaseHTTPRequestHandler):
    def answer(self, verb):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        name = ROUTES.get((verb, self.path.split("?")[0]))
        body = (FIXTURES / name).read_bytes() if name else b'{"message":"not found"}'
        self.send_response(200 if name else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.answer("GET")

    def do_POST(self):
        self.answer("POST")

    def log_message(self, *args):
        pass


def start():
    """Starts the server in a thread; its base URL."""
    ThreadingHTTPServer.daemon_threads = True
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"

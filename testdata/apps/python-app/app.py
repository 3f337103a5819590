"""python-app: an HTTP service with one third-party dependency."""

import os
from http.server import BaseHTTPRequestHandler, HTTPServer

import greeting


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = (greeting.greet("python-app") + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8000"))
    print(f"listening on :{port}", flush=True)
    HTTPServer(("0.0.0.0", port), Handler).serve_forever()

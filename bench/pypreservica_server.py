"""pyPreservica's reference WebHookHandler, run the way its documentation shows, for bench/receiver.sh.

Usage: python pypreservica_server.py PORT SECRET   (PORT 0 picks a free port; the bound port is printed)
"""
import sys
from http.server import HTTPServer
from pyPreservica import WebHookHandler


class Handler(WebHookHandler):
    def do_WORK(self, event):
        pass

    def log_message(self, format, *args):
        pass  # keep the benchmark's output readable; the relay also runs at --log-level warn


if __name__ == "__main__":
    server = HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.secret_key = sys.argv[2]
    print(server.server_address[1], flush=True)
    server.serve_forever()

#!/usr/bin/python3
"""The weight-download tests' counterpart of download.pytorch.org.

  weights_server.py make-weights DIR
      writes torchvision.models.efficientnet_b0(weights=None).state_dict() (random weights) with
      torch.save into DIR, named as torchvision names its files: efficientnet_b0_test-HASH8.pth,
      HASH8 the first 8 hex digits of the file's SHA-256; prints the file name.

  weights_server.py serve --dir DIR --port-file FILE --log FILE [--drop-after N] [--corrupt]
                          [--ignore-range]
      serves DIR's files on 127.0.0.1 (a free port, written to FILE once listening), with byte
      ranges (http.server has none): "Range: bytes=S-" gets 206 and Content-Range, a start past
      the end 416. Every GET is logged as "GET /NAME range=VALUE status" (range=- without one).
      --drop-after N: the first GET announces the whole length, sends N bytes and drops the
      connection; later GETs are served normally. --corrupt: every byte 1,000,000 of the body is
      flipped. --ignore-range: answers 200 with the whole file to a Range request. As a proxy it
      serves "GET http://any.host/NAME" from DIR too, and logs and refuses CONNECT (https).
"""
import argparse
import hashlib
import http.server
import os
import socket
import sys
import threading


def make_weights(folder):
    import torch
    import torchvision

    torch.manual_seed(0)
    state = torchvision.models.efficientnet_b0(weights=None).state_dict()
    tmp = os.path.join(folder, "weights.tmp")
    torch.save(state, tmp)
    with open(tmp, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    name = "efficientnet_b0_test-%s.pth" % digest[:8]
    os.replace(tmp, os.path.join(folder, name))
    print(name)


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):  # quiet: the request log below is what tests read
        pass

    def record(self, status):
        with self.server.log_lock, open(self.server.log_path, "a") as log:
            log.write("GET %s range=%s %d\n" % (self.path, self.headers.get("Range", "-"), status))

    def do_CONNECT(self):  # an https request through this server as its proxy: logged, refused
        with self.server.log_lock, open(self.server.log_path, "a") as log:
            log.write("CONNECT %s 501\n" % self.path)
        self.send_error(501)

    def do_GET(self):
        name = os.path.basename(self.path.split("?")[0])
        path = os.path.join(self.server.folder, name)
        if not name or not os.path.isfile(path):
            self.record(404)
            self.send_error(404)
            return
        with open(path, "rb") as f:
            data = f.read()
        total = len(data)
        start = 0
        status = 200
        wanted = self.headers.get("Range")
        if wanted and not self.server.ignore_range:
            spec = wanted.strip()
            if not spec.startswith("bytes=") or "," in spec:
                self.record(400)
                self.send_error(400)
                return
            first, _, last = spec[len("bytes="):].partition("-")
            start = int(first)
            end = int(last) if last else total - 1
            if start >= total:
                self.record(416)
                self.send_response(416)
                self.send_header("Content-Range", "bytes */%d" % total)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            data = data[start:min(end, total - 1) + 1]
            status = 206
        if self.server.corrupt:
            body = bytearray(data)
            for i in range((1000000 - start) % 1000000, len(body), 1000000):
                body[i] ^= 0xFF
            data = bytes(body)
        drop = None
        with self.server.log_lock:
            if self.server.drop_after is not None:
                drop, self.server.drop_after = self.server.drop_after, None
        self.record(status)
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Accept-Ranges", "bytes")
        if status == 206:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, start + len(data) - 1, total))
        self.end_headers()
        if drop is not None:
            self.wfile.write(data[:drop])
            self.wfile.flush()
            # The connection ends before the announced length, as when a network goes away.
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        self.wfile.write(data)


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A client that stops reading (a cancelled download) is expected, not a failure.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve(args):
    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.folder = args.dir
    server.log_path = args.log
    server.log_lock = threading.Lock()
    server.drop_after = args.drop_after
    server.corrupt = args.corrupt
    server.ignore_range = args.ignore_range
    open(args.log, "a").close()
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(tmp, args.port_file)  # the test waits for this file: the socket already listens
    server.serve_forever()


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("make-weights")
    make.add_argument("dir")
    s = sub.add_parser("serve")
    s.add_argument("--dir", required=True)
    s.add_argument("--port-file", required=True)
    s.add_argument("--log", required=True)
    s.add_argument("--drop-after", type=int)
    s.add_argument("--corrupt", action="store_true")
    s.add_argument("--ignore-range", action="store_true")
    args = parser.parse_args()
    if args.command == "make-weights":
        make_weights(args.dir)
    else:
        serve(args)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""slow_clients.py - slow and idle connections against `tradewar serve`.

The helper of tests/server/slow.sh.  It opens COUNT connections from
127.0.0.1 in three kinds, a third each: idle (send nothing), slow head (a
request head, then one more byte of a header line every second) and slow
body (a whole head announcing 1000 bytes of body, then one byte a second).
Every wait below is a bounded poll for a state, never a fixed sleep.

  hold PORT PID COUNT   with the slow connections open and held by the
                        server (at least 64 of them open, its descriptor
                        count up by at least 64), GET /api/health and GET /
                        answer 200; afterwards the server still holds 64 of
                        them (the places per address for slow requests) and
                        has closed the rest
  close PORT PID COUNT  every slow connection is eventually closed by the
                        server; one that was still sending its head got one
                        408 answer (exactly one status line), an idle one
                        got nothing; then GET /api/health answers 200

Prints one line per failed check and exits 1 if any failed.
"""
import http.client
import os
import socket
import sys
import threading
import time

SLOW_PLACES = 64     # per client address (docs/server.md)
WAIT_S = 60          # bound on every poll below


class Slow:
    def __init__(self, port, kind):
        self.kind = kind
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock.setblocking(False)
        self.got = b""
        self.closed = False
        head = ("POST /api/solve HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                "Content-Type: application/json\r\n" % port).encode()
        if kind == "head":
            self.send(head + b"X-Slow: ")
        elif kind == "body":
            self.send(head + b"Content-Length: 1000\r\n\r\n{")

    def send(self, data):
        try:
            self.sock.send(data)
        except OSError:
            pass  # the server closed it: seen by poll()

    def poll(self):
        """Read what the server sent; True while the connection is open."""
        while not self.closed:
            try:
                chunk = self.sock.recv(65536)
            except BlockingIOError:
                return True
            except OSError:
                chunk = b""
            if not chunk:
                self.closed = True
                self.sock.close()
            self.got += chunk
        return False


def server_fds(pid):
    try:
        return len(os.listdir("/proc/%s/fd" % pid))
    except OSError:
        return -1


def wait_for(what, cond):
    until = time.monotonic() + WAIT_S
    while time.monotonic() < until:
        if cond():
            return True
        time.sleep(0.05)
    print("FAIL: gave up after %d s waiting for %s" % (WAIT_S, what))
    return False


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read()
    except OSError as e:
        return 0, str(e).encode()
    finally:
        conn.close()


def main():
    mode, port, pid, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    fails = []
    base = server_fds(pid)
    kinds = ["idle", "head", "body"]
    conns = [Slow(port, kinds[k % 3]) for k in range(count)]
    stop = threading.Event()

    def trickle():
        # one byte a second on every slow connection (bounded: WAIT_S * 2)
        for _ in range(WAIT_S * 2):
            if stop.wait(1.0):
                return
            for c in conns:
                if c.kind != "idle" and not c.closed:
                    c.send(b"a")
    t = threading.Thread(target=trickle)
    t.start()
    try:
        open_now = lambda: sum(c.poll() for c in conns)
        if mode == "hold":
            if not wait_for("the server to hold %d slow connections" % SLOW_PLACES,
                            lambda: open_now() >= SLOW_PLACES and
                            server_fds(pid) >= base + SLOW_PLACES):
                fails.append("setup")
            for path in ("/api/health", "/"):
                status, body = get(port, path)
                if status != 200:
                    fails.append("GET %s with %d slow connections open: %d %r"
                                 % (path, open_now(), status, body[:200]))
            still = open_now()
            if still < SLOW_PLACES:
                fails.append("only %d slow connections open after the answers (expected %d held)"
                             % (still, SLOW_PLACES))
            if not wait_for("the server to close all but %d" % SLOW_PLACES,
                            lambda: open_now() == SLOW_PLACES):
                fails.append("%d slow connections open, expected %d" % (open_now(), SLOW_PLACES))
        else:
            if not wait_for("the server to close every slow connection", lambda: open_now() == 0):
                fails.append("%d of %d slow connections still open" % (open_now(), count))
            for c in conns:
                if c.kind == "head" and c.closed and (
                        c.got.count(b"HTTP/1.1 ") != 1 or not c.got.startswith(b"HTTP/1.1 408 ")):
                    fails.append("head connection got %r (expected one 408 answer)" % c.got[:200])
                    break
                if c.kind == "idle" and c.got:
                    fails.append("idle connection got %r (expected nothing)" % c.got[:200])
                    break
            status, body = get(port, "/api/health")
            if status != 200:
                fails.append("GET /api/health afterwards: %d %r" % (status, body[:200]))
    finally:
        stop.set()
        t.join()
        for c in conns:
            if not c.closed:
                c.sock.close()
    for f in fails:
        print("FAIL: %s %s" % (mode, f))
    print("%s: %d checks failed" % (mode, len(fails)))
    sys.exit(1 if fails else 0)


main()

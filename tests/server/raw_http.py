#!/usr/bin/python3
"""raw_http.py - send bytes to a server as they are and print what comes back.

The helper of tests/server/hostile.sh: curl cleans up what it sends and
parses what it gets, and these checks are about exactly the bytes on the
wire (a malformed Content-Length, a status line sent twice).

usage: raw_http.py PORT REQUEST
REQUEST is a Python string literal body: \\r, \\n, \\x00 and \\xff are
decoded (latin-1), so any byte can be sent.  The answer is read until the
server closes the connection, or until it is complete by its
Content-Length (the server may keep a connection open), at most 20 s, and
written to standard output as it came.
"""
import socket
import sys
import time


def complete(data):
    head_end = data.find(b"\r\n\r\n")
    if head_end < 0:
        return False
    for line in data[:head_end].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(data) - head_end - 4 >= int(value.strip())
    return False


def main():
    port = int(sys.argv[1])
    request = sys.argv[2].encode("latin-1").decode("unicode_escape").encode("latin-1")
    sock = socket.create_connection(("127.0.0.1", port), timeout=20)
    try:
        sock.sendall(request)
    except OSError:
        pass  # the server may answer and close before it has read everything
    data = b""
    until = time.monotonic() + 20
    while time.monotonic() < until:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            break
        except OSError:
            break
        if not chunk:
            break
        data += chunk
        # a second answer, if the server sends one, comes in the same
        # burst: wait a moment past the first before deciding it is all
        if complete(data):
            sock.settimeout(0.5)
    sock.close()
    sys.stdout.buffer.write(data)


main()

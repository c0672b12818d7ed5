#!/usr/bin/env python3
"""An HTTP server that holds under abuse (issue #7, item 2), against the real binary. The HTTP
listener does not touch the store, so this runs on SQLite only.

Before (cpp-httplib, a thread per connection): 40 slow connections (one header every 2 s)
stalled every request; 8 connections sending 60 MB of headers took the server to 1.66 GB;
100,000 headers were accepted; a second `ctip serve` bound the same port.

1. Slowloris: 200 connections from 10 addresses, each sending one header line every 2 s and
   never finishing. /health, asked meanwhile from another address, answers with p99 <= 100 ms;
   the slow connections are closed at the header deadline (--header-timeout 4), not before.
2. Header flood: 8 connections each sending 60 MB of headers get 431, and the server's peak
   RSS (VmHWM) stays under 300 MB.
3. Limits: 100,000 headers, 150 small header fields, a 20 KB request line: 431; 90 fields: 200.
   Two different Content-Length headers: 400.
4. Connections per address: the 65th open connection from one address gets 503; another
   address is served meanwhile.
5. A second server on the same port refuses to start (exit code not 0, names the port); the
   first keeps answering.

Usage: http_abuse_sqlite_test.py path/to/ctip
"""
import select
import socket
import subprocess
import sys
import threading
import time

from ctip_harness import PASSWORD, Server, Store, request

HEADER_TIMEOUT_S = 4
SLOW_CONNECTIONS = 200
SLOW_ADDRESSES = 10
MAX_P99_MS = 100
MAX_RSS_MB = 300


def vm_hwm_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def connect(port, source):
    return socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))


def raw(port, data, source="127.0.0.1"):
    """Sends bytes, reads the answer until the server closes or 5 s pass."""
    s = connect(port, source)
    try:
        s.sendall(data)
        s.settimeout(5)
        out = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not chunk:
                break
            out += chunk
            if b"\r\n\r\n" in out and b"Content-Length" in out:
                head, _, body = out.partition(b"\r\n\r\n")
                length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
                if len(body) >= length:
                    break
        return out
    finally:
        s.close()


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def slowloris(srv):
    sockets = []
    for i in range(SLOW_CONNECTIONS):
        s = connect(srv.port, f"127.0.1.{1 + i % SLOW_ADDRESSES}")
        s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
        sockets.append(s)
    started = time.monotonic()
    closed_at = {}
    stop = threading.Event()

    def trickle():
        while not stop.is_set():
            for i, s in enumerate(sockets):
                if i in closed_at:
                    continue
                try:
                    s.sendall(b"X-Slow: 1\r\n")
                except OSError:
                    closed_at[i] = time.monotonic() - started
            # Whatever the server closed shows up as readable with no data.
            readable, _, _ = select.select([s for i, s in enumerate(sockets) if i not in closed_at],
                                           [], [], 0)
            for s in readable:
                i = sockets.index(s)
                try:
                    data = s.recv(4096)
                except OSError:
                    data = b""
                assert not data, f"a slow connection got an answer: {data[:100]!r}"
                closed_at.setdefault(i, time.monotonic() - started)
            stop.wait(2)

    t = threading.Thread(target=trickle)
    t.start()
    latencies = []
    try:
        time.sleep(0.5)
        until = started + HEADER_TIMEOUT_S - 1
        while time.monotonic() < until:
            t0 = time.monotonic()
            status, _, _ = request(srv.port, "GET", "/api/v1/health", timeout=5)
            latencies.append((time.monotonic() - t0) * 1000)
            assert status == 200, status
            time.sleep(0.01)
        early = len(closed_at)
        deadline = started + HEADER_TIMEOUT_S + 4
        while len(closed_at) < SLOW_CONNECTIONS and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stop.set()
        t.join()
        for s in sockets:
            s.close()
    p99 = percentile(latencies, 99)
    print(f"slowloris: {SLOW_CONNECTIONS} slow connections from {SLOW_ADDRESSES} addresses; "
          f"/health {len(latencies)} requests, p50 {percentile(latencies, 50):.1f} ms, "
          f"p99 {p99:.1f} ms; slow connections closed after "
          f"{min(closed_at.values()):.1f}-{max(closed_at.values()):.1f} s "
          f"(header deadline {HEADER_TIMEOUT_S} s)")
    assert p99 <= MAX_P99_MS, f"/health p99 {p99:.1f} ms under slowloris"
    assert early == 0, f"{early} slow connections closed before the header deadline"
    assert len(closed_at) == SLOW_CONNECTIONS, \
        f"{SLOW_CONNECTIONS - len(closed_at)} slow connections still open past the deadline"


def header_flood(srv):
    line = b"X-Flood: " + b"a" * 990 + b"\r\n"
    block = line * 1024  # ~1 MB
    answers = []
    lock = threading.Lock()

    def flood(n):
        s = connect(srv.port, f"127.0.3.{n + 1}")
        got = b""
        sent = 0
        try:
            s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
            s.setblocking(False)
            while sent < 60 * 1024 * 1024:
                _, writable, _ = select.select([], [s], [], 5)
                if not writable:
                    break
                try:
                    sent += s.send(block)
                except (BlockingIOError, InterruptedError):
                    pass
                readable, _, _ = select.select([s], [], [], 0)
                if readable:
                    got += s.recv(65536)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            s.close()
        with lock:
            answers.append((sent, got))

    threads = [threading.Thread(target=flood, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rss = vm_hwm_mb(srv.proc.pid)
    sent_mb = sum(a[0] for a in answers) / 1e6
    refused = sum(1 for a in answers if a[1].startswith(b"HTTP/1.1 431"))
    print(f"header flood: 8 connections sent {sent_mb:.1f} MB of headers before the server "
          f"closed them; {refused} got 431; peak RSS {rss:.0f} MB")
    assert refused == 8, [a[1][:80] for a in answers]
    assert rss < MAX_RSS_MB, f"peak RSS {rss:.0f} MB"
    assert request(srv.port, "GET", "/api/v1/health")[0] == 200


def limits(srv):
    p = srv.port
    many = raw(p, b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n" + b"a:b\r\n" * 100000 + b"\r\n")
    assert many.startswith(b"HTTP/1.1 431"), many[:100]
    fields = raw(p, b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n" + b"".join(
        b"X-F%d: v\r\n" % i for i in range(150)) + b"\r\n")
    assert fields.startswith(b"HTTP/1.1 431") and b"header fields" in fields, fields[:300]
    fine = raw(p, b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + b"".join(
        b"X-F%d: v\r\n" % i for i in range(90)) + b"\r\n")
    assert fine.startswith(b"HTTP/1.1 200"), fine[:100]
    long_line = raw(p, b"GET /api/v1/health?q=" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert long_line.startswith(b"HTTP/1.1 431"), long_line[:100]
    conflicting = raw(p, b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: "
                         b"application/json\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\n{}")
    assert conflicting.startswith(b"HTTP/1.1 400"), conflicting[:100]
    print("limits: 100,000 headers, 150 fields and a 20 KB request line -> 431; 90 fields -> 200; "
          "two Content-Length -> 400")


def per_address(srv):
    held = [connect(srv.port, "127.0.4.1") for _ in range(64)]
    try:
        time.sleep(0.3)
        extra = raw(srv.port, b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n", "127.0.4.1")
        assert extra.startswith(b"HTTP/1.1 503"), extra[:100]
        other = request(srv.port, "GET", "/api/v1/health", source="127.0.4.2")[0]
        assert other == 200, other
    finally:
        for s in held:
            s.close()
    for _ in range(50):  # the held connections are released
        if request(srv.port, "GET", "/api/v1/health", source="127.0.4.1")[0] == 200:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the address stays refused after its connections closed")
    print("connections per address: the 65th from one address -> 503, another address -> 200")


def port_taken(store, srv):
    second = subprocess.run([store.ctip, "serve", *store.args(), "--port", str(srv.port)],
                            capture_output=True, text=True, timeout=30,
                            env={"CTIP_DEMO_PASSWORD": PASSWORD, "PATH": "/usr/bin:/bin"})
    assert second.returncode != 0, "a second server started on a taken port"
    assert str(srv.port) in second.stderr and "in use" in second.stderr, second.stderr
    assert request(srv.port, "GET", "/api/v1/health")[0] == 200
    print(f"port taken: the second server exits {second.returncode}: "
          f"{second.stderr.strip().splitlines()[-1]}")


def main():
    ctip = sys.argv[1]
    with Store(ctip, prefix="ctip-abuse-") as store:
        store.demo()
        with Server(store, extra=("--header-timeout", str(HEADER_TIMEOUT_S))) as srv:
            slowloris(srv)
            header_flood(srv)
            limits(srv)
            per_address(srv)
            port_taken(store, srv)
            assert srv.alive()
    print("ok")


if __name__ == "__main__":
    main()

"""conftest.py blocks the network for the whole test session, here and in notebook kernels."""

import socket
import subprocess
import sys

import pytest


def test_non_loopback_connect_is_blocked():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(OSError, match="blocked during tests"):
            s.connect(("93.184.216.34", 80))
    finally:
        s.close()


def test_loopback_is_allowed():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    c = socket.socket()
    try:
        c.connect(srv.getsockname())
    finally:
        c.close()
        srv.close()


def test_child_processes_are_blocked_too():
    code = "import socket; s=socket.socket(); s.connect(('10.255.255.1', 80))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert out.returncode != 0 and "blocked during tests" in out.stderr


@pytest.mark.parametrize("lookup", [lambda: socket.getaddrinfo("example.com", 80),
                                    lambda: socket.gethostbyname("example.com"),
                                    lambda: socket.gethostbyname_ex("pypi.org"),
                                    lambda: socket.gethostbyaddr("93.184.216.34"),
                                    lambda: socket.create_connection(("example.com", 80), timeout=1)])
def test_name_resolution_is_blocked(lookup):
    with pytest.raises(OSError, match="name resolution of .* is blocked during tests"):
        lookup()


def test_loopback_names_and_ip_literals_resolve():
    assert {a[4][0] for a in socket.getaddrinfo("localhost", 80)} <= {"127.0.0.1", "::1"}
    assert socket.getaddrinfo("10.1.2.3", 80, type=socket.SOCK_STREAM)[0][4] == ("10.1.2.3", 80)   # no lookup
    assert socket.gethostbyname("127.0.0.1") == "127.0.0.1"


def test_udp_is_blocked_but_loopback_udp_works():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        with pytest.raises(OSError, match=r"a datagram to \('8.8.8.8', 53\) is blocked"):
            s.sendto(b"x", ("8.8.8.8", 53))
        with pytest.raises(OSError, match=r"a datagram to \('8.8.8.8', 53\) is blocked"):
            s.sendto(b"x", 0, ("8.8.8.8", 53))
        with pytest.raises(OSError, match=r"a datagram to \('8.8.8.8', 53\) is blocked"):
            s.sendmsg([b"x"], [], 0, ("8.8.8.8", 53))
        with pytest.raises(OSError, match="blocked during tests"):
            s.connect(("8.8.8.8", 53))                            # a connected UDP socket
        srv.bind(("127.0.0.1", 0))
        assert s.sendto(b"hello", srv.getsockname()) == 5
        assert srv.recv(16) == b"hello"
    finally:
        s.close()
        srv.close()


def test_child_processes_cannot_resolve_or_send_udp():
    code = ("import socket\n"
            "for f in (lambda: socket.getaddrinfo('example.com', 80),\n"
            "          lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'x', ('1.1.1.1', 53))):\n"
            "    try:\n        f()\n    except OSError as e:\n        print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert out.stdout.count("blocked during tests") == 2, out.stdout + out.stderr

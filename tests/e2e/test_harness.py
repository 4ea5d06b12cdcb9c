"""The harness itself: how a test's daemon gets its ports.

Tests run two at a time (run.py -j 2); a port chosen by binding to 0 and
closed again could be another test's outgoing source port a moment later,
and that test's daemon then failed to start ("Address already in use", found
running the suite under ASan four at a time)."""

import socket

import harness
from harness import Daemon, ok


def test_free_ports_are_outside_the_range_for_outgoing_connections():
    lo, hi = harness._ephemeral_range()
    ports = [p for _ in range(200) for p in harness.free_ports(2)]
    assert all(not lo <= p <= hi for p in ports), [p for p in ports if lo <= p <= hi][:5]
    assert len(set(ports)) > 100, "chosen at random, not one port again and again"


def test_a_port_taken_before_the_daemon_listens_is_chosen_again():
    taken = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    real, calls = harness.free_ports, []

    def first_taken(n=2):
        calls.append(n)
        return [port] + real(n - 1) if len(calls) == 1 else real(n)

    harness.free_ports = first_taken
    try:
        with Daemon() as d:
            assert len(calls) == 2, calls
            assert d.port != port
            ok(d.call("ping"))
            with open(d.log_path, "rb") as f:
                assert b"Address already in use" in f.read()
    finally:
        harness.free_ports = real
        taken.close()

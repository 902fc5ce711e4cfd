#!/usr/bin/python3
"""Writes the synthetic capture files the capture-file reader is checked against (standard library only,
deterministic). Usage: make_synthetic_captures.py CAPTURES_PUBLIC_DIR

- synthetic__pcapng-sections-interfaces.pcapng: two sections (little-endian, then big-endian) exercising
  what the corpus lacks: several interfaces with different link types, if_tsresol as a power of 2 and finer
  than a nanosecond, if_tsoffset, Simple Packet Blocks (one cut by the snap length), the obsolete
  Packet Block, an EPB whose captured length exceeds its original length, and blocks a reader skips
  (Name Resolution, Interface Statistics, an unknown type).
- synthetic__big-endian-*.pcap: byte-swapped copies of two little-endian classic pcap files (microsecond and
  nanosecond), since no public big-endian capture was found.
"""
import os
import struct
import sys

SHB, IDB, PB, SPB, NRB, ISB, EPB = 0x0A0D0D0A, 1, 2, 3, 4, 5, 6
OPT_TSRESOL, OPT_TSOFFSET = 9, 14


def pad4(data):
    return data + b"\0" * (-len(data) % 4)


def block(order, block_type, body):
    body = pad4(body)
    length = len(body) + 12
    return struct.pack(order + "II", block_type, length) + body + struct.pack(order + "I", length)


def option(order, code, value):
    return pad4(struct.pack(order + "HH", code, len(value)) + value)


def options(order, *items):
    return b"".join(items) + struct.pack(order + "HH", 0, 0) if items else b""


def shb(order):
    return block(order, SHB, struct.pack(order + "IHHq", 0x1A2B3C4D, 1, 0, -1))


def idb(order, link_type, snap_length, *opts):
    return block(order, IDB, struct.pack(order + "HHI", link_type, 0, snap_length) + options(order, *opts))


def epb(order, interface_id, timestamp, data, original_length=None):
    original_length = len(data) if original_length is None else original_length
    header = struct.pack(order + "IIIII", interface_id, timestamp >> 32, timestamp & 0xFFFFFFFF, len(data), original_length)
    return block(order, EPB, header + data)


def spb(order, original_length, data):
    return block(order, SPB, struct.pack(order + "I", original_length) + data)


def packet_block(order, interface_id, timestamp, data):
    header = struct.pack(order + "HHIIII", interface_id, 0, timestamp >> 32, timestamp & 0xFFFFFFFF, len(data), len(data))
    return block(order, PB, header + data)


def payload(length, seed):
    return bytes((seed + 7 * i) & 0xFF for i in range(length))


def pcapng_sections_interfaces():
    le, be = "<", ">"
    out = shb(le)
    # Interface 0: Ethernet, snaplen 40, units of 2^-20 s, offset +100 s. Interface 1: raw IP, no options.
    out += idb(le, 1, 40, option(le, OPT_TSRESOL, bytes([0x80 | 20])), option(le, OPT_TSOFFSET, struct.pack(le + "q", 100)))
    out += idb(le, 101, 0)
    out += epb(le, 0, (1_700_000_000 << 20) + (1 << 19), payload(40, 1), original_length=1514)
    out += block(le, NRB, struct.pack(le + "HH", 0, 0))
    out += epb(le, 1, 1_700_000_000_123_456, payload(60, 2))
    out += block(le, 0x00000099, b"unknown block type")
    out += spb(le, 60, payload(40, 3))                # 60 on the wire, 40 kept (interface 0's snaplen)
    out += packet_block(le, 1, 1_700_000_001_000_000, payload(28, 4))
    out += epb(le, 1, 1_700_000_002_000_000, payload(48, 5), original_length=30)  # captured > original
    out += block(le, ISB, struct.pack(le + "III", 1, 0, 0) + options(le))
    out += shb(be)
    # New section: the interface list starts again. Interface 0: IPv4, 10^-9 s. Interface 1: Ethernet, 10^-12 s.
    out += idb(be, 228, 0, option(be, OPT_TSRESOL, bytes([9])))
    out += epb(be, 0, 1_700_000_003_123_456_789, payload(64, 6))
    out += idb(be, 1, 262144, option(be, OPT_TSRESOL, bytes([12])))
    # 2^64 units of 10^-12 s span 213 days. The fraction stays below 0.018 s: beyond it, tshark 4.0 overflows
    # computing fraction * 10^9 and prints a wrong time.
    out += epb(be, 1, 12_345_678_012_345_678_912, payload(70, 7))
    out += spb(be, 52, payload(52, 8))
    out += epb(be, 0, 1_700_000_005_000_000_001, payload(33, 9))
    return out


def swap_pcap(data):
    """Rewrites a little-endian classic pcap file in big-endian byte order."""
    magic, = struct.unpack_from("<I", data, 0)
    if magic not in (0xA1B2C3D4, 0xA1B23C4D):
        raise ValueError("not a little-endian pcap file")
    out = bytearray(struct.pack(">IHHiIII", *struct.unpack_from("<IHHiIII", data, 0)))
    offset = 24
    while offset < len(data):
        fields = struct.unpack_from("<IIII", data, offset)
        out += struct.pack(">IIII", *fields)
        out += data[offset + 16:offset + 16 + fields[2]]
        offset += 16 + fields[2]
    return bytes(out)


def main():
    directory = sys.argv[1]
    with open(os.path.join(directory, "synthetic__pcapng-sections-interfaces.pcapng"), "wb") as f:
        f.write(pcapng_sections_interfaces())
    for source, target in (("tcpdump__tests__ikev2four.pcap", "synthetic__big-endian-ikev2four.pcap"),
                           ("tcpdump__tests__tcp-handshake-nano.pcap", "synthetic__big-endian-tcp-handshake-nano.pcap")):
        with open(os.path.join(directory, source), "rb") as f:
            swapped = swap_pcap(f.read())
        with open(os.path.join(directory, target), "wb") as f:
            f.write(swapped)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Generate small SYNTHETIC ESP-NULL (RFC 4303 + RFC 2410) capture files.

Why: public captures with ESP-NULL are rare (see ../../README.md).
These files are made with known integrity keys, so the appliance's RFC 5879
heuristics and its ICV checking can be tested.
They are NOT from any public project and carry no third-party licence.

Usage (from this folder):
    /usr/bin/python3 gen_synthetic_esp_null.py .

Standard library only. Output is deterministic (fixed timestamps, keys, SPIs).
"""
import hashlib
import hmac
import os
import struct
import sys

KEY_SHA1 = bytes.fromhex("0102030405060708090a0b0c0d0e0f1011121314")  # 20 bytes
KEY_SHA256 = bytes(range(0x20, 0x40))  # 32 bytes
KEY_SHA512 = bytes(range(0x40, 0x80))  # 64 bytes

MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("020000000002")


def csum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\x00"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ipv4(src, dst, proto, payload, ident=1, ttl=64):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0x4000,
                      ttl, proto, 0, bytes(src), bytes(dst))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def ipv6(src, dst, nh, payload, hlim=64):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nh, hlim,
                       bytes(src), bytes(dst)) + payload


def l4_csum_v4(src, dst, proto, seg):
    pseudo = bytes(src) + bytes(dst) + struct.pack("!BBH", 0, proto, len(seg))
    return csum(pseudo + seg)


def l4_csum_v6(src, dst, nh, seg):
    pseudo = bytes(src) + bytes(dst) + struct.pack("!I3xB", len(seg), nh)
    return csum(pseudo + seg)


def udp(sport, dport, data, src=None, dst=None, v6=False):
    seg = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    if src is not None:
        c = l4_csum_v6(src, dst, 17, seg) if v6 else l4_csum_v4(src, dst, 17, seg)
        seg = seg[:6] + struct.pack("!H", c or 0xFFFF) + seg[8:]
    return seg


def tcp(sport, dport, seq, ack, flags, data, src, dst, v6=False):
    seg = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + data
    c = l4_csum_v6(src, dst, 6, seg) if v6 else l4_csum_v4(src, dst, 6, seg)
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def icmp_echo(ident, seq, data):
    msg = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + data
    return msg[:2] + struct.pack("!H", csum(msg)) + msg[4:]


def esp_null(spi, seq, next_header, inner, key, digest, icv_len):
    """ESP with NULL encryption: SPI|Seq|Payload|Padding(1,2,3..)|PadLen|NextHdr|ICV."""
    pad_len = (-(len(inner) + 2)) % 4          # 4-byte alignment (RFC 4303 2.4)
    padding = bytes(range(1, pad_len + 1))      # monotonic 1,2,3.. (RFC 4303 2.4)
    body = struct.pack("!II", spi, seq) + inner + padding + bytes([pad_len, next_header])
    icv = hmac.new(key, body, digest).digest()[:icv_len]
    return body + icv


def eth(payload, ethertype, vlan=None):
    if vlan is None:
        return MAC_B + MAC_A + struct.pack("!H", ethertype) + payload
    return MAC_B + MAC_A + struct.pack("!HHH", 0x8100, vlan, ethertype) + payload


def write_pcap(path, frames, linktype=1):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype))
        t0 = 1700000000
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", t0 + i, 0, len(fr), len(fr)) + fr)


def v4(a):
    return bytes(int(x) for x in a.split("."))


def v6(last):
    return bytes.fromhex("20010db8000000000000000000000000")[:15] + bytes([last])


def file1(outdir):
    """IPv4, ESP-NULL tunnel mode, HMAC-SHA1-96 (12-byte ICV)."""
    gw_a, gw_b = v4("198.51.100.1"), v4("198.51.100.2")
    h_a, h_b = v4("10.1.0.10"), v4("10.2.0.20")
    spi = 0x0000A001
    inners = [
        ipv4(h_a, h_b, 1, icmp_echo(0x1234, 1, b"esp-null-test-ping-01234567")),
        ipv4(h_a, h_b, 6, tcp(40000, 80, 1000, 0, 0x02, b"", h_a, h_b)),
        ipv4(h_a, h_b, 6, tcp(40000, 80, 1001, 5001, 0x18,
                                b"GET /esp-null HTTP/1.1\r\nHost: example.test\r\n\r\n", h_a, h_b)),
        ipv4(h_a, h_b, 17, udp(5353, 53, b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
                                 b"\x07example\x04test\x00\x00\x01\x00\x01", h_a, h_b)),
    ]
    frames = []
    for i, inner in enumerate(inners, start=1):
        e = esp_null(spi, i, 4, inner, KEY_SHA1, hashlib.sha1, 12)
        frames.append(eth(ipv4(gw_a, gw_b, 50, e, ident=i), 0x0800))
    write_pcap(os.path.join(outdir, "synthetic__esp-null_hmac-sha1-96_ipv4-tunnel.pcap"), frames)


def file2(outdir):
    """IPv4 UDP/4500 (RFC 3948) ESP-NULL transport mode, HMAC-SHA-256-128 (16-byte ICV),
    plus one NAT-keepalive (single 0xFF byte)."""
    a, b = v4("192.0.2.10"), v4("203.0.113.5")
    spi = 0x0000B002
    frames = [eth(ipv4(a, b, 17, udp(4500, 4500, b"\xff"), ident=1), 0x0800)]
    payloads = [
        (17, udp(5060, 5060, b"OPTIONS sip:probe@example.test SIP/2.0\r\nMax-Forwards: 70\r\n\r\n", a, b)),
        (6, tcp(50000, 443, 1, 0, 0x02, b"", a, b)),
    ]
    for i, (nh, seg) in enumerate(payloads, start=1):
        e = esp_null(spi, i, nh, seg, KEY_SHA256, hashlib.sha256, 16)
        frames.append(eth(ipv4(a, b, 17, udp(4500, 4500, e), ident=i + 1), 0x0800))
    write_pcap(os.path.join(outdir, "synthetic__esp-null_hmac-sha256-128_udpencap4500-transport.pcap"), frames)


def file3(outdir):
    """802.1Q-tagged Ethernet, IPv6, ESP-NULL transport mode, HMAC-SHA-512-256 (32-byte ICV)."""
    a, b = v6(1), v6(2)
    spi = 0x0000C003
    seg1 = tcp(51000, 22, 7, 0, 0x02, b"", a, b, v6=True)
    seg2 = udp(6000, 7, b"echo-over-esp-null-ipv6", a, b, v6=True)
    frames = []
    for i, (nh, seg) in enumerate([(6, seg1), (17, seg2)], start=1):
        e = esp_null(spi, i, nh, seg, KEY_SHA512, hashlib.sha512, 32)
        frames.append(eth(ipv6(a, b, 50, e), 0x86DD, vlan=100))
    write_pcap(os.path.join(outdir, "synthetic__esp-null_hmac-sha512-256_vlan-ipv6-transport.pcap"), frames)


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(outdir, exist_ok=True)
    file1(outdir)
    file2(outdir)
    file3(outdir)
    print("keys: sha1=%s sha256=%s sha512=%s" % (KEY_SHA1.hex(), KEY_SHA256.hex(), KEY_SHA512.hex()))


if __name__ == "__main__":
    main()

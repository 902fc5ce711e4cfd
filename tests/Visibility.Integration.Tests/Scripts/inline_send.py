#!/usr/bin/python3
"""Sends the inline-bridge test's frames from namespace A, at layer 2, and says which a drop rule should stop.

Usage: inline_send.py IFACE SRC_MAC DST_MAC OUT_JSON UDP_COUNT TCP_COUNT [CAPTURE...]

Every frame of each CAPTURE (ESP-NULL and encrypted ESP sessions) is sent as recorded, with only its Ethernet
addresses replaced (src SRC_MAC, dst DST_MAC; VLAN tags and everything after them kept); a capture of raw IP gets an
Ethernet header. Then UDP_COUNT datagrams 192.0.2.1:40000 -> 192.0.2.20:9999, every third one carrying "DROPME",
and TCP_COUNT segments 192.0.2.1:40001 -> 192.0.2.20:80. No destination is an address of namespace B, so B's kernel
answers nothing. Frames expected to be dropped: the "DROPME" datagrams, and the ESP-NULL frames whose cleartext
carries an HTTP request ("GET /", 10.1.0.10 -> 10.2.0.20:80), as the test's rules say.
Writes OUT_JSON: {"frames": [{"hex", "drop"}...], "total", "drop"} in sending order.
"""
import json
import sys

from scapy.all import IP, TCP, UDP, Ether, Raw, rdpcap, sendp

iface, src_mac, dst_mac, out_json, udp_count, tcp_count = sys.argv[1:7]
captures = sys.argv[7:]


def mac(text):
    return bytes.fromhex(text.replace(":", ""))


header = mac(dst_mac) + mac(src_mac)
frames = []
for capture in captures:
    for packet in rdpcap(capture):
        raw = bytes(packet)
        if isinstance(packet, Ether):
            raw = header + raw[12:]
        else:
            version = raw[0] >> 4
            raw = header + (b"\x08\x00" if version == 4 else b"\x86\xdd") + raw
        frames.append({"raw": raw, "drop": b"GET /" in raw and "esp-null" in capture})

for i in range(int(udp_count)):
    marked = i % 3 == 0
    payload = (b"DROPME-%02d" if marked else b"keep-%02d") % i
    packet = Ether(src=src_mac, dst=dst_mac) / IP(src="192.0.2.1", dst="192.0.2.20") / UDP(sport=40000, dport=9999) / Raw(payload)
    frames.append({"raw": bytes(packet), "drop": marked})
for i in range(int(tcp_count)):
    flags = "S" if i == 0 else "A"
    packet = Ether(src=src_mac, dst=dst_mac) / IP(src="192.0.2.1", dst="192.0.2.20") / TCP(sport=40001, dport=80, flags=flags, seq=1000 + i) / Raw(b"t" * 8)
    frames.append({"raw": bytes(packet), "drop": False})

sendp([Ether(f["raw"]) for f in frames], iface=iface, verbose=False)
with open(out_json, "w") as out:
    json.dump({
        "frames": [{"hex": f["raw"].hex(), "drop": f["drop"]} for f in frames],
        "total": len(frames),
        "drop": sum(1 for f in frames if f["drop"]),
    }, out)
print(json.dumps({"total": len(frames), "drop": sum(1 for f in frames if f["drop"])}))

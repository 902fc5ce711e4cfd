#!/usr/bin/python3
"""Sends the live-capture test's traffic from the peer's namespace, at layer 2 (no ARP, no routing).

Usage: send_traffic.py CAPTURE IFACE SRC_MAC DST_MAC UDP_COUNT TCP_COUNT

Every IPv4 packet of CAPTURE (a real IKEv2 + UDP-encapsulated ESP session) is re-addressed into TEST-NET-1:
the client becomes 192.0.2.1, each server 192.0.2.(10+n). Then UDP_COUNT datagrams 192.0.2.1:40000 ->
192.0.2.20:9999 and TCP_COUNT segments 192.0.2.1:40001 -> 192.0.2.20:80. No destination is a local address of
the sensor's namespace, so its kernel answers nothing and the sensor sees exactly what is sent here.
Prints one JSON object with what was sent, classified as RFC 3948 demultiplexes UDP 4500.
"""
import json
import sys

from scapy.all import IP, TCP, UDP, Ether, Raw, rdpcap, sendp

capture, iface, src_mac, dst_mac, udp_count, tcp_count = sys.argv[1:7]
udp_count = int(udp_count)
tcp_count = int(tcp_count)

client = "192.0.2.1"
addresses = {}


def server(address):
    if address not in addresses:
        addresses[address] = "192.0.2.%d" % (10 + len(addresses))
    return addresses[address]


frames = []
sent = {"esp_udp": 0, "ike": 0, "nat_keepalive": 0, "capture": 0}
first_client = None
for packet in rdpcap(capture):
    if IP not in packet:
        continue
    ip = packet[IP].copy()
    if first_client is None:
        first_client = ip.src
    ip.src = client if ip.src == first_client else server(ip.src)
    ip.dst = client if ip.dst == first_client else server(ip.dst)
    del ip.chksum
    if UDP in ip:
        del ip[UDP].chksum
        payload = bytes(ip[UDP].payload)
        if 4500 in (ip[UDP].sport, ip[UDP].dport):
            if payload == b"\xff":
                sent["nat_keepalive"] += 1
            elif payload[:4] == b"\x00\x00\x00\x00":
                sent["ike"] += 1
            else:
                sent["esp_udp"] += 1
        elif 500 in (ip[UDP].sport, ip[UDP].dport):
            sent["ike"] += 1
    frames.append(Ether(src=src_mac, dst=dst_mac) / ip)
    sent["capture"] += 1

for i in range(udp_count):
    frames.append(Ether(src=src_mac, dst=dst_mac) / IP(src=client, dst="192.0.2.20") / UDP(sport=40000, dport=9999) / Raw(b"v" * (16 + i)))
for i in range(tcp_count):
    flags = "S" if i == 0 else "A"
    frames.append(Ether(src=src_mac, dst=dst_mac) / IP(src=client, dst="192.0.2.20") / TCP(sport=40001, dport=80, flags=flags, seq=1000 + i) / Raw(b"t" * 8))

sendp(frames, iface=iface, verbose=False)
sent.update({"udp": udp_count, "tcp": tcp_count, "total": len(frames)})
print(json.dumps(sent))

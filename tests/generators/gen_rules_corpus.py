#!/usr/bin/python3
"""Writes captures/synthetic/rules/: the same application traffic twice, plain (plain.pcap) and inside ESP-NULL
tunnel mode (esp-null.pcap, ENCR_NULL + HMAC-SHA2-256-128, one SA per direction), for the rule tests: the alerts on
the decapsulated traffic must equal the alerts on the plain traffic.

Traffic (client 10.1.0.10, server 10.2.0.20): an HTTP GET with Basic credentials, an FTP login (USER/PASS), a SIP
REGISTER with Digest credentials over UDP, a DNS query, and an ICMP echo. Deterministic: fixed timestamps, seeds, keys.
Run with Debian's python3 (scapy): /usr/bin/python3 tests/generators/gen_rules_corpus.py
"""
import os
from scapy.all import Ether, IP, TCP, UDP, ICMP, DNS, DNSQR, Raw, wrpcap
from scapy.layers.ipsec import SecurityAssociation, ESP

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "captures", "synthetic", "rules")
CLIENT, SERVER = "10.1.0.10", "10.2.0.20"
GW_C, GW_S = "192.0.2.1", "198.51.100.2"
KEY_OUT = bytes(range(0x20, 0x40))
KEY_IN = bytes(range(0x40, 0x60))
T0 = 1_700_000_000.0


def tcp_session(sport, dport, exchanges):
    """Handshake, then (direction, payload) exchanges, each acknowledged implicitly by sequence numbers."""
    c_seq, s_seq = 1000, 5000
    pkts = [IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=dport, flags="S", seq=c_seq),
            IP(src=SERVER, dst=CLIENT) / TCP(sport=dport, dport=sport, flags="SA", seq=s_seq, ack=c_seq + 1),
            IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=dport, flags="A", seq=c_seq + 1, ack=s_seq + 1)]
    c_seq += 1
    s_seq += 1
    for direction, data in exchanges:
        if direction == "c":
            pkts.append(IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=dport, flags="PA", seq=c_seq, ack=s_seq) / Raw(data))
            c_seq += len(data)
        else:
            pkts.append(IP(src=SERVER, dst=CLIENT) / TCP(sport=dport, dport=sport, flags="PA", seq=s_seq, ack=c_seq) / Raw(data))
            s_seq += len(data)
    return pkts


def traffic():
    pkts = []
    pkts += tcp_session(40000, 80, [
        ("c", b"GET /admin HTTP/1.1\r\nHost: intranet.example\r\nAuthorization: Basic YWxpY2U6V2ludGVyMjAyNCE=\r\n\r\n"),
        ("s", b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")])
    pkts += tcp_session(40001, 21, [
        ("s", b"220 ftp.example FTP server ready\r\n"),
        ("c", b"USER alice\r\n"),
        ("s", b"331 Password required\r\n"),
        ("c", b"PASS Winter2024!\r\n"),
        ("s", b"230 Logged in\r\n")])
    pkts.append(IP(src=CLIENT, dst=SERVER) / UDP(sport=5060, dport=5060) / Raw(
        b"REGISTER sip:example.org SIP/2.0\r\nVia: SIP/2.0/UDP 10.1.0.10:5060\r\nFrom: <sip:alice@example.org>\r\n"
        b"To: <sip:alice@example.org>\r\nCall-ID: 1@10.1.0.10\r\nCSeq: 2 REGISTER\r\n"
        b"Authorization: Digest username=\"alice\", realm=\"example.org\", nonce=\"abc\", uri=\"sip:example.org\", "
        b"response=\"0123456789abcdef0123456789abcdef\"\r\nContent-Length: 0\r\n\r\n"))
    pkts.append(IP(src=CLIENT, dst=SERVER) / UDP(sport=53000, dport=53) / DNS(rd=1, qd=DNSQR(qname="update.malware-c2.example")))
    pkts.append(IP(src=CLIENT, dst=SERVER) / ICMP(type=8, id=7, seq=1) / Raw(b"visibility-ping"))
    return [IP(bytes(p)) for p in pkts]


def main():
    os.makedirs(OUT, exist_ok=True)
    inner = traffic()
    out_sa = SecurityAssociation(ESP, spi=0x0000d001, crypt_algo="NULL", auth_algo="SHA2-256-128", auth_key=KEY_OUT,
                                 tunnel_header=IP(src=GW_C, dst=GW_S))
    in_sa = SecurityAssociation(ESP, spi=0x0000d002, crypt_algo="NULL", auth_algo="SHA2-256-128", auth_key=KEY_IN,
                                tunnel_header=IP(src=GW_S, dst=GW_C))
    plain, wrapped = [], []
    for i, p in enumerate(inner):
        ts = T0 + i * 0.01
        e = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / p
        e.time = ts
        plain.append(e)
        sa = out_sa if p[IP].src == CLIENT else in_sa
        w = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / sa.encrypt(p)
        w.time = ts
        wrapped.append(w)
    wrpcap(os.path.join(OUT, "plain.pcap"), plain)
    wrpcap(os.path.join(OUT, "esp-null.pcap"), wrapped)
    with open(os.path.join(OUT, "esp_sa"), "w") as f:
        f.write(f'"IPv4","{GW_C}","{GW_S}","0x0000d001","NULL","","HMAC-SHA-256-128 [RFC4868]","0x{KEY_OUT.hex()}"\n')
        f.write(f'"IPv4","{GW_S}","{GW_C}","0x0000d002","NULL","","HMAC-SHA-256-128 [RFC4868]","0x{KEY_IN.hex()}"\n')
    print(f"{len(plain)} packets each")


if __name__ == "__main__":
    main()

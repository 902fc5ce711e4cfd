#!/usr/bin/python3
"""Builds deterministic IKEv2 messages with SK/SKF payloads for the decryption tests.

Each vector is an IKE message encrypted from the RFC formulas with the Python `cryptography`
package (an implementation independent of the .NET one under test):
  * AES-CBC (RFC 3602) / AES-CTR (RFC 5930: counter block = nonce | IV | counter from 1) /
    ENCR_NULL with HMAC ICV over the whole message through Pad Length (RFC 7296 3.14);
  * AES-GCM (RFC 5282: nonce = salt | IV, AAD = IKE header .. SK generic header, or .. Total
    Fragments for SKF (RFC 7383 2.5); 8/12-octet ICVs are the truncated 16-octet tag).
It writes vectors/ikev2-sk-vectors.pcap (one message per frame), vectors/ikev2_decryption_table
(Wireshark UAT rows with the keys) and vectors/ikev2-sk-vectors.plain.json (the expected inner
payloads). regenerate.sh then asks tshark to decrypt the pcap with the same table, so the C# tests
compare against an outside decryption.

Run with the Debian python (scapy + cryptography): /usr/bin/python3 make_sk_vectors.py
"""
import hashlib
import hmac
import json
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from scapy.all import Ether, IP, IPv6, UDP, Raw, wrpcap

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "vectors")


def det(label, n):
    """Deterministic pseudo-random bytes."""
    out = b""
    i = 0
    while len(out) < n:
        out += hashlib.sha256(f"{label}/{i}".encode()).digest()
        i += 1
    return out[:n]


def payload(next_type, body, critical=False):
    return struct.pack("!BBH", next_type, 0x80 if critical else 0, 4 + len(body)) + body


def chain(items):
    """items: list of (type, body); returns (first type, bytes)."""
    out = b""
    for i, (t, body) in enumerate(items):
        nxt = items[i + 1][0] if i + 1 < len(items) else 0
        out += payload(nxt, body)
    return (items[0][0] if items else 0), out


def notify(ntype, data=b"", proto=0, spi=b""):
    return (41, struct.pack("!BBH", proto, len(spi), ntype) + spi + data)


def ident(kind, id_type, data):
    return (kind, struct.pack("!B3x", id_type) + data)


def ts(kind, start, end):
    sel = struct.pack("!BBHHH", 7, 0, 16, 0, 65535) + bytes(start) + bytes(end)
    return (kind, struct.pack("!B3x", 1) + sel)


def esp_sa(spi):
    transforms = [
        struct.pack("!BBHBBH", 3, 0, 12, 1, 0, 20) + struct.pack("!HH", 0x800E, 256),
        struct.pack("!BBHBBH", 0, 0, 8, 5, 0, 0),
    ]
    body = b"".join(transforms)
    prop = struct.pack("!BBHBBBB", 0, 0, 8 + 4 + len(body), 1, 3, 4, 2) + spi + body
    return (33, prop)


def header(spi_i, spi_r, next_type, exchange, flags, msgid, length):
    return spi_i + spi_r + struct.pack("!BBBBII", next_type, 0x20, exchange, flags, msgid, length)


SUITES = {
    # name: (wireshark encr, wireshark integ, cipher, key bits, salt, iv, icv, integ hash, integ key len)
    "aes-gcm-16-128": ("AES-GCM-128 with 16 octet ICV [RFC5282]", "NONE [RFC4306]", "gcm", 128, 4, 8, 16, None, 0),
    "aes-gcm-12-192": ("AES-GCM-192 with 12 octet ICV [RFC5282]", "NONE [RFC4306]", "gcm", 192, 4, 8, 12, None, 0),
    "aes-gcm-8-256": ("AES-GCM-256 with 8 octet ICV [RFC5282]", "NONE [RFC4306]", "gcm", 256, 4, 8, 8, None, 0),
    "aes-ctr-128-sha256": ("AES-CTR-128 [RFC5930]", "HMAC_SHA2_256_128 [RFC4868]", "ctr", 128, 4, 8, 16, "sha256", 32),
    "aes-ctr-256-sha384": ("AES-CTR-256 [RFC5930]", "HMAC_SHA2_384_192 [RFC4868]", "ctr", 256, 4, 8, 24, "sha384", 48),
    "aes-cbc-256-sha512": ("AES-CBC-256 [RFC3602]", "HMAC_SHA2_512_256 [RFC4868]", "cbc", 256, 0, 16, 32, "sha512", 64),
    "aes-cbc-128-sha1": ("AES-CBC-128 [RFC3602]", "HMAC_SHA1_96 [RFC2404]", "cbc", 128, 0, 16, 12, "sha1", 20),
    "null-sha256": ("NULL [RFC2410]", "HMAC_SHA2_256_128 [RFC4868]", "null", 0, 0, 0, 16, "sha256", 32),
}


class Sa:
    def __init__(self, name, index):
        self.name = name
        (self.encr_name, self.integ_name, self.cipher, self.bits, self.salt_len, self.iv_len,
         self.icv_len, self.hash, self.integ_len) = SUITES[name]
        self.spi_i = det(f"{name}/spi-i", 8)
        self.spi_r = det(f"{name}/spi-r", 8)
        key_len = self.bits // 8 + self.salt_len
        self.sk_ei = det(f"{name}/sk_ei", key_len)
        self.sk_er = det(f"{name}/sk_er", key_len)
        self.sk_ai = det(f"{name}/sk_ai", self.integ_len)
        self.sk_ar = det(f"{name}/sk_ar", self.integ_len)
        self.index = index

    def uat_row(self):
        return ",".join([self.spi_i.hex(), self.spi_r.hex(), self.sk_ei.hex(), self.sk_er.hex(),
                         f'"{self.encr_name}"', self.sk_ai.hex(), self.sk_ar.hex(), f'"{self.integ_name}"'])

    def keys(self, initiator):
        return (self.sk_ei, self.sk_ai) if initiator else (self.sk_er, self.sk_ar)

    def plaintext(self, inner, pad_len):
        return inner + det(f"{self.name}/pad/{len(inner)}", pad_len) + bytes([pad_len])

    def pad_for(self, inner, extra):
        if self.cipher == "cbc":
            pad = (16 - (len(inner) + 1) % 16) % 16
            return pad + (16 if extra else 0)
        return 3 if extra else 0

    def encrypt(self, first_type, exchange, flags, msgid, inner, clear_items=(), label="m",
                fragment=None, extra_pad=False):
        """Returns the IKE message. fragment=(number, total) makes an SKF payload."""
        initiator = bool(flags & 0x08)
        ek, ak = self.keys(initiator)
        pad_len = self.pad_for(inner, extra_pad)
        plain = self.plaintext(inner, pad_len)
        iv = det(f"{self.name}/{label}/iv", self.iv_len)
        sk_type = 53 if fragment else 46
        sk_hdr_extra = struct.pack("!HH", *fragment) if fragment else b""
        body_len = len(sk_hdr_extra) + self.iv_len + len(plain) + self.icv_len
        # The last clear payload names SK/SKF as its next payload.
        if clear_items:
            # Chain the clear payloads with a placeholder SK so the last one names SK/SKF, then drop the placeholder.
            first, clear = chain(list(clear_items) + [(sk_type, b"")])
            clear = clear[:-4]
        else:
            first, clear = sk_type, b""
        sk_generic = struct.pack("!BBH", first_type, 0, 4 + body_len)
        total = 28 + len(clear) + 4 + body_len
        hdr = header(self.spi_i, self.spi_r, first, exchange, flags, msgid, total)
        aad = hdr + clear + sk_generic + sk_hdr_extra
        if self.cipher == "gcm":
            key, salt = ek[:-4], ek[-4:]
            ct_tag = AESGCM(key).encrypt(salt + iv, plain, aad)
            ct, tag = ct_tag[:-16], ct_tag[-16:]
            return aad + iv + ct + tag[:self.icv_len]
        if self.cipher == "ctr":
            key, nonce = ek[:-4], ek[-4:]
            enc = Cipher(algorithms.AES(key), modes.CTR(nonce + iv + b"\x00\x00\x00\x01")).encryptor()
            ct = enc.update(plain) + enc.finalize()
        elif self.cipher == "cbc":
            enc = Cipher(algorithms.AES(ek), modes.CBC(iv)).encryptor()
            ct = enc.update(plain) + enc.finalize()
        else:
            ct = plain
        signed = aad + iv + ct
        icv = hmac.new(ak, signed, self.hash).digest()[:self.icv_len]
        return signed + icv


def ike_auth_request(sa):
    return [
        ident(35, 2, b"initiator.example"),
        notify(16384),
        ident(36, 2, b"gw.example"),
        (39, struct.pack("!B3x", 2) + det(f"{sa.name}/auth-i", 32)),
        esp_sa(det(f"{sa.name}/esp-i", 4)),
        ts(44, [10, 1, 0, 0], [10, 1, 255, 255]),
        ts(45, [10, 2, 0, 0], [10, 2, 255, 255]),
        notify(16419, det(f"{sa.name}/qcd", 32), proto=1),
        notify(16420),
    ]


def ike_auth_response(sa):
    gw = bytes([0x20, 0x01, 0x0d, 0xb8] + [0] * 11 + [0x42])
    return [
        ident(36, 2, b"gw.example"),
        (39, struct.pack("!B3x", 2) + det(f"{sa.name}/auth-r", 32)),
        esp_sa(det(f"{sa.name}/esp-r", 4)),
        ts(44, [10, 1, 0, 0], [10, 1, 255, 255]),
        ts(45, [10, 2, 0, 0], [10, 2, 255, 255]),
        notify(16407, struct.pack("!BB", 2, 16) + gw),
    ]


def informational_sync(sa):
    return [
        notify(16422, struct.pack("!III", 0x1234ABCD, 1000, 2000)),
        notify(16423, struct.pack("!I", 10000)),
        (42, struct.pack("!BBH", 3, 4, 2) + det(f"{sa.name}/del", 8)),
    ]


def build():
    os.makedirs(OUT, exist_ok=True)
    frames = []
    expected = []
    rows = []
    for index, name in enumerate(SUITES):
        sa = Sa(name, index)
        rows.append(sa.uat_row())
        msgs = []
        inner = ike_auth_request(sa)
        first, data = chain(inner)
        msgs.append(("IKE_AUTH request", sa.encrypt(first, 35, 0x08, 1, data, label="auth-i", extra_pad=True), inner, 0x08))
        inner = ike_auth_response(sa)
        first, data = chain(inner)
        msgs.append(("IKE_AUTH response", sa.encrypt(first, 35, 0x20, 1, data, label="auth-r"), inner, 0x20))
        inner = informational_sync(sa)
        first, data = chain(inner)
        msgs.append(("INFORMATIONAL request", sa.encrypt(first, 37, 0x08, 0, data, label="info",
                                                         clear_items=[(43, det(f"{sa.name}/vid", 16))]), inner, 0x08))
        if sa.cipher == "gcm" or name == "aes-cbc-128-sha1":
            # RFC 7383: the inner chain of one message cut in two SKF fragments.
            inner = ike_auth_request(sa)
            first, data = chain(inner)
            cut = len(data) // 2
            msgs.append(("IKE_AUTH request fragment 1/2",
                         sa.encrypt(first, 35, 0x08, 2, data[:cut], label="frag1", fragment=(1, 2)), inner, 0x08))
            msgs.append(("IKE_AUTH request fragment 2/2",
                         sa.encrypt(0, 35, 0x08, 2, data[cut:], label="frag2", fragment=(2, 2)), None, 0x08))
        for j, (what, msg, inner, flags) in enumerate(msgs):
            port = 4500 if (index + j) % 2 else 500
            udp_payload = (b"\x00\x00\x00\x00" + msg) if port == 4500 else msg
            src, dst = ("192.0.2.1", "198.51.100.1") if flags & 0x08 else ("198.51.100.1", "192.0.2.1")
            pkt = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IP(src=src, dst=dst, id=0) / \
                UDP(sport=port, dport=port) / Raw(udp_payload)
            pkt.time = 1700000000 + len(frames)
            frames.append(pkt)
            expected.append({
                "frame": len(frames),
                "suite": name,
                "what": what,
                "port": port,
                "inner_payloads": [t for t, _ in inner] if inner else None,
                "inner_notify": [struct.unpack("!H", b[2:4])[0] for t, b in inner if t == 41] if inner else None,
            })
    wrpcap(os.path.join(OUT, "ikev2-sk-vectors.pcap"), frames)
    with open(os.path.join(OUT, "ikev2_decryption_table"), "w") as f:
        f.write("# Keys of ikev2-sk-vectors.pcap, written by make_sk_vectors.py (Wireshark UAT format).\n")
        for row in rows:
            f.write(row + "\n")
    with open(os.path.join(OUT, "ikev2-sk-vectors.plain.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    build()

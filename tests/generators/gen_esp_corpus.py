#!/usr/bin/env python3
"""Generate the labelled synthetic ESP / WESP corpus in captures/synthetic/esp/.

Every capture is a classic pcap (Ethernet, microsecond timestamps, fixed start time) built from a fixed
seed, so two runs give byte-identical files. Next to the captures the generator writes:

  truth.jsonl          one JSON object per security association (SA) of the whole corpus (schema in README.md)
  <name>.inner.pcap    raw-IP (link type 101) pcap of the cleartext packets a decapsulating sensor exports
                       from the NULL SAs of <name>.pcap (tunnel: the inner IP packet; transport: an IP header
                       built from the outer one, protocol = ESP next header, lengths and IPv4 checksum fixed,
                       then the protected payload)
  esp_sa               Wireshark's ESP SA table (UAT) with every SA whose algorithms Wireshark 4.0 knows

ESP packets are built from their parts (RFC 4303 section 2): the scapy SecurityAssociation machinery does the
ciphers and HMAC/CMAC, ENCR_NULL_AUTH_AES_GMAC (RFC 4543) is computed with the `cryptography` AES-GCM
primitive, and WESP headers (RFC 5840) are written by hand. Outer IP/UDP headers are built here as well:
scapy's SecurityAssociation writes a UDP length of 8 for IPv4 ESP-in-UDP and has no GMAC or WESP.

Usage (from the repository root):
    /usr/bin/python3 tests/generators/gen_esp_corpus.py [OUTDIR]
"""
import hashlib
import hmac
import json
import os
import random
import struct
import sys
from math import gcd

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from scapy.layers.inet import ICMP, IP, TCP, UDP
from scapy.layers.inet6 import ICMPv6EchoReply, ICMPv6EchoRequest, IPv6
from scapy.layers.ipsec import ESP, SecurityAssociation, _ESPPlain
from scapy.packet import Raw, raw

SEED = 5879
T0 = 1_700_000_000  # fixed capture start, seconds

# --------------------------------------------------------------------------------------------------
# Algorithms. key = encryption key length in octets INCLUDING the salt/nonce where the RFC appends one.
# ws = Wireshark 4.0 ESP SA table name, None when Wireshark cannot decrypt/check it.

ENCR = {
    "NULL": dict(ikev2="ENCR_NULL", scapy="NULL", key=0, salt=0, iv=0, block=1, icv=None, ws="NULL"),
    "AES-CBC-128": dict(ikev2="ENCR_AES_CBC", scapy="AES-CBC", key=16, salt=0, iv=16, block=16, icv=None,
                        ws="AES-CBC [RFC3602]"),
    "AES-CBC-256": dict(ikev2="ENCR_AES_CBC", scapy="AES-CBC", key=32, salt=0, iv=16, block=16, icv=None,
                        ws="AES-CBC [RFC3602]"),
    "AES-CTR-128": dict(ikev2="ENCR_AES_CTR", scapy="AES-CTR", key=20, salt=4, iv=8, block=1, icv=None,
                        ws="AES-CTR [RFC3686]"),
    "AES-GCM-16-128": dict(ikev2="ENCR_AES_GCM_16", scapy="AES-GCM", key=20, salt=4, iv=8, block=1, icv=16,
                           ws="AES-GCM with 16 octet ICV [RFC4106]"),
    "AES-GCM-16-256": dict(ikev2="ENCR_AES_GCM_16", scapy="AES-GCM", key=36, salt=4, iv=8, block=1, icv=16,
                           ws="AES-GCM with 16 octet ICV [RFC4106]"),
    "AES-GCM-12-128": dict(ikev2="ENCR_AES_GCM_12", scapy="AES-GCM", key=20, salt=4, iv=8, block=1, icv=12,
                           ws="AES-GCM with 12 octet ICV [RFC4106]"),
    "AES-GCM-8-128": dict(ikev2="ENCR_AES_GCM_8", scapy="AES-GCM", key=20, salt=4, iv=8, block=1, icv=8,
                          ws="AES-GCM with 8 octet ICV [RFC4106]"),
    "AES-CCM-16-128": dict(ikev2="ENCR_AES_CCM_16", scapy="AES-CCM", key=19, salt=3, iv=8, block=1, icv=16,
                           ws=None),
    "CHACHA20-POLY1305": dict(ikev2="ENCR_CHACHA20_POLY1305", scapy="CHACHA20-POLY1305", key=36, salt=4, iv=8,
                              block=1, icv=16, ws=None),
    "NULL-AUTH-AES-GMAC-128": dict(ikev2="ENCR_NULL_AUTH_AES_GMAC", scapy=None, key=20, salt=4, iv=8, block=1,
                                   icv=16, ws=None),
}
NULL_ENCR = ("NULL", "NULL-AUTH-AES-GMAC-128")

INTEG = {
    "NONE": dict(ikev2="NONE", scapy=None, key=0, icv=0, ws="NULL"),
    "HMAC-MD5-96": dict(ikev2="AUTH_HMAC_MD5_96", scapy="HMAC-MD5-96", key=16, icv=12, ws="HMAC-MD5-96 [RFC2403]"),
    "HMAC-SHA1-96": dict(ikev2="AUTH_HMAC_SHA1_96", scapy="HMAC-SHA1-96", key=20, icv=12,
                         ws="HMAC-SHA-1-96 [RFC2404]"),
    "AES-CMAC-96": dict(ikev2="AUTH_AES_CMAC_96", scapy="AES-CMAC-96", key=16, icv=12, ws=None),
    "HMAC-SHA2-256-128": dict(ikev2="AUTH_HMAC_SHA2_256_128", scapy="SHA2-256-128", key=32, icv=16,
                              ws="HMAC-SHA-256-128 [RFC4868]"),
    "HMAC-SHA2-384-192": dict(ikev2="AUTH_HMAC_SHA2_384_192", scapy="SHA2-384-192", key=48, icv=24,
                              ws="HMAC-SHA-384-192 [RFC4868]"),
    "HMAC-SHA2-512-256": dict(ikev2="AUTH_HMAC_SHA2_512_256", scapy="SHA2-512-256", key=64, icv=32,
                              ws="HMAC-SHA-512-256 [RFC4868]"),
}

# Fake NULL trailer written into encrypted decoys: padding 01 02, Pad Length 2, Next Header 6 (TCP).
FAKE_TRAILER = bytes([1, 2, 2, 6])


def csum16(data):
    if len(data) % 2:
        data += b"\x00"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ipv4_header(src, dst, proto, payload_len, ident, ttl=64, tos=0, flags_frag=0):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, tos, 20 + payload_len, ident, flags_frag, ttl, proto, 0,
                      src, dst)
    return hdr[:10] + struct.pack("!H", csum16(hdr)) + hdr[12:]


def ipv6_header(src, dst, nh, payload_len, hlim=64, first_word=0x60000000):
    return struct.pack("!IHBB16s16s", first_word, payload_len, nh, hlim, src, dst)


def udp_header(src, dst, sport, dport, payload, v6):
    length = 8 + len(payload)
    if not v6:
        # RFC 3948 section 2.1: the IPv4 UDP checksum of ESP-in-UDP SHOULD be sent as zero.
        return struct.pack("!HHHH", sport, dport, length, 0)
    pseudo = src + dst + struct.pack("!I3xB", length, 17)
    c = csum16(pseudo + struct.pack("!HHHH", sport, dport, length, 0) + payload) or 0xFFFF
    return struct.pack("!HHHH", sport, dport, length, c)


def aton(addr):
    import ipaddress
    return ipaddress.ip_address(addr).packed


def mac_for(addr):
    return b"\x02\x00" + aton(addr)[-4:]


# --------------------------------------------------------------------------------------------------
# Capture writer (classic pcap, microseconds, little endian).

def write_pcap(path, records, linktype):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, linktype))
        for ts_us, data in records:
            f.write(struct.pack("<IIII", ts_us // 1_000_000, ts_us % 1_000_000, len(data), len(data)) + data)


# --------------------------------------------------------------------------------------------------
# Security associations.

class Sa:
    """One ESP SA (one direction) and everything the truth file says about it."""

    def __init__(self, corpus, name, src, dst, encr="NULL", integ="HMAC-SHA1-96", mode="tunnel", encap="esp",
                 sport=None, dport=None, first_seq=1, padding="default", wesp_e=None, cases=()):
        self.corpus = corpus
        self.rng = random.Random("%d/%s" % (SEED, name))
        self.name = name
        self.src, self.dst = src, dst
        self.v6 = ":" in src
        self.encr, self.integ = encr, integ
        e, a = ENCR[encr], INTEG[integ]
        if e["icv"] is not None:
            assert integ == "NONE", "combined-mode cipher %s takes no integrity transform" % encr
        self.icv_len = e["icv"] if e["icv"] is not None else a["icv"]
        self.iv_len = e["iv"]
        self.block = e["block"]
        self.mode, self.encap = mode, encap
        if encap in ("udp", "wesp-udp"):
            self.sport, self.dport = sport or 4500, dport or 4500
        else:
            self.sport = self.dport = None
        self.spi = corpus.new_spi(self.rng)
        self.seq = first_seq
        self.first_seq = first_seq
        self.padding = padding
        self.wesp_e = wesp_e
        self.cases = list(cases)
        self.enc_key = bytes(self.rng.getrandbits(8) for _ in range(e["key"]))
        self.integ_key = bytes(self.rng.getrandbits(8) for _ in range(a["key"]))
        self.verdict = "null" if encr in NULL_ENCR else "encrypted"
        if e["scapy"]:
            self.scapy_sa = SecurityAssociation(ESP, spi=self.spi, crypt_algo=e["scapy"],
                                                crypt_key=self.enc_key or None,
                                                auth_algo=a["scapy"], auth_key=self.integ_key or None)
        else:
            self.scapy_sa = SecurityAssociation(ESP, spi=self.spi, crypt_algo="NULL", auth_algo=a["scapy"],
                                                auth_key=self.integ_key or None)
        self.packets = []        # dicts, one per ESP packet, in capture order
        self.anomalies = []      # expected decode anomalies (frame, event)
        self.wesp_info = None
        self.wesp_prefix_len = 0
        self.next_ip_id = self.rng.randrange(1, 0x8000)
        corpus.sas.append(self)

    # ---- ESP -------------------------------------------------------------------------------------

    def default_pad_len(self, data_len):
        align = self.block * 4 // gcd(self.block, 4)
        return (-(self.iv_len + data_len + 2)) % align if self.block == 1 else (-(data_len + 2)) % align

    def pad_len_for(self, data_len):
        base = self.default_pad_len(data_len)
        if self.padding == "default":
            return base
        align = self.block * 4 // gcd(self.block, 4)
        # RFC 4303 section 2.4 allows 0..255 octets of padding; choose any aligned length.
        choices = list(range(base, 256, align))
        return self.rng.choice(choices)

    def esp_packet(self, payload, nh, tfc=b"", pad_len=None, doctor=None):
        """SPI .. ICV of one ESP packet. doctor: None, 'icv' (fake trailer right before the real ICV) or an
        int g (fake trailer where an ICV of g octets would start; the packet stays fully valid)."""
        seq = self.seq
        self.seq += 1
        iv = bytes(self.rng.getrandbits(8) for _ in range(self.iv_len))
        data = payload + tfc
        if pad_len is None:
            pad_len = self.pad_len_for(len(data))
        padding = bytes(range(1, pad_len + 1))
        plain = data + padding + bytes([pad_len, nh])
        if isinstance(doctor, int):
            plain = self._steer_keystream(seq, iv, plain, doctor, len(payload))
        out = self._seal(seq, iv, plain)
        if doctor == "icv":
            out = self._doctor_at_icv(seq, iv, plain, out)
        return out, seq, pad_len

    def _seal(self, seq, iv, plain):
        e = ENCR[self.encr]
        hdr = struct.pack("!II", self.spi, seq)
        if self.encr == "NULL-AUTH-AES-GMAC-128":
            # RFC 4543 section 3: AES-GCM with an empty plaintext, nonce = salt || IV,
            # AAD = SPI || Sequence Number || IV || payload || padding || Pad Length || Next Header.
            key, salt = self.enc_key[:-4], self.enc_key[-4:]
            body = hdr + iv + plain
            return body + AESGCM(key).encrypt(salt + iv, b"", body)
        sa = self.scapy_sa
        esp = _ESPPlain(spi=self.spi, seq=seq, iv=iv, data=Raw(plain[:-2]), padding=b"", padlen=plain[-2],
                        nh=plain[-1])
        esp = sa.crypt_algo.encrypt(sa, esp, sa.crypt_key, sa.crypt_icv_size)
        if e["icv"] is not None and e["icv"] < 16:
            # scapy's AEAD path always appends the 16-octet tag; RFC 4106 ICVs of 8/12 are its leading octets.
            esp.data = esp.data[:-16] + esp.data[-16:][:e["icv"]]
        sa.auth_algo.sign(esp, sa.auth_key)
        return raw(esp)

    def _keystream(self, seq, iv, n):
        """Keystream of a stream/AEAD cipher: the ciphertext of n zero octets."""
        sa = self.scapy_sa
        esp = _ESPPlain(spi=self.spi, seq=seq, iv=iv, data=Raw(bytes(n - 2)), padding=b"", padlen=0, nh=0)
        esp = sa.crypt_algo.encrypt(sa, esp, sa.crypt_key, sa.crypt_icv_size)
        return esp.data[len(iv):len(iv) + n]

    def _doctor_at_icv(self, seq, iv, plain, sealed):
        """Make the last 4 ciphertext octets before the ICV read 01 02 02 06 and keep the ICV valid."""
        e = ENCR[self.encr]
        n = len(sealed)
        pos = n - self.icv_len - 4
        assert self.encr != "NULL"
        if e["block"] > 1:
            # CBC: change the ciphertext itself and sign again (decryption then yields a garbled last block).
            body = sealed[:pos] + FAKE_TRAILER
            esp = ESP(spi=self.spi, seq=seq, data=body[8:])
            self.scapy_sa.auth_algo.sign(esp, self.scapy_sa.auth_key)
            return raw(esp)
        # Stream and AEAD ciphers: C = P xor keystream, so flip the plaintext and seal again; the tag stays valid.
        ks = self._keystream(seq, iv, len(plain))
        cur = sealed[8 + len(iv):8 + len(iv) + len(plain)]
        p = bytearray(plain)
        for k in range(4):
            j = len(plain) - 4 + k
            p[j] = FAKE_TRAILER[k] ^ ks[j]
        out = self._seal(seq, iv, bytes(p))
        assert out[pos:pos + 4] == FAKE_TRAILER and cur != out[8 + len(iv):8 + len(iv) + len(plain)]
        return out

    def _steer_keystream(self, seq, iv, plain, guess, payload_len):
        """Choose payload-data octets so the ciphertext shows 01 02 02 06 where an ICV of `guess` octets
        would start. Only the inner packet's data area is touched; its checksum is fixed by the caller."""
        total = 8 + len(iv) + len(plain) + self.icv_len
        first = total - guess - 4 - 8 - len(iv)          # plaintext index of the fake padding
        assert 0 <= first and first + 4 <= payload_len, "fake trailer must fall inside the payload"
        ks = self._keystream(seq, iv, len(plain))
        p = bytearray(plain)
        for k in range(4):
            p[first + k] = FAKE_TRAILER[k] ^ ks[first + k]
        self._steered = (first, bytes(p[first:first + 4]))
        return bytes(p)

    # ---- outer packet ----------------------------------------------------------------------------

    def wesp_header(self, nh):
        """RFC 5840 section 2 header (with the IPv6 padding word when native over IPv6)."""
        native6 = self.v6 and self.encap == "wesp"
        flags = 0x10 if native6 else 0x00
        if self.wesp_e:
            hdr = bytes([0, 0, 0, flags | 0x20])
        else:
            hdr_len = 4 + (4 if native6 else 0) + 8 + self.iv_len
            hdr = bytes([nh, hdr_len, self.icv_len, flags])
        return hdr + (b"\x00\x00\x00\x00" if native6 else b"")

    def outer_ip(self, l4proto, payload, ident=None):
        src, dst = aton(self.src), aton(self.dst)
        if self.v6:
            return ipv6_header(src, dst, l4proto, len(payload)) + payload
        if ident is None:
            ident = self.next_ip_id
            self.next_ip_id = (self.next_ip_id + 1) & 0xFFFF
        return ipv4_header(src, dst, l4proto, len(payload), ident) + payload

    def carrier(self, esp, nh, wesp_override=None):
        """Outer IP packet carrying `esp` (with WESP and/or UDP as the SA says)."""
        prefix = b""
        if self.encap in ("wesp", "wesp-udp"):
            prefix = wesp_override if wesp_override is not None else self.wesp_header(nh)
            self.wesp_prefix_len = len(prefix)
            if self.wesp_info is None and wesp_override is None:
                self.wesp_info = dict(encrypted=bool(self.wesp_e), next_header=prefix[0], hdr_len=prefix[1],
                                      trailer_len=prefix[2], flags=prefix[3], padding_word=len(prefix) == 8)
        body = prefix + esp
        if self.encap in ("udp", "wesp-udp"):
            if self.encap == "wesp-udp":
                body = struct.pack("!I", 2) + body      # RFC 5840 section 2.1 protocol identifier
            udp = udp_header(aton(self.src), aton(self.dst), self.sport, self.dport, body, self.v6)
            return self.outer_ip(17, udp + body)
        return self.outer_ip(141 if self.encap == "wesp" else 50, body)

    def ether(self, ip_packet):
        et = 0x86DD if ip_packet[0] >> 4 == 6 else 0x0800
        return mac_for(self.dst) + mac_for(self.src) + struct.pack("!H", et) + ip_packet

    def export_header(self, outer_ip, payload_len, nh):
        """IP header a sensor writes in front of a transport-mode payload: built from the outer header,
        protocol/next header = ESP Next Header, lengths and IPv4 checksum fixed, fragment fields cleared."""
        if outer_ip[0] >> 4 == 4:
            tos, ident, ff, ttl = outer_ip[1], struct.unpack("!H", outer_ip[4:6])[0], \
                struct.unpack("!H", outer_ip[6:8])[0], outer_ip[8]
            return ipv4_header(outer_ip[12:16], outer_ip[16:20], nh, payload_len, ident, ttl=ttl, tos=tos,
                               flags_frag=ff & 0x4000)
        first_word = struct.unpack("!I", outer_ip[:4])[0]
        return ipv6_header(outer_ip[8:24], outer_ip[24:40], nh, payload_len, hlim=outer_ip[7],
                           first_word=first_word)

    # ---- packets ---------------------------------------------------------------------------------

    def send(self, inner, tfc=0, pad_len=None, doctor=None, fragment=None, wesp_override=None, anomaly=None,
             refill=None):
        """Queue one ESP packet. inner: a Payload. Returns the packet record."""
        nh, payload, inner_bytes = inner.encode(self)
        tfc_bytes = bytes(self.rng.getrandbits(8) for _ in range(tfc)) if tfc else b""
        if isinstance(doctor, int):
            # Data octets are chosen after the keystream is known; rebuild the inner packet around them.
            esp, seq, pl = self._doctored_valid(inner, doctor, tfc_bytes, pad_len)
            nh, payload, inner_bytes = inner.encode(self)
        else:
            esp, seq, pl = self.esp_packet(payload, nh, tfc_bytes, pad_len, doctor)
        outer = self.carrier(esp, nh, wesp_override)
        rec = dict(sa=self, seq=seq, nh=nh, pad_len=pl, payload=payload, inner_bytes=inner_bytes,
                   outer=outer, doctored=doctor, fragment=fragment, anomaly=anomaly, frames=[],
                   tfc=len(tfc_bytes), esp_len=len(esp))
        self.packets.append(rec)
        return rec

    def _doctored_valid(self, inner, guess, tfc_bytes, pad_len):
        # First pass: find where the fake trailer lands and which plaintext octets produce it.
        saved_seq = self.seq
        state = self.rng.getstate()
        nh, payload, _ = inner.encode(self)
        self.esp_packet(payload, nh, tfc_bytes, pad_len, doctor=guess)
        first, want = self._steered
        # Second pass: put those octets into the inner packet's data, fix its checksums, seal for real.
        inner.patch_data(first - (len(payload) - len(inner.data_bytes(self))), want)
        nh, payload, _ = inner.encode(self)
        self.seq = saved_seq
        self.rng.setstate(state)
        e_iv = self.iv_len
        seq = self.seq
        self.seq += 1
        iv = bytes(self.rng.getrandbits(8) for _ in range(e_iv))
        data = payload + tfc_bytes
        pl = self.pad_len_for(len(data)) if pad_len is None else pad_len
        plain = data + bytes(range(1, pl + 1)) + bytes([pl, nh])
        out = self._seal(seq, iv, plain)
        total = len(out)
        assert out[total - guess - 4:total - guess] == FAKE_TRAILER, "keystream steering failed"
        return out, seq, pl


# --------------------------------------------------------------------------------------------------
# Inner traffic. A Payload knows how to encode itself for an SA (tunnel: full inner IP packet; transport:
# the upper-layer segment with checksums over the OUTER addresses).

class Payload:
    def __init__(self, l4, inner_src=None, inner_dst=None, nh=None):
        self.l4 = l4                # scapy layer (TCP/UDP/ICMP/ICMPv6) or bytes for dummy packets
        self.inner_src, self.inner_dst = inner_src, inner_dst
        self.dummy_nh = nh

    def data_bytes(self, sa):
        return bytes(self.l4[Raw].load) if (not isinstance(self.l4, bytes) and self.l4.haslayer(Raw)) else b""

    def patch_data(self, offset, new):
        load = bytearray(self.l4[Raw].load)
        load[offset:offset + len(new)] = new
        self.l4[Raw].load = bytes(load)

    def encode(self, sa):
        if self.dummy_nh is not None:
            return self.dummy_nh, self.l4, None
        l4 = self.l4.copy()
        for layer in (TCP, UDP, ICMP):
            if l4.haslayer(layer):
                del l4[layer].chksum
        if l4.haslayer(UDP):
            del l4[UDP].len
        if l4.haslayer(ICMPv6EchoRequest):
            del l4[ICMPv6EchoRequest].cksum
        if l4.haslayer(ICMPv6EchoReply):
            del l4[ICMPv6EchoReply].cksum
        if sa.mode == "tunnel":
            src, dst = self.inner_src, self.inner_dst
            pkt = (IPv6(src=src, dst=dst, hlim=63) if ":" in src else IP(src=src, dst=dst, ttl=63, id=0x1234)) / l4
            b = raw(pkt)
            return (41 if ":" in src else 4), b, b
        pkt = (IPv6(src=sa.src, dst=sa.dst) if sa.v6 else IP(src=sa.src, dst=sa.dst)) / l4
        b = raw(pkt)
        hl = 40 if sa.v6 else 20
        return b[6] if sa.v6 else b[9], b[hl:], None


def rbytes(rng, n):
    return bytes(rng.getrandbits(8) for _ in range(n))


class Flow:
    """Deterministic generator of inner packets of one kind, for one direction."""

    def __init__(self, rng, kind, v6_l3, inner_src=None, inner_dst=None):
        self.rng, self.kind, self.v6 = rng, kind, v6_l3
        self.isrc, self.idst = inner_src, inner_dst
        self.sport = rng.randrange(32768, 61000)
        self.tseq = rng.getrandbits(32)
        self.tack = rng.getrandbits(32)
        self.icmp_id = rng.getrandbits(16)
        self.n = 0

    def p(self, l4):
        return Payload(l4, self.isrc, self.idst)

    def tcp(self, dport, flags, data=b"", ack=True):
        seg = TCP(sport=self.sport, dport=dport, seq=self.tseq, ack=self.tack if ack else 0, flags=flags,
                  window=64240)
        if data:
            seg = seg / Raw(data)
        self.tseq = (self.tseq + len(data) + (1 if "S" in flags else 0)) & 0xFFFFFFFF
        return self.p(seg)

    def next(self):
        rng, k = self.rng, self.kind
        self.n += 1
        n = self.n
        if k == "http":
            if n == 1:
                return self.tcp(80, "S", ack=False)
            if n == 2:
                return self.tcp(80, "A")
            if n == 3:
                return self.tcp(80, "PA", b"GET /status/%d HTTP/1.1\r\nHost: intranet.example\r\n"
                                          b"User-Agent: probe\r\n\r\n" % rng.randrange(1000))
            return self.tcp(80, "A")
        if k == "tls":
            if n == 1:
                return self.tcp(443, "A")
            size = rng.randrange(16, 96)
            rec = b"\x17\x03\x03" + struct.pack("!H", size) + rbytes(rng, size)
            return self.tcp(443, "PA", rec)
        if k == "dns":
            name = b"".join(bytes([len(x)]) + x for x in
                            [b"h%d" % rng.randrange(10000), b"corp", b"example"]) + b"\x00"
            q = struct.pack("!HHHHHH", rng.getrandbits(16), 0x0100, 1, 0, 0, 0) + name + b"\x00\x01\x00\x01"
            return self.p(UDP(sport=self.sport, dport=53) / Raw(q))
        if k == "ping":
            data = bytes((i + n) & 0xFF for i in range(32))
            if self.v6:
                return self.p(ICMPv6EchoRequest(id=self.icmp_id, seq=n, data=data))
            return self.p(ICMP(type=8, id=self.icmp_id, seq=n) / Raw(data))
        if k == "rtp":
            hdr = struct.pack("!BBHII", 0x80, 0, (1000 + n) & 0xFFFF, 160 * n, 0x5EED0001)
            return self.p(UDP(sport=16384, dport=16386) / Raw(hdr + rbytes(rng, rng.randrange(20, 80))))
        if k == "syslog":
            msg = b"<134>Nov 14 22:13:%02d host app[%d]: event %d ok" % (n % 60, rng.randrange(999), n)
            return self.p(UDP(sport=514, dport=514) / Raw(msg))
        if k == "tiny":
            return self.tcp(22, "A")
        raise ValueError(k)


def dummy(rng, n=None):
    """RFC 4303 section 2.6 dummy packet: Next Header 59, random payload."""
    return Payload(rbytes(rng, rng.randrange(0, 48) if n is None else n), nh=59)


# --------------------------------------------------------------------------------------------------
# Corpus.

class Corpus:
    def __init__(self, outdir):
        self.outdir = outdir
        self.sas = []
        self.spis = set()
        self.files = []

    def new_spi(self, rng):
        while True:
            spi = rng.getrandbits(32)
            if spi > 0xFFFF and spi not in self.spis:
                self.spis.add(spi)
                return spi

    def write_file(self, name, sequence, desc):
        """sequence: list of packet records (from Sa.send) or ('noise', ip_packet_bytes, ether_src_sa)."""
        frames, inner = [], []
        for item in sequence:
            if isinstance(item, tuple):
                _, ip, sa = item
                frames.append(sa.ether(ip))
                continue
            rec = item
            sa = rec["sa"]
            outer = rec["outer"]
            if rec["fragment"]:
                frags = fragment_ipv4(outer, rec["fragment"]["size"])
                order = list(range(len(frags)))
                if rec["fragment"].get("reverse"):
                    order.reverse()
                for i in order:
                    frames.append(sa.ether(frags[i]))
                    rec["frames"].append(len(frames))
            else:
                frames.append(sa.ether(outer))
                rec["frames"].append(len(frames))
            rec["file"] = name
            rec["ts"] = ts_of(len(frames))
            rec["export"] = self.export_bytes(rec)
            if sa.verdict == "null" and rec["nh"] != 59 and not rec.get("no_export"):
                inner.append((rec["ts"], rec["export"]))
                rec["inner_index"] = len(inner)
            rec["plain_export"] = None if rec["nh"] == 59 or rec["doctored"] == "icv" else rec["export"]
        write_pcap(os.path.join(self.outdir, name), [(ts_of(i + 1), f) for i, f in enumerate(frames)], 1)
        inner_name = None
        if inner:
            inner_name = name.replace(".pcap", ".inner.pcap")
            write_pcap(os.path.join(self.outdir, inner_name), inner, 101)
        self.files.append(dict(file=name, frames=len(frames), inner=inner_name, inner_packets=len(inner),
                               desc=desc))

    @staticmethod
    def export_bytes(rec):
        sa = rec["sa"]
        if sa.mode == "tunnel":
            return rec["inner_bytes"]
        return sa.export_header(rec["outer"], len(rec["payload"]), rec["nh"]) + rec["payload"]


def ts_of(frame_no):
    return T0 * 1_000_000 + frame_no * 1000


def fragment_ipv4(packet, size):
    """Split an IPv4 packet into fragments carrying `size` octets (multiple of 8) each."""
    hdr, payload = packet[:20], packet[20:]
    out = []
    for off in range(0, len(payload), size):
        chunk = payload[off:off + size]
        more = 0x2000 if off + size < len(payload) else 0
        ident = struct.unpack("!H", hdr[4:6])[0]
        out.append(ipv4_header(hdr[12:16], hdr[16:20], hdr[9], len(chunk), ident, ttl=hdr[8], tos=hdr[1],
                               flags_frag=more | (off // 8)) + chunk)
    return out


def interleave(rng, streams):
    """Merge packet lists keeping each list's order."""
    streams = [list(s) for s in streams if s]
    out = []
    while streams:
        weights = [len(s) for s in streams]
        i = rng.choices(range(len(streams)), weights)[0]
        out.append(streams[i].pop(0))
        if not streams[i]:
            streams.pop(i)
    return out


# --------------------------------------------------------------------------------------------------
# The cases.

V4 = ["192.0.2.%d", "198.51.100.%d", "203.0.113.%d"]


def gw4(i, j):
    return V4[i % 3] % j


def gw6(j):
    return "2001:db8:%x::%x" % (j // 256 + 1, j % 256 + 1)


def in4(i, j):
    return "10.%d.%d.%d" % (i % 250, j // 250, j % 250 + 1)


def in6(i, j):
    return "fd00:%x::%x" % (i + 1, j + 1)


def flow_for(sa, kind, i):
    if sa.mode == "tunnel":
        # inner family: by default same as outer; some SAs deliberately cross families
        fam6 = getattr(sa, "inner_v6", sa.v6)
        src, dst = (in6(i, 1), in6(i, 2)) if fam6 else (in4(i, 1), in4(i, 2))
        return Flow(sa.rng, kind, fam6, src, dst)
    return Flow(sa.rng, kind, sa.v6)


def run_flow(sa, kind, count, i):
    f = flow_for(sa, kind, i)
    out = []
    for n in range(count):
        out.append(sa.send(f.next()))
    return out


def case_null_icv(c):
    """NULL encryption with every integrity algorithm: ICV 0/12/16/24/32, IPv4 tunnel and IPv6 transport."""
    seqs = []
    for k, integ in enumerate(["NONE", "HMAC-SHA1-96", "HMAC-SHA2-256-128", "HMAC-SHA2-384-192",
                               "HMAC-SHA2-512-256"]):
        sa = Sa(c, "null-icv/v4-tunnel/%s" % integ, gw4(0, 1), gw4(1, 10 + k), integ=integ, mode="tunnel",
                cases=["icv-%d" % INTEG[integ]["icv"], "ipv4", "tunnel"])
        kind = ["ping", "http", "dns", "syslog", "http"][k]
        seqs.append(run_flow(sa, kind, 5, k))
    write = interleave(random.Random(SEED + 1), seqs)
    c.write_file("null-icv-ipv4-tunnel.pcap", write, "ESP-NULL, IPv4 outer and inner, tunnel mode, ICV 0/12/16/24/32")

    seqs = []
    for k, integ in enumerate(["NONE", "HMAC-SHA1-96", "HMAC-SHA2-256-128", "HMAC-SHA2-384-192",
                               "HMAC-SHA2-512-256"]):
        sa = Sa(c, "null-icv/v6-transport/%s" % integ, gw6(1), gw6(20 + k), integ=integ, mode="transport",
                cases=["icv-%d" % INTEG[integ]["icv"], "ipv6", "transport"])
        kind = ["http", "ping", "dns", "tls", "rtp"][k]
        seqs.append(run_flow(sa, kind, 5, k))
    write = interleave(random.Random(SEED + 2), seqs)
    c.write_file("null-icv-ipv6-transport.pcap", write, "ESP-NULL, IPv6 transport mode, ICV 0/12/16/24/32")


def case_null_families(c):
    """Tunnel mode across families, and the other 96-bit integrity algorithms (MD5, AES-CMAC)."""
    seqs = []
    sa = Sa(c, "null-fam/v4-over-v6", gw6(40), gw6(41), integ="HMAC-SHA2-256-128", mode="tunnel",
            cases=["icv-16", "ipv6-outer", "ipv4-inner", "tunnel"])
    sa.inner_v6 = False
    seqs.append(run_flow(sa, "http", 5, 1))
    sa = Sa(c, "null-fam/v6-over-v4", gw4(0, 42), gw4(2, 43), integ="HMAC-SHA1-96", mode="tunnel",
            cases=["icv-12", "ipv4-outer", "ipv6-inner", "tunnel"])
    sa.inner_v6 = True
    seqs.append(run_flow(sa, "ping", 4, 2) + run_flow(sa, "dns", 2, 3))
    sa = Sa(c, "null-fam/md5-v4-transport", gw4(1, 44), gw4(2, 45), integ="HMAC-MD5-96", mode="transport",
            cases=["icv-12", "hmac-md5", "ipv4", "transport"])
    seqs.append(run_flow(sa, "syslog", 5, 4))
    sa = Sa(c, "null-fam/cmac-v6-tunnel", gw6(46), gw6(47), integ="AES-CMAC-96", mode="tunnel",
            cases=["icv-12", "aes-cmac", "ipv6", "tunnel"])
    seqs.append(run_flow(sa, "tls", 5, 5))
    c.write_file("null-families.pcap", interleave(random.Random(SEED + 3), seqs),
                 "ESP-NULL tunnels across IP families; HMAC-MD5-96 and AES-CMAC-96")


def case_gmac(c):
    """ENCR_NULL_AUTH_AES_GMAC: 8-octet IV, 16-octet ICV, payload in clear (RFC 4543)."""
    seqs = []
    sa = Sa(c, "gmac/v4-transport", gw4(0, 50), gw4(1, 51), encr="NULL-AUTH-AES-GMAC-128", integ="NONE",
            mode="transport", cases=["gmac", "iv-8", "icv-16", "ipv4", "transport"])
    seqs.append(run_flow(sa, "http", 5, 1))
    sa = Sa(c, "gmac/v6-tunnel", gw6(52), gw6(53), encr="NULL-AUTH-AES-GMAC-128", integ="NONE", mode="tunnel",
            cases=["gmac", "iv-8", "icv-16", "ipv6", "tunnel"])
    seqs.append(run_flow(sa, "ping", 5, 2))
    sa = Sa(c, "gmac/v4-udp-tunnel", gw4(2, 54), gw4(0, 55), encr="NULL-AUTH-AES-GMAC-128", integ="NONE",
            mode="tunnel", encap="udp", cases=["gmac", "iv-8", "icv-16", "ipv4", "udp-encap", "tunnel"])
    seqs.append(run_flow(sa, "dns", 4, 3))
    c.write_file("null-gmac.pcap", interleave(random.Random(SEED + 4), seqs),
                 "ENCR_NULL_AUTH_AES_GMAC (IV 8, ICV 16), transport and tunnel, plain and UDP-encapsulated")


def noise_keepalive(sa):
    udp = udp_header(aton(sa.src), aton(sa.dst), sa.sport, sa.dport, b"\xff", sa.v6)
    return ("noise", sa.outer_ip(17, udp + b"\xff"), sa)


def noise_ike(sa):
    # IKEv2 INFORMATIONAL over UDP/4500 behind the non-ESP marker (RFC 3948 section 2.2): header + SK payload
    rng = sa.rng
    sk = rbytes(rng, 60)
    ike = rbytes(rng, 8) + rbytes(rng, 8) + bytes([46, 0x20, 37, 0x08]) + struct.pack("!II", 2, 28 + 4 + len(sk))
    ike += struct.pack("!BBH", 0, 0, 4 + len(sk)) + sk
    body = b"\x00\x00\x00\x00" + ike
    udp = udp_header(aton(sa.src), aton(sa.dst), sa.sport, sa.dport, body, sa.v6)
    return ("noise", sa.outer_ip(17, udp + body), sa)


def case_udp(c):
    """UDP encapsulation (RFC 3948) on port 4500, IPv4 and IPv6, including a NAPT-rewritten source port."""
    seqs = []
    sa = Sa(c, "udp/v4-transport", gw4(0, 60), gw4(1, 61), integ="HMAC-SHA2-256-128", mode="transport",
            encap="udp", cases=["udp-encap", "icv-16", "ipv4", "transport"])
    s = [noise_keepalive(sa)] + run_flow(sa, "http", 5, 1)
    s.insert(3, noise_ike(sa))
    seqs.append(s)
    sa = Sa(c, "udp/v4-tunnel-napt", gw4(1, 62), gw4(2, 63), integ="HMAC-SHA1-96", mode="tunnel", encap="udp",
            sport=31873, dport=4500, cases=["udp-encap", "napt-port", "icv-12", "ipv4", "tunnel"])
    seqs.append(run_flow(sa, "tls", 5, 2) + [noise_keepalive(sa)])
    sa = Sa(c, "udp/v6-transport", gw6(64), gw6(65), integ="HMAC-SHA2-512-256", mode="transport", encap="udp",
            cases=["udp-encap", "icv-32", "ipv6", "transport"])
    seqs.append(run_flow(sa, "ping", 5, 3))
    sa = Sa(c, "udp/v6-tunnel", gw6(66), gw6(67), integ="HMAC-SHA2-384-192", mode="tunnel", encap="udp",
            cases=["udp-encap", "icv-24", "ipv6", "tunnel"])
    seqs.append(run_flow(sa, "dns", 5, 4))
    c.write_file("null-udp-encap.pcap", interleave(random.Random(SEED + 5), seqs),
                 "ESP-NULL in UDP/4500, IPv4 and IPv6, with NAT-keepalives and an IKE message on 4500")


def case_padding(c):
    """Non-default padding lengths (up to 255), and TFC padding after a tunnelled packet."""
    seqs = []
    for k, (integ, mode) in enumerate([("HMAC-SHA1-96", "transport"), ("HMAC-SHA2-256-128", "tunnel"),
                                       ("HMAC-SHA2-512-256", "transport")]):
        sa = Sa(c, "pad/random/%s" % integ, gw4(k, 70 + k), gw4(k + 1, 73 + k), integ=integ, mode=mode,
                padding="random", cases=["random-padding", "icv-%d" % INTEG[integ]["icv"], "ipv4", mode])
        f = flow_for(sa, ["http", "dns", "syslog"][k], k)
        seqs.append([sa.send(f.next()) for _ in range(5)])
    sa = Sa(c, "pad/max255-v6", gw6(76), gw6(77), integ="HMAC-SHA2-256-128", mode="transport",
            cases=["max-padding", "icv-16", "ipv6", "transport"])
    f = Flow(sa.rng, "dns", True)
    s = []
    for _ in range(4):
        p = f.next()
        nh, payload, _ = p.encode(sa)
        want = 255
        # lengthen the query's data so that len(payload) + 255 + 2 is a multiple of 4
        extra = (-(len(payload) + want + 2)) % 4
        p.l4[Raw].load = bytes(p.l4[Raw].load) + b"\x00" * extra
        s.append(sa.send(p, pad_len=want))
    seqs.append(s)
    sa = Sa(c, "pad/tfc-v4-tunnel", gw4(2, 78), gw4(0, 79), integ="HMAC-SHA1-96", mode="tunnel",
            cases=["tfc-padding", "icv-12", "ipv4", "tunnel"])
    f = flow_for(sa, "rtp", 7)
    seqs.append([sa.send(f.next(), tfc=sa.rng.randrange(8, 64)) for _ in range(5)])
    c.write_file("null-padding.pcap", interleave(random.Random(SEED + 6), seqs),
                 "ESP-NULL with random non-default padding (up to 255 octets) and TFC padding")


def case_tiny(c):
    """First packets are as small as they get: TCP ACK, empty UDP, ICMP echo without data."""
    seqs = []
    for k, (integ, v6) in enumerate([("HMAC-SHA2-512-256", False), ("HMAC-SHA1-96", False),
                                     ("HMAC-SHA2-384-192", True), ("HMAC-SHA2-256-128", True)]):
        if v6:
            sa = Sa(c, "tiny/%d" % k, gw6(80 + k), gw6(90 + k), integ=integ, mode="transport",
                    cases=["tiny-first", "icv-%d" % INTEG[integ]["icv"], "ipv6", "transport"])
        else:
            sa = Sa(c, "tiny/%d" % k, gw4(k, 80 + k), gw4(k + 1, 90 + k), integ=integ, mode="transport",
                    cases=["tiny-first", "icv-%d" % INTEG[integ]["icv"], "ipv4", "transport"])
        f = Flow(sa.rng, "tiny", v6)
        s = []
        if k % 2 == 0:
            s.append(sa.send(f.next()))                                   # bare TCP ACK, 20 octets
            s.append(sa.send(Payload(UDP(sport=40000 + k, dport=9))))      # empty UDP, 8 octets
        else:
            s.append(sa.send(Payload(UDP(sport=40000 + k, dport=9))))
            ping = ICMPv6EchoRequest(id=7, seq=1) if v6 else ICMP(type=8, id=7, seq=1)
            s.append(sa.send(Payload(ping)))                               # echo request, no data
        s += [sa.send(f.next()) for _ in range(3)]
        seqs.append(s)
    c.write_file("null-tiny-first.pcap", interleave(random.Random(SEED + 7), seqs),
                 "ESP-NULL whose first packets are tiny (TCP ACK, empty UDP, empty echo)")


def case_tls(c):
    """TLS records inside ESP-NULL: the payload looks random, the TCP header does not."""
    seqs = []
    for k, (integ, mode, v6) in enumerate([("HMAC-SHA1-96", "transport", False),
                                           ("HMAC-SHA2-256-128", "tunnel", False),
                                           ("HMAC-SHA2-512-256", "transport", True)]):
        src, dst = (gw6(100 + k), gw6(110 + k)) if v6 else (gw4(k, 100 + k), gw4(k + 2, 110 + k))
        sa = Sa(c, "tls/%d" % k, src, dst, integ=integ, mode=mode,
                cases=["tls-inside", "icv-%d" % INTEG[integ]["icv"], "ipv6" if v6 else "ipv4", mode])
        f = flow_for(sa, "tls", k)
        f.next()  # start with an application-data record, not the bare ACK
        seqs.append([sa.send(f.next()) for _ in range(6)])
    c.write_file("null-tls.pcap", interleave(random.Random(SEED + 8), seqs),
                 "ESP-NULL carrying TLS application data records")


def case_dummy(c):
    """Dummy packets (Next Header 59, RFC 4303 section 2.6) mixed with real ones; one SA starts with them."""
    seqs = []
    sa = Sa(c, "dummy/v4-tunnel", gw4(0, 120), gw4(1, 121), integ="HMAC-SHA1-96", mode="tunnel",
            cases=["dummy-nh59", "icv-12", "ipv4", "tunnel"])
    f = flow_for(sa, "ping", 1)
    seqs.append([sa.send(dummy(sa.rng)), sa.send(dummy(sa.rng)), sa.send(f.next()), sa.send(dummy(sa.rng)),
                 sa.send(f.next()), sa.send(f.next())])
    sa = Sa(c, "dummy/v6-transport", gw6(122), gw6(123), integ="HMAC-SHA2-256-128", mode="transport",
            cases=["dummy-nh59", "icv-16", "ipv6", "transport"])
    f = flow_for(sa, "http", 2)
    seqs.append([sa.send(f.next()), sa.send(dummy(sa.rng)), sa.send(f.next()), sa.send(dummy(sa.rng, 0)),
                 sa.send(f.next())])
    sa = Sa(c, "dummy/only", gw4(2, 124), gw4(0, 125), integ="HMAC-SHA2-256-128", mode="tunnel",
            cases=["dummy-nh59", "dummy-only", "icv-16", "ipv4", "tunnel"])
    seqs.append([sa.send(dummy(sa.rng)) for _ in range(4)])
    c.write_file("null-dummy.pcap", interleave(random.Random(SEED + 9), seqs),
                 "ESP-NULL with Next Header 59 dummy packets")


def case_fragments(c):
    """A large ESP-NULL packet split into IPv4 fragments; the ESP trailer and ICV sit in the last one."""
    seqs = []
    sa = Sa(c, "frag/v4-tunnel", gw4(0, 130), gw4(1, 131), integ="HMAC-SHA2-256-128", mode="tunnel",
            cases=["ipv4-fragments", "icv-16", "ipv4", "tunnel"])
    f = flow_for(sa, "rtp", 1)
    big = Payload(UDP(sport=5004, dport=5004) / Raw(bytes((i * 7) & 0xFF for i in range(3000))),
                  in4(1, 1), in4(1, 2))
    seqs.append([sa.send(f.next()), sa.send(big, fragment=dict(size=1480)), sa.send(f.next())])
    sa = Sa(c, "frag/v4-udp-transport-reversed", gw4(1, 132), gw4(2, 133), integ="HMAC-SHA1-96",
            mode="transport", encap="udp", cases=["ipv4-fragments", "fragments-reversed", "udp-encap", "icv-12",
                                                   "ipv4", "transport"])
    f = flow_for(sa, "tls", 2)
    big = Payload(TCP(sport=443, dport=50123, flags="PA", seq=1000, ack=2000, window=64240) /
                  Raw(b"\x17\x03\x03\x07\x00" + rbytes(sa.rng, 0x700)))
    seqs.append([sa.send(f.next()), sa.send(big, fragment=dict(size=1200, reverse=True)), sa.send(f.next())])
    c.write_file("null-fragments.pcap", seqs[0] + seqs[1],
                 "ESP-NULL packets split into IPv4 fragments (in order, and in reverse order in UDP/4500)")


ENCRYPTED_SUITES = [
    ("AES-CBC-128", "HMAC-SHA1-96"), ("AES-CBC-256", "HMAC-SHA2-256-128"), ("AES-CTR-128", "HMAC-SHA2-256-128"),
    ("AES-GCM-16-128", "NONE"), ("AES-GCM-16-256", "NONE"), ("AES-GCM-12-128", "NONE"), ("AES-GCM-8-128", "NONE"),
    ("CHACHA20-POLY1305", "NONE"), ("AES-CCM-16-128", "NONE"), ("AES-CBC-128", "HMAC-SHA2-512-256"),
]


def case_encrypted(c):
    """Encrypted decoys with every cipher, IPv4/IPv6, tunnel/transport, plain and UDP-encapsulated."""
    seqs = []
    for k, (encr, integ) in enumerate(ENCRYPTED_SUITES):
        v6 = k % 3 == 2
        mode = "tunnel" if k % 2 == 0 else "transport"
        encap = "udp" if k % 4 == 3 else "esp"
        src, dst = (gw6(140 + k), gw6(150 + k)) if v6 else (gw4(k, 140 + k), gw4(k + 1, 150 + k))
        sa = Sa(c, "enc/%s/%s" % (encr, integ), src, dst, encr=encr, integ=integ, mode=mode, encap=encap,
                cases=["encrypted", encr.lower(), "ipv6" if v6 else "ipv4", mode] + (["udp-encap"] if encap == "udp" else []))
        seqs.append(run_flow(sa, ["http", "tls", "dns", "ping", "syslog"][k % 5], 5, k))
    c.write_file("encrypted.pcap", interleave(random.Random(SEED + 10), seqs),
                 "Encrypted ESP: AES-CBC, AES-CTR, AES-GCM-8/12/16, AES-CCM, ChaCha20-Poly1305")


def case_doctored(c):
    """Encrypted decoys whose ciphertext ends like a NULL trailer (01 02 | 02 | 06)."""
    seqs = []
    # (a) the four octets right before the real ICV; the ICV/tag is recomputed, so it still verifies,
    #     but decryption gives a broken trailer (such packets are forgeries only a key holder can make).
    for k, (encr, integ) in enumerate([("AES-CBC-128", "HMAC-SHA1-96"), ("AES-CTR-128", "HMAC-SHA2-256-128"),
                                       ("AES-GCM-16-128", "NONE"), ("CHACHA20-POLY1305", "NONE"),
                                       ("AES-CBC-256", "HMAC-SHA2-256-128")]):
        v6 = k == 4
        src, dst = (gw6(160 + k), gw6(170 + k)) if v6 else (gw4(k, 160 + k), gw4(k + 2, 170 + k))
        sa = Sa(c, "doctored-icv/%s" % encr, src, dst, encr=encr, integ=integ, mode="transport",
                cases=["encrypted", "doctored-trailer", encr.lower()])
        f = flow_for(sa, "http", k)
        s = [sa.send(f.next(), doctor="icv")]                 # the first packet is the decoy
        s += [sa.send(f.next()) for _ in range(2)]
        s.append(sa.send(f.next(), doctor="icv"))
        s.append(sa.send(f.next()))
        seqs.append(s)
    # (b) stream/AEAD ciphers: payload octets chosen so the ciphertext shows the fake trailer where a longer
    #     ICV would start. These packets are genuine: they decrypt to a valid inner packet.
    for k, (encr, integ, guess) in enumerate([("AES-GCM-16-128", "NONE", 24), ("AES-GCM-16-256", "NONE", 32),
                                              ("CHACHA20-POLY1305", "NONE", 24),
                                              ("AES-CTR-128", "HMAC-SHA1-96", 16)]):
        sa = Sa(c, "doctored-valid/%s/%d" % (encr, guess), gw4(k, 180 + k), gw4(k + 1, 190 + k), encr=encr,
                integ=integ, mode="tunnel", cases=["encrypted", "doctored-keystream", "fake-trailer-at-icv-%d" % guess,
                                                   encr.lower()])
        f = flow_for(sa, "rtp", k)
        s = []
        for n in range(5):
            p = f.next()
            s.append(sa.send(p, doctor=guess if n in (0, 2) else None))
        seqs.append(s)
    c.write_file("encrypted-doctored.pcap", interleave(random.Random(SEED + 11), seqs),
                 "Encrypted decoys whose ciphertext shows a NULL-looking trailer (pad 01 02, next header 6)")


def case_wesp(c):
    """WESP (RFC 5840): IP protocol 141 and UDP/4500 with identifier 2, E=0 and E=1, IPv4 and IPv6."""
    seqs = []
    specs = [
        ("v4-native-null", False, "wesp", "NULL", "HMAC-SHA2-256-128", "transport", False, "http"),
        ("v4-native-enc", False, "wesp", "AES-GCM-16-128", "NONE", "tunnel", True, "ping"),
        ("v6-native-null", True, "wesp", "NULL", "HMAC-SHA1-96", "tunnel", False, "dns"),
        ("v6-native-enc", True, "wesp", "AES-CBC-128", "HMAC-SHA1-96", "transport", True, "tls"),
        ("v4-udp-null", False, "wesp-udp", "NULL", "HMAC-SHA2-512-256", "tunnel", False, "syslog"),
        ("v4-udp-enc", False, "wesp-udp", "CHACHA20-POLY1305", "NONE", "transport", True, "http"),
        ("v6-udp-null", True, "wesp-udp", "NULL", "HMAC-SHA2-384-192", "transport", False, "ping"),
        ("v6-udp-enc", True, "wesp-udp", "AES-GCM-16-256", "NONE", "tunnel", True, "dns"),
        ("v4-native-gmac", False, "wesp", "NULL-AUTH-AES-GMAC-128", "NONE", "tunnel", False, "rtp"),
        ("v6-native-gmac", True, "wesp", "NULL-AUTH-AES-GMAC-128", "NONE", "transport", False, "tls"),
    ]
    for k, (name, v6, encap, encr, integ, mode, e, kind) in enumerate(specs):
        src, dst = (gw6(200 + k), gw6(210 + k)) if v6 else (gw4(k, 200 + k), gw4(k + 1, 210 + k))
        sa = Sa(c, "wesp/%s" % name, src, dst, encr=encr, integ=integ, mode=mode, encap=encap, wesp_e=e,
                cases=["wesp", encap, "ipv6" if v6 else "ipv4", mode, "wesp-e%d" % int(e)])
        seqs.append(run_flow(sa, kind, 4, k))
    c.write_file("wesp.pcap", interleave(random.Random(SEED + 12), seqs),
                 "WESP over IP protocol 141 and UDP/4500, E=0 (NULL, GMAC) and E=1, IPv4 and IPv6")


def case_wesp_malformed(c):
    """WESP packets whose header breaks one RFC 5840 rule each; the ESP inside is valid ESP-NULL."""
    seqs = []

    def one(name, v6, encap, anomaly, mutate, integ="HMAC-SHA1-96", e=False, alt=()):
        k = len(seqs)
        src, dst = (gw6(230 + k), gw6(240 + k)) if v6 else (gw4(k, 230 + k), gw4(k + 1, 240 + k))
        encr = "AES-CBC-128" if e else "NULL"
        sa = Sa(c, "wesp-bad/%s" % name, src, dst, encr=encr, integ=integ, mode="transport", encap=encap,
                wesp_e=e, cases=["wesp", "wesp-malformed", anomaly or "wesp-reserved-bits"])
        f = Flow(sa.rng, "http", v6)
        p = f.next()
        nh, payload, _ = p.encode(sa)
        good = bytearray(sa.wesp_header(nh))
        bad = mutate(good, nh)
        rec = sa.send(p, wesp_override=bytes(bad), anomaly=anomaly)
        rec["no_export"] = True
        rec["alt_anomalies"] = list(alt)
        sa.wesp_info = dict(encrypted=e, next_header=bad[0] if len(bad) > 0 else None,
                            hdr_len=bad[1] if len(bad) > 1 else None, trailer_len=bad[2] if len(bad) > 2 else None,
                            flags=bad[3] if len(bad) > 3 else None, padding_word=len(bad) == 8)
        seqs.append([rec])

    def setb(i, v):
        def m(h, nh):
            h[i] = v
            return h
        return m

    one("version-1", False, "wesp", "wesp.bad_version", setb(3, 0x40))
    one("version-3-e1", False, "wesp", "wesp.bad_version", setb(3, 0xE0), e=True)
    one("hdrlen-8", False, "wesp", "wesp.bad_hdr_len", setb(1, 8))
    one("hdrlen-14", False, "wesp", "wesp.bad_hdr_len", setb(1, 14))
    one("hdrlen-20-v6", True, "wesp", "wesp.bad_hdr_len", setb(1, 20))
    one("hdrlen-e1", False, "wesp", "wesp.bad_hdr_len", setb(1, 12), e=True)
    one("trailerlen-beyond-packet", False, "wesp", "wesp.bad_trailer_len", setb(2, 250))
    one("trailerlen-16-not-12", False, "wesp", "wesp.bad_trailer_len", setb(2, 16), alt=["wesp.bad_next_header"])
    one("trailerlen-e1", False, "wesp", "wesp.bad_trailer_len", setb(2, 12), e=True)
    one("v6-without-padding-word", True, "wesp", "wesp.bad_padding",
        lambda h, nh: bytearray([nh, 12, 12, 0x00]), alt=["wesp.bad_hdr_len"])
    one("v4-with-padding-word", False, "wesp", "wesp.bad_padding",
        lambda h, nh: bytearray([nh, 16, 12, 0x10, 0, 0, 0, 0]))
    one("reserved-bits", False, "wesp", "wesp.bad_flags", setb(3, 0x05))
    one("reserved-bits-udp", False, "wesp-udp", "wesp.bad_flags", setb(3, 0x0F))
    one("nexthdr-mismatch", False, "wesp", "wesp.bad_next_header", setb(0, 17))
    one("nexthdr-e1", False, "wesp", "wesp.bad_next_header", setb(0, 6), e=True)
    one("udp-v6-with-padding-flag", True, "wesp-udp", "wesp.bad_padding",
        lambda h, nh: bytearray([nh, 16, 12, 0x10, 0, 0, 0, 0]))
    c.write_file("wesp-malformed.pcap", [s[0] for s in seqs],
                 "WESP headers that break one RFC 5840 rule each (expected anomaly per SA in truth.jsonl)")


def case_mix(c):
    """110 SAs, about half ESP-NULL with varied ICV and half encrypted, 5-20 packets each, interleaved."""
    rng = random.Random(SEED + 110)
    null_integ = (["HMAC-SHA1-96"] * 12 + ["HMAC-MD5-96"] * 3 + ["AES-CMAC-96"] * 2 + ["HMAC-SHA2-256-128"] * 15 +
                  ["HMAC-SHA2-384-192"] * 6 + ["HMAC-SHA2-512-256"] * 9 + ["NONE"] * 3 + ["GMAC"] * 5)
    enc = ([("AES-CBC-128", "HMAC-SHA1-96")] * 10 + [("AES-CBC-256", "HMAC-SHA2-256-128")] * 9 +
           [("AES-GCM-16-128", "NONE")] * 10 + [("AES-GCM-16-256", "NONE")] * 5 + [("AES-CTR-128", "HMAC-SHA2-256-128")] * 5 +
           [("CHACHA20-POLY1305", "NONE")] * 7 + [("AES-CCM-16-128", "NONE")] * 3 + [("AES-GCM-12-128", "NONE")] * 2 +
           [("AES-CBC-128", "HMAC-SHA2-512-256")] * 4)
    suites = [("NULL-AUTH-AES-GMAC-128", "NONE") if i == "GMAC" else ("NULL", i) for i in null_integ] + enc
    assert len(suites) == 110, len(suites)
    rng.shuffle(suites)
    kinds = ["http", "tls", "dns", "ping", "rtp", "syslog", "tiny"]
    streams = []
    for k, (encr, integ) in enumerate(suites):
        v6 = rng.random() < 0.3
        mode = "tunnel" if rng.random() < 0.6 else "transport"
        encap = "udp" if rng.random() < 0.22 else "esp"
        first_seq = 1 if rng.random() < 0.7 else rng.randrange(2, 200000)
        padding = "random" if encr in NULL_ENCR and rng.random() < 0.12 else "default"
        src, dst = (gw6(300 + 2 * k), gw6(301 + 2 * k)) if v6 else (gw4(k, 10 + k), gw4(k + 1, 130 + k))
        sport = rng.choice([4500, 4500, 4500, rng.randrange(1024, 65535)]) if encap == "udp" else None
        sa = Sa(c, "mix/%03d" % k, src, dst, encr=encr, integ=integ, mode=mode, encap=encap, sport=sport,
                first_seq=first_seq, padding=padding, cases=["mix-110"])
        if mode == "tunnel" and rng.random() < 0.15:
            sa.inner_v6 = not v6
        kind = rng.choice(kinds)
        f = flow_for(sa, kind, k)
        if first_seq > 1 and kind in ("http", "tls"):
            f.n = 3                        # captured mid-stream: no SYN
        n = min(20, 5 + int(rng.expovariate(1 / 3.5)))     # 5..20 packets, most SAs short
        s = []
        doctor_first = sa.verdict == "encrypted" and k % 17 == 0
        for i in range(n):
            if rng.random() < 0.04:
                s.append(sa.send(dummy(sa.rng)))
            else:
                s.append(sa.send(f.next(), doctor="icv" if (doctor_first and i == 0) else None))
        streams.append(s)
    c.write_file("mix-110.pcap", interleave(rng, streams),
                 "110 SAs (55 ESP-NULL with varied ICV incl. GMAC and ICV 0, 55 encrypted), 5-20 packets each, "
                 "interleaved")


# --------------------------------------------------------------------------------------------------
# Truth.

def truth_line(sa):
    e, a = ENCR[sa.encr], INTEG[sa.integ]
    pk = sa.packets
    exported = [p for p in pk if "inner_index" in p]
    plain = [p["plain_export"] for p in pk if p["plain_export"] is not None]
    ws = None
    if e["ws"] and a["ws"]:
        ws = dict(encryption=e["ws"], authentication=a["ws"])
    line = dict(
        file=pk[0]["file"], sa=sa.name, src=sa.src, dst=sa.dst, spi=sa.spi, spi_hex="0x%08x" % sa.spi,
        src_port=sa.sport, dst_port=sa.dport, ip_version=6 if sa.v6 else 4, encap=sa.encap, verdict=sa.verdict,
        icv_len=sa.icv_len, iv_len=sa.iv_len, mode=sa.mode,
        next_headers=sorted({p["nh"] for p in pk}),
        packets=len(pk),
        cleartext_packets=len(exported) if sa.verdict == "null" else 0,
        dummy_packets=sum(1 for p in pk if p["nh"] == 59),
        frames=[p["frames"][-1] for p in pk],
        first_seq=sa.first_seq,
        packet_next_headers=[p["nh"] for p in pk],
        pad_lens=[p["pad_len"] for p in pk],
        padding=sa.padding,
        tfc_padding=[p["tfc"] for p in pk] if any(p["tfc"] for p in pk) else None,
        fragments={str(p["frames"][-1]): sorted(p["frames"]) for p in pk if len(p["frames"]) > 1} or None,
        inner_pcap=pk[0]["file"].replace(".pcap", ".inner.pcap") if exported else None,
        inner_indexes=[p["inner_index"] for p in exported] if exported else None,
        inner_sha256=hashlib.sha256(b"".join(p["export"] for p in exported)).hexdigest()
        if exported else None,
        plaintext_sha256=hashlib.sha256(b"".join(plain)).hexdigest() if plain else None,
        doctored_frames=[p["frames"][-1] for p in pk if p["doctored"] is not None] or None,
        doctor=sorted({"trailer-before-icv" if p["doctored"] == "icv" else "trailer-at-icv-%d" % p["doctored"]
                       for p in pk if p["doctored"] is not None}) or None,
        wesp=dict(sa.wesp_info, prefix_len=sa.wesp_prefix_len) if sa.wesp_info else None,
        anomalies=[dict(frame=p["frames"][-1], event=p["anomaly"], also_acceptable=p.get("alt_anomalies", []))
                   for p in pk if p["anomaly"]] or None,
        enc_alg=e["ikev2"], enc_key=sa.enc_key.hex(), integ_alg=a["ikev2"], integ_key=sa.integ_key.hex(),
        wireshark_sa=ws,
        cases=sa.cases,
    )
    return line


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "captures", "synthetic", "esp")
    outdir = os.path.normpath(outdir)
    os.makedirs(outdir, exist_ok=True)
    c = Corpus(outdir)
    for case in (case_null_icv, case_null_families, case_gmac, case_udp, case_padding, case_tiny, case_tls,
                 case_dummy, case_fragments, case_encrypted, case_doctored, case_wesp, case_wesp_malformed,
                 case_mix):
        case(c)
    self_check(c)
    with open(os.path.join(outdir, "truth.jsonl"), "w") as f:
        for sa in c.sas:
            f.write(json.dumps(truth_line(sa), separators=(",", ":")) + "\n")
    write_esp_sa(c, os.path.join(outdir, "esp_sa"))
    for f in c.files:
        print("  %-30s %4d frames  %s" % (f["file"], f["frames"], f["desc"]))
    total = sum(os.path.getsize(os.path.join(outdir, n)) for n in os.listdir(outdir))
    print("%d SAs, %d files, %d octets in %s" % (len(c.sas), len(c.files), total, outdir))


def write_esp_sa(c, path):
    """Wireshark ESP SA table: Protocol, Src IP, Dest IP, SPI, Encryption, Encryption Key, Authentication,
    Authentication Key. Only algorithms Wireshark 4.0 implements."""
    with open(path, "w") as f:
        for sa in c.sas:
            e, a = ENCR[sa.encr], INTEG[sa.integ]
            if not (e["ws"] and a["ws"]):
                continue
            f.write('"%s","%s","%s","0x%08x","%s","%s","%s","%s"\n' % (
                "IPv6" if sa.v6 else "IPv4", sa.src, sa.dst, sa.spi, e["ws"],
                "0x" + sa.enc_key.hex() if sa.enc_key else "", a["ws"],
                "0x" + sa.integ_key.hex() if sa.integ_key else ""))


def self_check(c):
    """Cross-check the hand-assembled ESP against scapy's own SecurityAssociation.encrypt, and check the
    sequence of every SA; fails loudly rather than writing a wrong corpus."""
    checked = 0
    for sa in c.sas:
        e = ENCR[sa.encr]
        for p in sa.packets:
            if (e["scapy"] is None or p["doctored"] is not None or p["tfc"] or sa.padding != "default"
                    or (e["icv"] is not None and e["icv"] < 16) or p["nh"] == 59 or p.get("no_export")
                    or p["pad_len"] != sa.default_pad_len(len(p["payload"]))):
                continue
            hl = 40 if sa.v6 else 20
            off = hl + (8 if sa.encap in ("udp",) else 0)
            if sa.encap == "wesp":
                off = hl + sa.wesp_prefix_len
            if sa.encap == "wesp-udp":
                off = hl + 8 + 4 + sa.wesp_prefix_len
            mine = p["outer"][off:]
            iv = mine[8:8 + sa.iv_len]
            ref_sa = SecurityAssociation(ESP, spi=sa.spi, crypt_algo=e["scapy"], crypt_key=sa.enc_key or None,
                                         auth_algo=INTEG[sa.integ]["scapy"], auth_key=sa.integ_key or None,
                                         tunnel_header=(IPv6(src=sa.src, dst=sa.dst) if sa.v6 else
                                                        IP(src=sa.src, dst=sa.dst)) if sa.mode == "tunnel" else None)
            if sa.mode == "tunnel":
                inner = IPv6(p["inner_bytes"]) if p["inner_bytes"][0] >> 4 == 6 else IP(p["inner_bytes"])
            else:
                base = (IPv6(src=sa.src, dst=sa.dst, nh=p["nh"]) if sa.v6 else IP(src=sa.src, dst=sa.dst,
                                                                                  proto=p["nh"]))
                inner = base.__class__(raw(base / Raw(p["payload"])))
            ref = ref_sa.encrypt(inner, seq_num=p["seq"], iv=iv)
            assert raw(ref[ESP]) == mine, "ESP mismatch with scapy for %s seq %d" % (sa.name, p["seq"])
            checked += 1
        seqs = [p["seq"] for p in sa.packets]
        assert seqs == list(range(sa.first_seq, sa.first_seq + len(seqs))), sa.name
    print("self-check: %d packets identical to scapy SecurityAssociation.encrypt" % checked)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Prove the synthetic ESP/WESP corpus right, mostly with tshark.

Independent of gen_esp_corpus.py (shares no code with it). For every SA in truth.jsonl:

  * tshark (ESP SA table built here from the keys in truth.jsonl, decryption and ICV checking on) must show
    the SPI and sequence numbers, every HMAC / AES-GCM ICV as correct, the trailer (Pad Length, padding
    1, 2, 3, ..., Next Header) the truth gives, and a decoded inner packet (no malformed packets);
  * the payload tshark decrypts, turned into what a decapsulating sensor exports (tunnel: the inner IP
    packet without TFC padding; transport: an IP header built from the outer one + the payload), must hash
    to inner_sha256 / plaintext_sha256 and equal the packets of <name>.inner.pcap;
  * doctored decoys must show 01 02 02 06 where the truth says, with a valid ICV;
  * <name>.inner.pcap must decode in tshark with correct IPv4/TCP/UDP/ICMP checksums.

What tshark 4.0 cannot do is checked here in Python with the `cryptography` primitives:
  WESP (no dissector): the WESP header is checked field by field against RFC 5840 and then removed, and the
      resulting plain ESP capture goes through the tshark checks above;
  ENCR_NULL_AUTH_AES_GMAC: the GMAC tag is recomputed (AES-GCM, empty plaintext); tshark decodes the packet as
      NULL encryption with "ANY 128 bit" authentication and the payload after the 8-octet IV is compared;
  AUTH_AES_CMAC_96: the CMAC is recomputed; tshark decodes with "ANY 96 bit" authentication;
  ChaCha20-Poly1305 and AES-CCM: decrypted and authenticated here; the exported inner packets are then
      decoded by tshark from a raw-IP capture.

Usage: /usr/bin/python3 tests/generators/verify_esp_corpus.py [CORPUS_DIR]
Exit status 0 when every check passed, 1 otherwise.
"""
import collections
import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import cmac
from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.ciphers.aead import AESCCM, AESGCM, ChaCha20Poly1305

WS_ENCR = {"ENCR_NULL": "NULL", "ENCR_AES_CBC": "AES-CBC [RFC3602]", "ENCR_AES_CTR": "AES-CTR [RFC3686]",
           "ENCR_AES_GCM_16": "AES-GCM with 16 octet ICV [RFC4106]",
           "ENCR_AES_GCM_12": "AES-GCM with 12 octet ICV [RFC4106]",
           "ENCR_AES_GCM_8": "AES-GCM with 8 octet ICV [RFC4106]"}
WS_AUTH = {"NONE": "NULL", "AUTH_HMAC_MD5_96": "HMAC-MD5-96 [RFC2403]", "AUTH_HMAC_SHA1_96": "HMAC-SHA-1-96 [RFC2404]",
           "AUTH_HMAC_SHA2_256_128": "HMAC-SHA-256-128 [RFC4868]",
           "AUTH_HMAC_SHA2_384_192": "HMAC-SHA-384-192 [RFC4868]",
           "AUTH_HMAC_SHA2_512_256": "HMAC-SHA-512-256 [RFC4868]"}
# Substitute rows that let tshark at least frame what it cannot check.
WS_FALLBACK = {"ENCR_NULL_AUTH_AES_GMAC": ("NULL", "ANY 128 bit authentication [no checking]"),
               "AUTH_AES_CMAC_96": ("NULL", "ANY 96 bit authentication [no checking]")}
NH_PROTO = {1: "icmp", 4: "ip", 6: "tcp", 17: "udp", 41: "ipv6", 58: "icmpv6"}

FIELDS = ["frame.number", "frame.protocols", "esp.spi", "esp.sequence", "esp.icv_good", "esp.icv_bad",
          "esp.decrypted_data", "esp.contained_data", "_ws.malformed", "_ws.expert.severity"]


class Result:
    def __init__(self):
        self.counts = collections.Counter()
        self.failures = []

    def ok(self, what, n=1):
        self.counts[what] += n

    def fail(self, where, msg):
        self.failures.append("%s: %s" % (where, msg))

    def check(self, cond, what, where, msg):
        if cond:
            self.ok(what)
        else:
            self.fail(where, "%s (%s)" % (what, msg))
        return cond


R = Result()


# ---- capture files --------------------------------------------------------------------------------

def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    magic, _, _, _, _, _, linktype = struct.unpack("<IHHiIII", data[:24])
    assert magic == 0xA1B2C3D4, path
    recs, off = [], 24
    while off < len(data):
        sec, usec, incl, orig = struct.unpack("<IIII", data[off:off + 16])
        recs.append((sec * 1_000_000 + usec, data[off + 16:off + 16 + incl]))
        off += 16 + incl
    return linktype, recs


def write_pcap(path, recs, linktype):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, linktype))
        for ts, d in recs:
            f.write(struct.pack("<IIII", ts // 1_000_000, ts % 1_000_000, len(d), len(d)) + d)


def csum16(data):
    if len(data) % 2:
        data += b"\x00"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ip_of_frame(frame):
    """Outer IP packet of an Ethernet frame (no VLAN in this corpus)."""
    et = struct.unpack("!H", frame[12:14])[0]
    assert et in (0x0800, 0x86DD), hex(et)
    return frame[14:]


def esp_of_ip(ip, sa):
    """ESP octets (SPI .. ICV) of an unfragmented outer packet, after UDP/WESP as the truth says."""
    if ip[0] >> 4 == 4:
        hl = (ip[0] & 15) * 4
        body = ip[hl:struct.unpack("!H", ip[2:4])[0]]
    else:
        body = ip[40:40 + struct.unpack("!H", ip[4:6])[0]]
    if sa["encap"] in ("udp", "wesp-udp"):
        body = body[8:]
    if sa["encap"] == "wesp-udp":
        body = body[4:]
    if sa["encap"] in ("wesp", "wesp-udp"):
        return body[:sa["wesp"]["prefix_len"]], body[sa["wesp"]["prefix_len"]:]
    return b"", body


def reassemble_v4(frames):
    """Reassemble IPv4 fragments (any order); returns the unfragmented packet."""
    parts = []
    for fr in frames:
        ip = ip_of_frame(fr)
        hl = (ip[0] & 15) * 4
        ff = struct.unpack("!H", ip[6:8])[0]
        parts.append(((ff & 0x1FFF) * 8, ip, ip[hl:struct.unpack("!H", ip[2:4])[0]], ff & 0x2000))
    parts.sort(key=lambda p: p[0])
    first = parts[0][1]
    payload = b""
    for off, _, chunk, _ in parts:
        assert off == len(payload), "fragment gap"
        payload += chunk
    assert not parts[-1][3]
    hdr = bytearray(first[:20])
    hdr[2:4] = struct.pack("!H", 20 + len(payload))
    hdr[6:8] = struct.pack("!H", struct.unpack("!H", first[6:8])[0] & 0x4000)
    hdr[10:12] = b"\x00\x00"
    hdr[10:12] = struct.pack("!H", csum16(bytes(hdr)))
    return bytes(hdr) + payload


def export_transport(outer_ip, nh, payload):
    """IP header a decapsulating sensor writes for a transport-mode payload (built from the outer header)."""
    if outer_ip[0] >> 4 == 4:
        hdr = bytearray(outer_ip[:20])
        hdr[0] = 0x45
        hdr[2:4] = struct.pack("!H", 20 + len(payload))
        hdr[6:8] = struct.pack("!H", struct.unpack("!H", outer_ip[6:8])[0] & 0x4000)
        hdr[9] = nh
        hdr[10:12] = b"\x00\x00"
        hdr[10:12] = struct.pack("!H", csum16(bytes(hdr)))
        return bytes(hdr) + payload
    hdr = bytearray(outer_ip[:40])
    hdr[4:6] = struct.pack("!H", len(payload))
    hdr[6] = nh
    return bytes(hdr) + payload


def inner_length(pkt):
    """Length an inner IP packet declares (TFC padding follows it)."""
    if pkt[0] >> 4 == 4:
        return struct.unpack("!H", pkt[2:4])[0]
    return 40 + struct.unpack("!H", pkt[4:6])[0]


# ---- tshark --------------------------------------------------------------------------------------

def tshark_fields(pcap, confdir, extra=()):
    cmd = ["tshark", "-n", "-r", pcap, "-o", "esp.enable_encryption_decode:TRUE",
           "-o", "esp.enable_authentication_check:TRUE", "-o", "esp.enable_null_encryption_decode_heuristic:FALSE",
           "-T", "fields", "-E", "separator=\t", "-E", "occurrence=f"] + list(extra)
    for f in FIELDS:
        cmd += ["-e", f]
    env = dict(os.environ, XDG_CONFIG_HOME=confdir)
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout
    rows = {}
    for line in out.splitlines():
        cols = line.split("\t")
        cols += [""] * (len(FIELDS) - len(cols))
        rows[int(cols[0])] = dict(zip(FIELDS, cols))
    return rows


def sa_rows(sas, with_fallback):
    lines = []
    for sa in sas:
        ws = (WS_ENCR.get(sa["enc_alg"]), WS_AUTH.get(sa["integ_alg"]))
        if with_fallback and sa["enc_alg"] in WS_FALLBACK:
            ws = WS_FALLBACK[sa["enc_alg"]]
        elif with_fallback and sa["integ_alg"] in WS_FALLBACK:
            ws = WS_FALLBACK[sa["integ_alg"]]
        if None in ws:
            continue
        gmac = sa["enc_alg"] == "ENCR_NULL_AUTH_AES_GMAC"
        lines.append('"%s","%s","%s","%s","%s","%s","%s","%s"' % (
            "IPv6" if sa["ip_version"] == 6 else "IPv4", sa["src"], sa["dst"], sa["spi_hex"], ws[0],
            "0x" + sa["enc_key"] if sa["enc_key"] and not gmac else "", ws[1],
            "0x" + sa["integ_key"] if sa["integ_key"] and not ws[1].startswith("ANY") else ""))
    return lines


# ---- WESP (RFC 5840 section 2), checked from the wire ----------------------------------------------

def wesp_violations(prefix, encap, v6, esp, icv_len_true):
    """Rules of RFC 5840 section 2 (and protocol-facts 2.8) a WESP header breaks, as event names."""
    v = []
    if len(prefix) < 4:
        return ["wesp.pkt_too_small"]
    nh, hdr_len, trailer_len, flags = prefix[0], prefix[1], prefix[2], prefix[3]
    version, e, p, reserved = flags >> 6, (flags >> 5) & 1, (flags >> 4) & 1, flags & 0x0F
    if version != 0:
        return ["wesp.bad_version"]
    native6 = v6 and encap == "wesp"
    if p != (1 if native6 else 0) or len(prefix) != (8 if p else 4):
        v.append("wesp.bad_padding")
    if reserved:
        v.append("wesp.bad_flags")
    wesp_len = len(prefix) + len(esp)
    if e:
        if nh:
            v.append("wesp.bad_next_header")
        if hdr_len:
            v.append("wesp.bad_hdr_len")
        if trailer_len:
            v.append("wesp.bad_trailer_len")
        return v
    if hdr_len < 12 or hdr_len % 4 or (native6 and hdr_len % 8) or hdr_len > wesp_len:
        v.append("wesp.bad_hdr_len")
    if hdr_len + trailer_len + 2 > wesp_len:
        v.append("wesp.bad_trailer_len")
    elif trailer_len != icv_len_true:
        v.append("wesp.bad_trailer_len")
    elif esp[len(esp) - trailer_len - 1] != nh:
        v.append("wesp.bad_next_header")
    return v


def strip_wesp(frame, sa):
    """Same frame with the WESP header (and UDP identifier) removed: plain ESP, lengths fixed."""
    ip = ip_of_frame(frame)
    v6 = ip[0] >> 4 == 6
    hl = 40 if v6 else (ip[0] & 15) * 4
    body = ip[hl:]
    plen = sa["wesp"]["prefix_len"]
    if sa["encap"] == "wesp":
        newbody, proto = body[plen:], 50
    else:
        udp = bytearray(body[:8])
        rest = body[8 + 4 + plen:]
        udp[4:6] = struct.pack("!H", 8 + len(rest))
        udp[6:8] = b"\x00\x00"
        newbody, proto = bytes(udp) + rest, 17
    hdr = bytearray(ip[:hl])
    if v6:
        hdr[4:6] = struct.pack("!H", len(newbody))
        hdr[6] = proto
    else:
        hdr[2:4] = struct.pack("!H", hl + len(newbody))
        hdr[9] = proto
        hdr[10:12] = b"\x00\x00"
        hdr[10:12] = struct.pack("!H", csum16(bytes(hdr)))
    return frame[:14] + bytes(hdr) + newbody


# ---- checks per SA ---------------------------------------------------------------------------------

def aead_open(sa, esp):
    """Decrypt+authenticate ChaCha20-Poly1305 / AES-CCM here; returns the plaintext (payload..Next Header)."""
    key = bytes.fromhex(sa["enc_key"])
    spi_seq, iv, rest = esp[:8], esp[8:16], esp[16:]
    if sa["enc_alg"] == "ENCR_CHACHA20_POLY1305":
        return ChaCha20Poly1305(key[:-4]).decrypt(key[-4:] + iv, rest, spi_seq)
    if sa["enc_alg"] == "ENCR_AES_CCM_16":
        return AESCCM(key[:-3], tag_length=16).decrypt(key[-3:] + iv, rest, spi_seq)
    raise ValueError(sa["enc_alg"])


def check_sa(sa, frames, rows, where):
    """frames: {frame number: bytes} of the (WESP-stripped if need be) capture; rows: tshark rows."""
    icv, iv = sa["icv_len"], sa["iv_len"]
    doctored = set(sa["doctored_frames"] or [])
    doctor_kind = sa["doctor"] or []
    native_ws = sa["wireshark_sa"] is not None
    fallback = sa["enc_alg"] in WS_FALLBACK or sa["integ_alg"] in WS_FALLBACK
    python_aead = sa["enc_alg"] in ("ENCR_CHACHA20_POLY1305", "ENCR_AES_CCM_16")
    # With the substitute NULL row tshark hands the 8-octet GMAC IV to the inner dissector, so inner decoding
    # of GMAC SAs is checked from a raw-IP capture of the exported packets instead.
    tshark_decodes = native_ws or (fallback and iv == 0)
    exports, py_exports = [], []
    frag = sa["fragments"] or {}
    for i, fno in enumerate(sa["frames"]):
        w = "%s frame %d" % (where, fno)
        row = rows.get(fno, {})
        seq = sa["first_seq"] + i
        nh = sa["packet_next_headers"][i]
        pad = sa["pad_lens"][i]
        R.check(row.get("esp.spi", "").lower() == sa["spi_hex"], "tshark SPI", w, row.get("esp.spi"))
        R.check(row.get("esp.sequence") == str(seq), "tshark sequence number", w, row.get("esp.sequence"))
        if str(fno) in frag:
            outer = reassemble_v4([frames[f] for f in frag[str(fno)]])
        else:
            outer = ip_of_frame(frames[fno])
        _, esp = esp_of_ip(outer, sa)
        R.check(struct.unpack("!II", esp[:8]) == (sa["spi"], seq), "wire SPI and sequence", w, esp[:8].hex())
        if fno in doctored:
            spots = []
            if "trailer-before-icv" in doctor_kind:
                spots.append(icv)
            spots += [int(k.rsplit("-", 1)[1]) for k in doctor_kind if k.startswith("trailer-at-icv-")]
            R.check(any(esp[len(esp) - g - 4:len(esp) - g] == bytes([1, 2, 2, 6]) for g in spots),
                    "doctored decoy shows 01 02 02 06", w, esp[-icv - 8:].hex())
        # integrity
        if native_ws and icv and not python_aead:
            R.check(row.get("esp.icv_good") in ("1", "True") and row.get("esp.icv_bad") in ("0", "False"),
                    "tshark ICV correct", w, "good=%s bad=%s" % (row.get("esp.icv_good"), row.get("esp.icv_bad")))
        if sa["integ_alg"] == "AUTH_AES_CMAC_96":
            c = cmac.CMAC(algorithms.AES(bytes.fromhex(sa["integ_key"])))
            c.update(esp[:-12])
            R.check(c.finalize()[:12] == esp[-12:], "AES-CMAC-96 ICV recomputed", w, "")
        if sa["enc_alg"] == "ENCR_NULL_AUTH_AES_GMAC":
            key = bytes.fromhex(sa["enc_key"])
            try:
                AESGCM(key[:-4]).decrypt(key[-4:] + esp[8:16], esp[-16:], esp[:-16])
                R.ok("AES-GMAC ICV recomputed")
            except InvalidTag:
                R.fail(w, "AES-GMAC ICV wrong")
        # decryption / trailer
        if python_aead:
            try:
                plain = aead_open(sa, esp)
                R.ok("AEAD (ChaCha20-Poly1305/AES-CCM) tag verified")
            except InvalidTag:
                R.fail(w, "AEAD tag wrong")
                continue
        elif native_ws or fallback:
            plain = bytes.fromhex(row.get("esp.decrypted_data", ""))
            if sa["enc_alg"] == "ENCR_NULL_AUTH_AES_GMAC":
                R.check(plain[:8] == esp[8:16], "GMAC IV precedes the clear payload", w, "")
                plain = plain[8:]
        else:
            R.fail(w, "no way to check algorithm %s/%s" % (sa["enc_alg"], sa["integ_alg"]))
            continue
        if fno in doctored and "trailer-before-icv" in doctor_kind:
            R.ok("doctored decoy decrypts (trailer not checked)")
            continue
        ok = len(plain) >= 2 and plain[-1] == nh and plain[-2] == pad and \
            plain[-2 - pad:-2] == bytes(range(1, pad + 1))
        if not R.check(ok, "decrypted trailer (padding, Pad Length, Next Header)", w,
                       plain[-8:].hex() if plain else "empty"):
            continue
        payload = plain[:len(plain) - pad - 2]
        if native_ws or fallback:
            R.check(row.get("esp.contained_data", "") == (payload if not fallback or iv == 0 else
                                                          esp[8:16] + payload).hex(),
                    "tshark contained data = payload", w, "")
        if nh == 59:
            R.ok("dummy packet (Next Header 59)")
            continue
        if not tshark_decodes:
            pass
        elif sa["mode"] == "tunnel":
            R.check(NH_PROTO[nh] in row.get("frame.protocols", "").split(":")[4:], "tshark decodes inner IP", w,
                    row.get("frame.protocols"))
        else:
            R.check(NH_PROTO[nh] in row.get("frame.protocols", "").split(":"), "tshark decodes inner protocol", w,
                    row.get("frame.protocols"))
        if tshark_decodes:
            R.check(row.get("_ws.malformed", "") == "", "no malformed packet in tshark", w, row.get("frame.protocols"))
        if sa["mode"] == "tunnel":
            n = inner_length(payload)
            tfc = (sa["tfc_padding"] or [0] * len(sa["frames"]))[i]
            R.check(len(payload) - n == tfc, "TFC padding length", w, "%d != %d" % (len(payload) - n, tfc))
            export = payload[:n]
        else:
            export = export_transport(outer, nh, payload)
        exports.append((fno, export))
        if not tshark_decodes:
            py_exports.append(export)
    return exports, py_exports


def main():
    corpus = os.path.normpath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "captures", "synthetic", "esp"))
    truth = [json.loads(l) for l in open(os.path.join(corpus, "truth.jsonl"))]
    by_file = collections.OrderedDict()
    for sa in truth:
        by_file.setdefault(sa["file"], []).append(sa)
    tmp = tempfile.mkdtemp(prefix="espverify")
    try:
        conf = os.path.join(tmp, "conf")
        os.makedirs(os.path.join(conf, "wireshark"))
        # The table shipped with the corpus must be exactly the rows derived from truth.jsonl.
        native_rows = sa_rows(truth, with_fallback=False)
        shipped = open(os.path.join(corpus, "esp_sa")).read().splitlines()
        R.check(sorted(shipped) == sorted(native_rows), "esp_sa table matches truth.jsonl", "esp_sa",
                "%d vs %d rows" % (len(shipped), len(native_rows)))
        with open(os.path.join(conf, "wireshark", "esp_sa"), "w") as f:
            f.write("\n".join(sa_rows(truth, with_fallback=True)) + "\n")

        for fname, sas in by_file.items():
            check_file(corpus, tmp, conf, fname, sas)
    finally:
        shutil.rmtree(tmp)

    print("checks passed:")
    for what, n in sorted(R.counts.items()):
        print("  %6d  %s" % (n, what))
    print("SAs: %d (%d null, %d encrypted) in %d files" % (
        len(truth), sum(1 for s in truth if s["verdict"] == "null"),
        sum(1 for s in truth if s["verdict"] == "encrypted"), len(by_file)))
    unchecked = collections.Counter()
    for s in truth:
        if s["wireshark_sa"] is None:
            unchecked["%s/%s" % (s["enc_alg"], s["integ_alg"])] += 1
        if s["encap"].startswith("wesp"):
            unchecked["WESP header (" + s["encap"] + ")"] += 1
    print("checked outside tshark (recomputed here; tshark 4.0 lacks them):")
    for k, n in sorted(unchecked.items()):
        print("  %6d SAs  %s" % (n, k))
    if R.failures:
        print("FAILURES: %d" % len(R.failures))
        for f in R.failures[:200]:
            print("  " + f)
        return 1
    print("ALL CHECKS PASSED")
    return 0


def check_file(corpus, tmp, conf, fname, sas):
    path = os.path.join(corpus, fname)
    lt, recs = read_pcap(path)
    R.check(lt == 1, "outer capture is Ethernet", fname, lt)
    frames = {i + 1: d for i, (_, d) in enumerate(recs)}
    ts = {i + 1: t for i, (t, _) in enumerate(recs)}
    wesp_sas = {(s["src"], s["spi"]): s for s in sas if s["encap"].startswith("wesp")}
    tpath = path
    if wesp_sas:
        # WESP: check each header against RFC 5840, then hand tshark the same frames as plain ESP.
        stripped = dict(frames)
        for s in wesp_sas.values():
            for fno in s["frames"]:
                ip = ip_of_frame(frames[fno])
                prefix, esp = esp_of_ip(ip, s)
                v6 = ip[0] >> 4 == 6
                got = wesp_violations(prefix, s["encap"], v6, esp, s["icv_len"])
                w = "%s frame %d (%s)" % (fname, fno, s["sa"])
                expected = [a for a in (s["anomalies"] or []) if a["frame"] == fno]
                if expected:
                    ok = expected[0]["event"] in got and set(got) <= {expected[0]["event"]} | set(
                        expected[0]["also_acceptable"])
                    R.check(ok, "malformed WESP header breaks exactly the labelled rule", w, got)
                else:
                    R.check(got == [], "WESP header valid (version, E, P, HdrLen, TrailerLen, Next Header)", w, got)
                    e = prefix[3] >> 5 & 1
                    R.check(e == (s["verdict"] == "encrypted"), "WESP E flag matches verdict", w, prefix.hex())
                    if not e:
                        R.check(prefix[1] == len(prefix) + 8 + s["iv_len"], "WESP HdrLen = header+SPI+Seq+IV", w,
                                prefix.hex())
                stripped[fno] = strip_wesp(frames[fno], s)
        tpath = os.path.join(tmp, fname)
        write_pcap(tpath, [(ts[i], stripped[i]) for i in sorted(stripped)], 1)
    rows = tshark_fields(tpath, conf)
    inner_recs = None
    for sa in sas:
        where = "%s %s" % (fname, sa["sa"])
        # internal consistency of the truth line
        R.check(sa["packets"] == len(sa["frames"]) == len(sa["packet_next_headers"]), "truth counts consistent",
                where, "")
        R.check(sa["next_headers"] == sorted(set(sa["packet_next_headers"])), "truth next_headers", where, "")
        exports, py_exports = check_sa(sa, frames, rows, where)
        plain = b"".join(e for _, e in exports)
        if sa["plaintext_sha256"]:
            R.check(hashlib.sha256(plain).hexdigest() == sa["plaintext_sha256"],
                    "decapsulated packets hash to plaintext_sha256", where, "")
        if py_exports:
            check_raw_decode(tmp, "%s-%s" % (fname, sa["spi_hex"]), py_exports, where)
        if sa["verdict"] == "null" and not sa["anomalies"]:
            R.check(sa["cleartext_packets"] == sum(1 for n in sa["packet_next_headers"] if n != 59),
                    "cleartext_packets = non-dummy packets", where, "")
            R.check(hashlib.sha256(plain).hexdigest() == sa["inner_sha256"] if exports else sa["inner_sha256"] is None,
                    "decapsulated packets hash to inner_sha256", where, "")
            if exports:
                if inner_recs is None:
                    ilt, inner_recs = read_pcap(os.path.join(corpus, sa["inner_pcap"]))
                    R.check(ilt == 101, "inner capture is raw IP (101)", sa["inner_pcap"], ilt)
                got = [inner_recs[k - 1] for k in sa["inner_indexes"]]
                R.check([d for _, d in got] == [e for _, e in exports], "inner pcap packets = tshark-decapsulated",
                        where, "")
                R.check([t for t, _ in got] == [ts[f] for f, _ in exports], "inner pcap timestamps = outer frames",
                        where, "")
    # every inner capture decodes with correct checksums
    if inner_recs is not None:
        n = len(inner_recs)
        listed = sum(len(s["inner_indexes"] or []) for s in sas)
        R.check(n == listed, "inner pcap holds exactly the listed packets", fname, "%d vs %d" % (n, listed))
        check_inner_checksums(os.path.join(corpus, fname.replace(".pcap", ".inner.pcap")), fname)


def check_inner_checksums(path, where):
    cmd = ["tshark", "-n", "-r", path, "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
           "-o", "udp.check_checksum:TRUE", "-T", "fields", "-E", "occurrence=a", "-e", "frame.number",
           "-e", "frame.protocols", "-e", "ip.checksum.status", "-e", "tcp.checksum.status",
           "-e", "udp.checksum.status", "-e", "icmp.checksum_bad", "-e", "icmpv6.checksum.status", "-e", "_ws.malformed"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        c = line.split("\t")
        w = "%s inner frame %s" % (where, c[0])
        statuses = [x for col in (c[2], c[3], c[4], c[6]) for x in col.split(",") if x]
        R.check(all(s == "1" for s in statuses) and c[5] in ("", "0") and c[7] == "",
                "inner packet decodes with correct checksums", w, line)


def check_raw_decode(tmp, name, exports, where):
    p = os.path.join(tmp, name + ".raw.pcap")
    write_pcap(p, [(i, e) for i, e in enumerate(exports)], 101)
    cmd = ["tshark", "-n", "-r", p, "-T", "fields", "-e", "frame.number", "-e", "frame.protocols", "-e",
           "_ws.malformed"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        c = line.split("\t") + [""]
        R.check(c[1].split(":")[1] in ("ip", "ipv6") and c[2] == "" and len(c[1].split(":")) > 2,
                "exported inner packet decodes in tshark (AEAD/GMAC)", "%s %s" % (where, c[0]), line)


if __name__ == "__main__":
    sys.exit(main())

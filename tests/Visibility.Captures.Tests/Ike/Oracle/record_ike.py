#!/usr/bin/python3
"""Records tshark's isakmp dissection of every IKE message in captures/ as the oracle of IkeDifferentialTests.

For each capture under captures/ that carries ISAKMP, writes <capture path>.ike.jsonl here (same relative path):
one JSON object per dissected message with frame, version, exchange, flags, message_id, the top-level payload
types in wire order, the clear Notify types, malformed (tshark flagged the frame), and, when keys are given, what
tshark decrypted: {payloads, notify, icd: "correct"|"incorrect"|null}. Keys: the ikev2_decryption_table beside a
synthetic capture, and tcpdump's ikev2pI2-secrets.txt converted to Wireshark's row format.
IP fragments are reassembled (ip.defragment), as the sensor does. Output depends on the tshark version
(tshark-version.txt).
Run: tests/Visibility.Captures.Tests/Ike/Oracle/record_ike.sh
"""
import json
import os
import subprocess
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
CAPTURES = os.path.join(ROOT, "captures")

CIPHERS = {"aes128": "AES-CBC-128 [RFC3602]", "aes192": "AES-CBC-192 [RFC3602]", "aes256": "AES-CBC-256 [RFC3602]"}
INTEGRITY = {"sha1": "HMAC_SHA1_96 [RFC2404]", "sha256": "HMAC_SHA2_256_128 [RFC4868]"}


def tcpdump_secrets(path):
    """tcpdump's 'ikev2 I|R spii spir integ:key cipher:key' lines as ikev2_decryption_table rows."""
    keys = {}
    for line in open(path):
        f = line.split()
        if len(f) != 6 or f[0] != "ikev2":
            continue
        integ, ikey = f[4].split(":0x")
        cipher, ekey = f[5].split(":0x")
        keys.setdefault((f[2][2:], f[3][2:]), {})[f[1]] = (ekey, ikey, cipher, integ)
    rows = []
    for (spii, spir), d in keys.items():
        ei, ai, cipher, integ = d["I"]
        er, ar, _, _ = d["R"]
        rows.append(f'{spii},{spir},{ei},{er},"{CIPHERS[cipher]}",{ai},{ar},"{INTEGRITY[integ]}"')
    return rows


def table_rows(path):
    return [l.strip() for l in open(path) if l.strip() and not l.startswith("#")]


def keys_for(relative):
    folder = os.path.dirname(os.path.join(CAPTURES, relative))
    table = os.path.join(folder, "ikev2_decryption_table")
    if relative.startswith("synthetic/") and os.path.exists(table):
        return table_rows(table)
    if os.path.basename(relative) == "tcpdump__tests__ikev2pI2.pcap":
        return tcpdump_secrets(os.path.join(CAPTURES, "public", "tcpdump__tests__ikev2pI2-secrets.txt"))
    return []


def fields(node, name):
    return [c for c in node if c.tag == "field" and c.get("name") == name]


def first(node, name):
    f = fields(node, name)
    return f[0] if f else None


def show(node, name):
    f = first(node, name)
    return f.get("show") if f is not None else None


def num(text):
    return int(text, 0) if text else None


def chain(payloads):
    types, notify = [], []
    for p in payloads:
        t = int(p.get("show"))
        types.append(t)
        if t == 41 and show(p, "isakmp.notify.msgtype") is not None:
            notify.append(int(show(p, "isakmp.notify.msgtype")))
    return types, notify


def decrypted(payload):
    dec = first(payload, "isakmp.enc.decrypted")
    if dec is None:
        return None
    contained = first(dec, "isakmp.enc.contained")
    types, notify = chain(fields(contained, "isakmp.typepayload")) if contained is not None else ([], [])
    icd = first(payload, "isakmp.enc.icd")
    verdict = None
    if icd is not None:
        text = icd.get("showname") or ""
        verdict = "correct" if "[correct]" in text else "incorrect" if "[incorrect" in text else None
    return {"payloads": types, "notify": notify, "icd": verdict}


def record(frame, malformed, proto):
    top = fields(proto, "isakmp.typepayload")
    version = num(show(proto, "isakmp.version"))
    rec = {"frame": frame, "malformed": malformed, "version": version,
           "exchange": num(show(proto, "isakmp.exchangetype")), "flags": num(show(proto, "isakmp.flags")),
           "message_id": num(show(proto, "isakmp.messageid")), "payloads": [], "notify": [], "decrypted": None}
    if version is not None and version >> 4 == 2:
        rec["payloads"], rec["notify"] = chain(top)
        for p in top:
            if int(p.get("show")) in (46, 53):
                rec["decrypted"] = decrypted(p)
    return rec


def oracle(relative):
    cmd = ["tshark", "-n", "-r", os.path.join(CAPTURES, relative), "-T", "pdml", "-o", "ip.defragment:TRUE"]
    for row in keys_for(relative):
        cmd += ["-o", "uat:ikev2_decryption_table:" + row]
    xml = subprocess.run(cmd, check=True, capture_output=True).stdout
    records = []
    for packet in ET.fromstring(xml).iter("packet"):
        protos = [p for p in packet if p.tag == "proto"]
        frame = int(next(show(p, "frame.number") for p in protos if p.get("name") == "frame"))
        malformed = any(p.get("name") == "_ws.malformed" for p in protos)
        for p in protos:
            if p.get("name") == "isakmp":
                records.append(record(frame, malformed, p))
    return records


def main():
    version = subprocess.run(["tshark", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    with open(os.path.join(HERE, "tshark-version.txt"), "w") as f:
        f.write(version + "\n")
    for folder, _, files in sorted(os.walk(CAPTURES)):
        for name in sorted(files):
            if not name.endswith((".pcap", ".pcapng", ".cap")) or name.endswith(".inner.pcap"):
                continue
            relative = os.path.relpath(os.path.join(folder, name), CAPTURES)
            records = oracle(relative)
            out = os.path.join(HERE, relative + ".ike.jsonl")
            if not records:
                if os.path.exists(out):
                    os.remove(out)
                continue
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with open(out, "w") as f:
                for r in records:
                    f.write(json.dumps(r, separators=(",", ":")) + "\n")
            print(f"{relative}: {len(records)} IKE messages")


if __name__ == "__main__":
    main()

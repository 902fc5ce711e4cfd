#!/usr/bin/python3
"""Records tshark's isakmp dissection of every IKE message in the test captures (the oracle).

For each capture in captures/public/ that carries ISAKMP/IKE, and for vectors/ikev2-sk-vectors.pcap,
writes <capture name>.oracle.jsonl here: one JSON object per dissected IKE message with the header
fields, the top-level payload types in wire order, the Notify types, KE group, SA proposals and
transforms, SKF fragment numbers, and, where a key table is given, tshark's decryption (inner payload
types and notifies, Pad Length, integrity verdict). Fields (all numbers decimal):
  frame, index (nth IKE message in the frame), ip_reassembled (tshark joined IP fragments),
  malformed (tshark flagged the frame), extra_data (octets after the last payload), last_next (Next
  Payload of the last payload; not 0 means the chain promised more than the message holds), version, ispi, rspi (hex), next, exchange, flags,
  message_id, length, payloads, critical, notify, ke_group, proposals [[protocol, spi_size,
  transform_count, [[type, id, key_length], ...]], ...], skf [number, total], decrypted {payloads,
  notify, pad_length, icd}.
Run: /usr/bin/python3 make_oracle.py   (tshark on PATH; output depends on the tshark version,
recorded in tshark-version.txt)
"""
import glob
import json
import os
import subprocess
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
CAPTURES = os.path.join(ROOT, "captures", "public")

# Key tables for captures that can be decrypted (tcpdump's ikev2pI2-secrets.txt in Wireshark form).
KEY_TABLES = {
    "tcpdump__tests__ikev2pI2.pcap": "ikev2pI2_decryption_table",
}


def table_rows(path):
    with open(path) as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


def num(text):
    return int(text, 0) if text else None


def fields(node, name):
    return [c for c in node if c.tag == "field" and c.get("name") == name]


def first(node, name):
    f = fields(node, name)
    return f[0] if f else None


def show(node, name):
    f = first(node, name)
    return f.get("show") if f is not None else None


def payload_list(node):
    return fields(node, "isakmp.typepayload")


def describe_chain(payloads):
    types, critical, notify = [], [], []
    for p in payloads:
        t = int(p.get("show"))
        types.append(t)
        critical.append(show(p, "isakmp.criticalpayload") == "1")
        if t == 41 and show(p, "isakmp.notify.msgtype") is not None:
            notify.append(int(show(p, "isakmp.notify.msgtype")))
    return types, critical, notify


def proposals(sa):
    out = []
    for prop in payload_list(sa):
        transforms = []
        for tr in payload_list(prop):
            ttype = num(show(tr, "isakmp.tf.type"))
            tid = None
            for c in tr:
                if c.tag == "field" and (c.get("name") or "").startswith("isakmp.tf.id."):
                    tid = int(c.get("show"), 0)
            keylen = 0
            for attr in fields(tr, "isakmp.ike2.attr"):
                kl = show(attr, "isakmp.ike2.attr.key_length")
                if kl is not None:
                    keylen = int(kl)
            transforms.append([ttype, tid, keylen])
        out.append([num(show(prop, "isakmp.prop.protoid")), num(show(prop, "isakmp.spisize")),
                    num(show(prop, "isakmp.prop.transforms")), transforms])
    return out


def decrypted(sk):
    dec = first(sk, "isakmp.enc.decrypted")
    if dec is None:
        return None
    contained = first(dec, "isakmp.enc.contained")
    types, _, notify = describe_chain(payload_list(contained)) if contained is not None else ([], [], [])
    icd = first(sk, "isakmp.enc.icd")
    verdict = None
    if icd is not None:
        text = icd.get("showname")
        verdict = "correct" if "[correct]" in text else "incorrect" if "[incorrect" in text else None
    return {"payloads": types, "notify": notify, "pad_length": num(show(dec, "isakmp.enc.pad_length")), "icd": verdict}


def message(proto):
    top = payload_list(proto)
    types, critical, notify = describe_chain(top)
    rec = {
        "version": num(show(proto, "isakmp.version")),
        "ispi": (show(proto, "isakmp.ispi") or "").replace(":", ""),
        "rspi": (show(proto, "isakmp.rspi") or "").replace(":", ""),
        "next": num(show(proto, "isakmp.nextpayload")),
        "exchange": num(show(proto, "isakmp.exchangetype")),
        "flags": num(show(proto, "isakmp.flags")),
        "message_id": num(show(proto, "isakmp.messageid")),
        "length": num(show(proto, "isakmp.length")),
        "extra_data": first(proto, "isakmp.extradata") is not None,
        "last_next": num(show(top[-1], "isakmp.nextpayload")) if top else None,
        "payloads": types,
        "critical": critical,
        "notify": notify,
        "ke_group": None,
        "proposals": None,
        "skf": None,
        "decrypted": None,
    }
    if rec["version"] is not None and rec["version"] >> 4 == 2:
        for p in top:
            t = int(p.get("show"))
            if t == 34 and rec["ke_group"] is None:
                rec["ke_group"] = num(show(p, "isakmp.key_exchange.dh_group"))
            elif t == 33 and rec["proposals"] is None:
                rec["proposals"] = proposals(p)
            elif t == 53:
                rec["skf"] = [num(show(p, "isakmp.frag.number")), num(show(p, "isakmp.frag.total"))]
                rec["decrypted"] = decrypted(p)
            elif t == 46:
                rec["decrypted"] = decrypted(p)
    return rec


def oracle(pcap, rows, out_name):
    cmd = ["tshark", "-r", pcap, "-T", "pdml", "-o", "ip.defragment:TRUE"]
    for row in rows:
        cmd += ["-o", "uat:ikev2_decryption_table:" + row]
    xml = subprocess.run(cmd, check=True, capture_output=True).stdout
    records = []
    for packet in ET.fromstring(xml).iter("packet"):
        protos = [p for p in packet if p.tag == "proto"]
        frame = int(next(show(p, "frame.number") for p in protos if p.get("name") == "frame"))
        malformed = any(p.get("name") == "_ws.malformed" for p in protos)
        reassembled = any(p.get("name") in ("ip", "ipv6") and first(p, "ip.fragments") is not None for p in protos) \
            or any(f.get("name") == "ip.fragments" for p in protos for f in p.iter("field"))
        index = 0
        for p in protos:
            if p.get("name") != "isakmp":
                continue
            rec = {"frame": frame, "index": index, "ip_reassembled": reassembled, "malformed": malformed}
            rec.update(message(p))
            records.append(rec)
            index += 1
    with open(os.path.join(HERE, out_name), "w") as f:
        for r in records:
            f.write(json.dumps(r, separators=(",", ":")) + "\n")
    return len(records)


def main():
    version = subprocess.run(["tshark", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    with open(os.path.join(HERE, "tshark-version.txt"), "w") as f:
        f.write(version + "\n")
    for pcap in sorted(glob.glob(os.path.join(CAPTURES, "*.pcap*"))):
        name = os.path.basename(pcap)
        table = KEY_TABLES.get(name)
        rows = table_rows(os.path.join(HERE, table)) if table else []
        n = oracle(pcap, rows, name + ".oracle.jsonl")
        if n == 0:
            os.remove(os.path.join(HERE, name + ".oracle.jsonl"))
        print(f"{name}: {n} IKE messages")
    vectors = os.path.join(HERE, "vectors", "ikev2-sk-vectors.pcap")
    n = oracle(vectors, table_rows(os.path.join(HERE, "vectors", "ikev2_decryption_table")), "ikev2-sk-vectors.pcap.oracle.jsonl")
    print(f"ikev2-sk-vectors.pcap: {n} IKE messages")


if __name__ == "__main__":
    main()

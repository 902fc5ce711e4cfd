#!/usr/bin/python3
"""Writes Wireshark's key files and a truth file from a strongSwan charon log at ike=4/chd=4 and the capture.

Usage: strongswan_keys.py CHARON_LOG CAPTURE OUT_DIR [--map PRIVATE=PUBLIC ...]

charon (5.9.8) logs, per IKE SA it derives keys for, "selected proposal: IKE:..." and hex dumps "Sk_ai secret",
"Sk_ar secret", "Sk_ei secret", "Sk_er secret"; per Child SA "selected proposal: ESP:...", "encryption|integrity
initiator|responder key" dumps, "adding inbound|outbound ESP SA" with "SPI 0x..., src A dst B". It does not log the
IKE SPIs next to the keys, so they come from the capture: the n-th IKE SA whose keys were derived is the n-th
IKE_SA_INIT exchange whose response carries an SA payload (tshark). The log must be the initiator's (charon names the
keys by role; the initiator's inbound SA uses the responder's keys). --map rewrites an address as charon saw it into the
address on the captured link (a NAT's public address).

Writes OUT_DIR/ikev2_decryption_table, OUT_DIR/esp_sa and OUT_DIR/truth.jsonl (one object per SA: SPIs, algorithm
names as charon logged them, whether charon found itself behind a NAT, addresses, ICV length, expected ESP verdict).
"""
import json
import re
import subprocess
import sys

IKE_ENCR = {"AES_CBC_128": "AES-CBC-128 [RFC3602]", "AES_CBC_192": "AES-CBC-192 [RFC3602]", "AES_CBC_256": "AES-CBC-256 [RFC3602]"}
IKE_INTEG = {"HMAC_SHA1_96": "HMAC_SHA1_96 [RFC2404]", "HMAC_SHA2_256_128": "HMAC_SHA2_256_128 [RFC4868]",
             "HMAC_SHA2_384_192": "HMAC_SHA2_384_192 [RFC4868]", "HMAC_SHA2_512_256": "HMAC_SHA2_512_256 [RFC4868]"}
ESP_ENCR = {"NULL": "NULL", "AES_CBC_128": "AES-CBC [RFC3602]", "AES_CBC_256": "AES-CBC [RFC3602]"}
ESP_INTEG = {"HMAC_SHA1_96": ("HMAC-SHA-1-96 [RFC2404]", 12), "HMAC_SHA2_256_128": ("HMAC-SHA-256-128 [RFC4868]", 16),
             "HMAC_SHA2_384_192": ("HMAC-SHA-384-192 [RFC4868]", 24), "HMAC_SHA2_512_256": ("HMAC-SHA-512-256 [RFC4868]", 32)}

DUMP_HEAD = re.compile(r"\[(IKE|CHD)\] (.+?) => (\d+) bytes @")
DUMP_LINE = re.compile(r"\[(?:IKE|CHD)\]\s+\d+: ((?:[0-9A-F]{2} ){1,16})")


def parse_log(path):
    """Returns (ike_sas, child_sas) in log order."""
    lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
    ike, child = [], []
    proposal_ike, proposal_esp = None, None
    current_child = None
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.search(r"selected proposal: IKE:(\S+)", line)
        if m:
            proposal_ike = m.group(1).split("/")
        m = re.search(r"selected proposal: ESP:(\S+)", line)
        if m:
            proposal_esp = m.group(1).split("/")
            current_child = {"proposal": proposal_esp, "keys": {}}
        m = DUMP_HEAD.search(line)
        if m:
            name, size = m.group(2), int(m.group(3))
            data = []
            j = i + 1
            while len(data) < size and j < len(lines) and DUMP_LINE.search(lines[j]):
                data += DUMP_LINE.search(lines[j]).group(1).split()
                j += 1
            value = "".join(data).lower()
            if name.startswith("Sk_") and name.endswith(" secret"):
                key = name.split()[0].lower()
                if key == "sk_d":
                    ike.append({"proposal": proposal_ike, "keys": {}})
                ike[-1]["keys"][key] = value
            elif m.group(1) == "CHD" and (name.startswith("encryption ") or name.startswith("integrity ")) and current_child is not None:
                current_child["keys"][name] = value
            i = j
            continue
        m = re.search(r"adding (inbound|outbound) ESP SA", line)
        if m and current_child is not None:
            spi = re.search(r"SPI 0x([0-9a-f]+), src (\S+) dst (\S+)", lines[i + 1])
            current_child[m.group(1)] = (spi.group(1), spi.group(2), spi.group(3))
            if "inbound" in current_child and "outbound" in current_child:
                child.append(current_child)
                current_child = {"proposal": proposal_esp, "keys": {}}
        i += 1
    return ike, child


def ike_spis(capture):
    """(SPIi, SPIr) of every IKE_SA_INIT response with an SA payload, in capture order (tshark)."""
    out = subprocess.run(["tshark", "-n", "-r", capture, "-Y", "isakmp.exchangetype == 34 && isakmp.flag_r == 1 && isakmp.typepayload == 33",
                          "-T", "fields", "-e", "isakmp.ispi", "-e", "isakmp.rspi"], check=True, capture_output=True, text=True).stdout
    spis = []
    for line in out.splitlines():
        pair = tuple(line.split("\t"))
        if pair not in spis:
            spis.append(pair)
    return spis


def main():
    log, capture, out = sys.argv[1:4]
    mapping = dict(a.split("=", 1) for a in sys.argv[5::2]) if len(sys.argv) > 4 and sys.argv[4] == "--map" else {}
    ike, child = parse_log(log)
    # charon's own NAT detection (RFC 7296 §2.23): its NAT_DETECTION_DESTINATION_IP check failed for its own address.
    # kernel-libipsec fakes the peer-side NAT for UDP encapsulation, so "remote host is behind NAT" proves nothing.
    behind_nat = "local host is behind NAT" in open(log, encoding="utf-8", errors="replace").read()
    spis = ike_spis(capture)
    if len(spis) != len(ike):
        raise SystemExit(f"{len(ike)} IKE SAs with keys in the log, {len(spis)} completed IKE_SA_INIT exchanges in the capture")
    table, esp_rows, truth = [], [], []
    for (spii, spir), sa in zip(spis, ike):
        encr, integ = sa["proposal"][0], sa["proposal"][1]
        k = sa["keys"]
        table.append(f'{spii},{spir},{k["sk_ei"]},{k["sk_er"]},"{IKE_ENCR[encr]}",{k["sk_ai"]},{k["sk_ar"]},"{IKE_INTEG[integ]}"')
        truth.append({"type": "ike", "init_spi": spii, "resp_spi": spir, "encryption": encr, "integrity": integ,
                      "prf": sa["proposal"][2], "dh_group": sa["proposal"][3], "local_behind_nat": behind_nat})
    for sa in child:
        encr, integ = sa["proposal"][0], sa["proposal"][1]
        auth_name, icv = ESP_INTEG[integ]
        for direction, role in (("outbound", "initiator"), ("inbound", "responder")):
            spi, src, dst = sa[direction]
            src, dst = mapping.get(src, src), mapping.get(dst, dst)
            family = "IPv6" if ":" in src else "IPv4"
            ekey = sa["keys"].get(f"encryption {role} key", "")
            akey = sa["keys"][f"integrity {role} key"]
            esp_rows.append(f'"{family}","{src}","{dst}","0x{spi}","{ESP_ENCR[encr]}","0x{ekey}","{auth_name}","0x{akey}"')
            truth.append({"type": "esp", "spi": int(spi, 16), "direction": direction, "src_ip": src, "dest_ip": dst,
                          "encryption": encr, "integrity": integ, "icv_len": icv, "verdict": "null" if encr == "NULL" else "encrypted"})
    with open(f"{out}/ikev2_decryption_table", "w") as f:
        f.write("\n".join(table) + "\n")
    with open(f"{out}/esp_sa", "w") as f:
        f.write("\n".join(esp_rows) + "\n")
    with open(f"{out}/truth.jsonl", "w") as f:
        for t in truth:
            f.write(json.dumps(t, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()

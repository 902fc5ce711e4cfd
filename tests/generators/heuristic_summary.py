#!/usr/bin/env python3
"""Compare Wireshark's ESP-NULL heuristic (wireshark-heuristic.tsv) with truth.jsonl.

Per packet of an SA (for fragmented packets: the frame that completes reassembly):
  payload found      NULL packet decoded with the true ICV length and Next Header and no IV to skip
  wrong framing      NULL packet decoded, but with another ICV length or Next Header, or a GMAC packet
                     (Wireshark assumes no IV, so it reads the 8-octet IV as the start of the payload)
  missed             NULL packet (not a dummy) not decoded
  false NULL         packet of an encrypted SA decoded as ESP-NULL
Per SA, Wireshark's verdict is "null" when at least half of the SA's packets were decoded as ESP-NULL.
Native WESP (IP protocol 141) has no Wireshark dissector and is reported apart; WESP in UDP/4500 is seen by
Wireshark as ESP with SPI 2 and is scored like ESP.

Usage: /usr/bin/python3 tests/generators/heuristic_summary.py [CORPUS_DIR]
"""
import collections
import csv
import json
import os
import sys


def main():
    d = os.path.normpath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "captures", "synthetic", "esp"))
    truth = [json.loads(l) for l in open(os.path.join(d, "truth.jsonl"))]
    rows = {}
    with open(os.path.join(d, "wireshark-heuristic.tsv")) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            rows[(r["file"], int(r["frame"]))] = r

    def group(sa):
        if sa["encap"] == "wesp":
            return None
        if sa["encap"] == "wesp-udp":
            return "WESP in UDP (ESP SPI 2 to WS)"
        if sa["verdict"] == "null":
            if sa["enc_alg"] == "ENCR_NULL_AUTH_AES_GMAC":
                return "NULL GMAC (IV 8, ICV 16)"
            return "NULL ICV %d" % sa["icv_len"]
        return "encrypted, doctored" if sa["doctored_frames"] else "encrypted"

    native = [s for s in truth if s["encap"] == "wesp" and not s["anomalies"]]
    print("Native WESP (IP protocol 141): %d SAs, %d packets; Wireshark 4.0 has no WESP dissector and shows "
          "them as IP payload (not scored)." % (len(native), sum(s["packets"] for s in native)))
    print()
    for scope, sas in (("whole corpus (well-formed SAs)", [s for s in truth if not s["anomalies"]]),
                       ("mix-110.pcap", [s for s in truth if s["file"] == "mix-110.pcap"])):
        per = collections.defaultdict(collections.Counter)
        wrong = []
        for sa in sas:
            g = group(sa)
            if g is None:
                continue
            c = per[g]
            c["SAs"] += 1
            decoded_n = 0
            for i, fno in enumerate(sa["frames"]):
                r = rows.get((sa["file"], fno))
                assert r is not None, (sa["file"], fno)
                dec = r["null_decoded"] == "1"
                decoded_n += dec
                nh = sa["packet_next_headers"][i]
                if sa["verdict"] == "null":
                    if nh == 59:
                        c["dummy decoded" if dec else "dummy not decoded"] += 1
                    elif not dec:
                        c["missed"] += 1
                    elif (r["icv_len"] == str(sa["icv_len"]) and r["next_header"] == str(nh)
                          and sa["iv_len"] == 0 and not sa["encap"].startswith("wesp")):
                        c["payload found"] += 1
                    else:
                        c["wrong framing"] += 1
                else:
                    c["packets"] += 1
                    if dec:
                        c["false NULL"] += 1
                        if fno in (sa["doctored_frames"] or []):
                            c["false NULL on doctored packet"] += 1
            verdict = "null" if decoded_n * 2 >= len(sa["frames"]) else "encrypted"
            c["SA right" if verdict == sa["verdict"] else "SA wrong"] += 1
            if verdict != sa["verdict"]:
                wrong.append("%s (%s, %d of %d packets decoded)" % (sa["sa"], g, decoded_n, len(sa["frames"])))
        print("== Wireshark ESP-NULL heuristic vs truth: %s ==" % scope)
        cols = ["SAs", "SA right", "SA wrong", "payload found", "wrong framing", "missed", "dummy not decoded",
                "packets", "false NULL", "false NULL on doctored packet"]
        print("%-30s " % "group" + " ".join("%9s" % c.replace("false NULL on doctored packet", "on doctored")
                                            .replace("dummy not decoded", "dummy skip")
                                            .replace("payload found", "found")
                                            .replace("wrong framing", "misframed")
                                            for c in cols))
        tot = collections.Counter()
        for g in sorted(per):
            print("%-30s " % g + " ".join("%9d" % per[g][c] for c in cols))
            tot.update(per[g])
        print("%-30s " % "total" + " ".join("%9d" % tot[c] for c in cols))
        for w in wrong:
            print("  SA wrong: " + w)
        print()


if __name__ == "__main__":
    main()

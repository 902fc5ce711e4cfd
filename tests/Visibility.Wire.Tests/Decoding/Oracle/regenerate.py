#!/usr/bin/python3
"""Regenerates the tshark oracle files that PacketDecoderTsharkTests compares the decoder with.

Usage (from anywhere):  /usr/bin/python3 tests/Visibility.Wire.Tests/Decoding/Oracle/regenerate.py
Writes one <capture file name>.tsv per classic pcap in captures/public/ (pcapng files are skipped).
Recorded with tshark 4.0.17; the version used is written into every file's first line.

tshark runs with:
  -o ip.defragment:FALSE -o ipv6.defragment:FALSE
      every frame is dissected on its own bytes, as the decoder sees it; with reassembly on, tshark would
      attribute the reassembled UDP/ESP header to the last fragment instead.
  -o esp.enable_null_encryption_decode_heuristic:FALSE  (the default, pinned)
      otherwise tshark guesses at ESP-NULL payloads and adds inner ip/tcp values.

Fields read (-T fields, -E occurrence=a, all occurrences comma-aggregated):
  frame.number frame.protocols vlan.id ieee8021ad.id
  ip.src ip.dst ip.proto ip.flags.mf ip.frag_offset
  ipv6.src ipv6.dst ipv6.nxt ipv6.hopopts.nxt ipv6.routing.nxt ipv6.dstopts.nxt
  ipv6.fraghdr.nxt ipv6.fraghdr.offset ipv6.fraghdr.more ah.next_header
  tcp.srcport tcp.dstport udp.srcport udp.dstport esp.spi esp.sequence

tshark quirks handled here, so that every column describes the OUTERMOST headers only:
  * ICMP/ICMPv6 errors quote the offending packet, and tshark dissects the quote: ip.src, ip.proto, udp.srcport...
    then carry two values, or a port appears although the packet is ICMP. Addresses and protocol take the first
    occurrence; ports are taken only when the outer chain ends in TCP or UDP.
  * An 802.1ad S-tag is reported as ieee8021ad.id, an 802.1Q tag as vlan.id; the VLAN column lists both in
    wire order by walking frame.protocols. Tags after the first IP layer (tunnels) are ignored.
  * tshark has no "final protocol" field. The column follows the outer chain: ip.proto / ipv6.nxt, then the next
    header of each hop-by-hop, routing, destination-options and AH header in order, stopping at anything else or
    at a non-atomic IPv6 fragment header (44 is then the value, as the decoder reports it).
  * esp.spi is printed in hex; it is written here in decimal like every other number.

Columns: frame, frag (1 when the outer IP header is a fragment), vlan (comma list), src, dst, proto, sport, dport,
spi, seq. Empty = tshark showed nothing.
"""
import os
import subprocess
import sys

FIELDS = [
    "frame.number", "frame.protocols", "vlan.id", "ieee8021ad.id",
    "ip.src", "ip.dst", "ip.proto", "ip.flags.mf", "ip.frag_offset",
    "ipv6.src", "ipv6.dst", "ipv6.nxt", "ipv6.hopopts.nxt", "ipv6.routing.nxt", "ipv6.dstopts.nxt",
    "ipv6.fraghdr.nxt", "ipv6.fraghdr.offset", "ipv6.fraghdr.more", "ah.next_header",
    "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport", "esp.spi", "esp.sequence",
]

EXTENSION_FIELD = {0: "ipv6.hopopts.nxt", 43: "ipv6.routing.nxt", 60: "ipv6.dstopts.nxt"}


def repo_root():
    here = os.path.dirname(os.path.abspath(__file__))
    while not os.path.exists(os.path.join(here, "Visibility.sln")):
        parent = os.path.dirname(here)
        if parent == here:
            sys.exit("Visibility.sln not found above " + __file__)
        here = parent
    return here


def is_classic_pcap(path):
    with open(path, "rb") as f:
        magic = f.read(4)
    return magic in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")


def as_bool(text):
    return text in ("1", "True", "true")


def normalise(values):
    """values: field name -> list of occurrences. Returns the oracle columns for one frame."""
    frame = values["frame.number"][0]
    layers = values["frame.protocols"][0].split(":") if values["frame.protocols"] else []
    taken = {name: 0 for name in FIELDS}

    def take(name):
        occurrences = values[name]
        i = taken[name]
        taken[name] = i + 1
        return occurrences[i] if i < len(occurrences) else None

    vlans = []
    network = None
    for layer in layers:
        if layer == "vlan":
            v = take("vlan.id")
            if v is not None:
                vlans.append(v)
        elif layer == "ieee8021ad":
            v = take("ieee8021ad.id")
            if v is not None:
                vlans.append(v)
        elif layer in ("ip", "ipv6"):
            network = layer
            break

    src = dst = proto = sport = dport = spi = seq = ""
    frag = "0"
    if network == "ip":
        src, dst = values["ip.src"][0], values["ip.dst"][0]
        nxt = int(values["ip.proto"][0])
        if as_bool(values["ip.flags.mf"][0]) or int(values["ip.frag_offset"][0]) != 0:
            frag = "1"
        else:
            while nxt == 51:
                v = take("ah.next_header")
                if v is None:
                    break
                nxt = int(v)
    elif network == "ipv6":
        src, dst = values["ipv6.src"][0], values["ipv6.dst"][0]
        nxt = int(values["ipv6.nxt"][0])
        while True:
            if nxt in EXTENSION_FIELD:
                v = take(EXTENSION_FIELD[nxt])
            elif nxt == 51:
                v = take("ah.next_header")
            elif nxt == 44:
                i = taken["ipv6.fraghdr.nxt"]
                offset = values["ipv6.fraghdr.offset"][i] if i < len(values["ipv6.fraghdr.offset"]) else "0"
                more = values["ipv6.fraghdr.more"][i] if i < len(values["ipv6.fraghdr.more"]) else "0"
                if int(offset) != 0 or as_bool(more):
                    frag = "1"
                    break
                v = take("ipv6.fraghdr.nxt")  # atomic fragment (RFC 6946): the chain continues
            else:
                break
            if v is None:
                break
            nxt = int(v)
    if network is not None:
        proto = str(nxt)
        if frag == "0":
            if nxt == 6 and values["tcp.srcport"]:
                sport, dport = values["tcp.srcport"][0], values["tcp.dstport"][0]
            elif nxt == 17 and values["udp.srcport"]:
                sport, dport = values["udp.srcport"][0], values["udp.dstport"][0]
            if values["esp.spi"]:
                spi = str(int(values["esp.spi"][0], 16))
                seq = values["esp.sequence"][0] if values["esp.sequence"] else ""
    return [frame, frag, ",".join(vlans), src, dst, proto, sport, dport, spi, seq]


def main():
    root = repo_root()
    captures = os.path.join(root, "captures", "public")
    out_dir = os.path.dirname(os.path.abspath(__file__))
    version = subprocess.run(["tshark", "--version"], capture_output=True, text=True, check=True).stdout.splitlines()[0]
    for name in sorted(os.listdir(captures)):
        path = os.path.join(captures, name)
        if not os.path.isfile(path) or not is_classic_pcap(path):
            continue
        command = ["tshark", "-n", "-r", path,
                   "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
                   "-o", "esp.enable_null_encryption_decode_heuristic:FALSE",
                   "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,"]
        for field in FIELDS:
            command += ["-e", field]
        result = subprocess.run(command, capture_output=True, text=True, check=True)
        lines = ["# " + version.rstrip(".") + "; generated by regenerate.py from captures/public/" + name,
                 "# frame\tfrag\tvlan\tsrc\tdst\tproto\tsport\tdport\tspi\tseq"]
        for row in result.stdout.splitlines():
            cells = row.split("\t")
            values = {field: (cells[i].split(",") if i < len(cells) and cells[i] else []) for i, field in enumerate(FIELDS)}
            lines.append("\t".join(normalise(values)))
        with open(os.path.join(out_dir, name + ".tsv"), "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(lines) + "\n")
        print(name, len(lines) - 2, "frames")


if __name__ == "__main__":
    main()

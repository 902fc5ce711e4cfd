#!/usr/bin/env python3
"""Writes N content rules for the end-to-end rule figures in rules/README.md (1,000 and 10,000; not committed).

The headers cycle through those of bench16.rules (protocol, ports, flow), so 3 in 16 are "ip any any" rules that
every packet meets; each rule gets its own ASCII content, a web-like token that occurs nowhere, half of them nocase.
Deterministic: the same N gives the same file.

    generate-rules.py 1000 > /tmp/bench1k.rules
"""
import random
import re
import sys
from pathlib import Path

WORDS = ["admin", "login", "user", "pass", "token", "session", "cart", "item", "search", "query", "api", "v1", "v2",
         "static", "image", "index", "home", "account", "profile", "upload", "download", "report", "config", "status"]
ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-/.=_"


def main() -> None:
    count = int(sys.argv[1])
    rng = random.Random(count)
    heads = []
    for line in (Path(__file__).parent / "bench16.rules").read_text().splitlines():
        m = re.match(r'^alert (\S+ \S+ \S+ -> \S+ \S+) \(.*?((?:flow:\w+; )?)content:', line)
        if m:
            heads.append((m.group(1), m.group(2)))
    seen = set()
    for i in range(count):
        head, flow = heads[i % len(heads)]
        while True:
            token = rng.choice(WORDS)
            while len(token) < rng.randint(8, 16):
                token += rng.choice(ALPHABET)
            if token.lower() not in seen:
                seen.add(token.lower())
                break
        nocase = " nocase;" if i % 2 else ""
        print(f'alert {head} (msg:"GEN {i}"; {flow}content:"{token}";{nocase} classtype:misc-activity; sid:{9200000 + i}; rev:1;)')


if __name__ == "__main__":
    main()

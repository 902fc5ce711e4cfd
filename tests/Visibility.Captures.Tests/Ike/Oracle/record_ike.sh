#!/bin/sh
# Regenerates the tshark oracle of the IKE differential test (needs tshark and the Debian python).
set -e
exec /usr/bin/python3 "$(dirname "$0")/record_ike.py"

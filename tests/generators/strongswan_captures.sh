#!/usr/bin/env bash
# Regenerates captures/synthetic/ike/ss-<scenario>/: captures of two strongSwan charon daemons (5.9.8, Debian) talking
# to each other in network namespaces, with the keys each IKE and ESP SA used, for the IKE tracker's tests.
#
#   ss-redirect        PSK setup, then the gateway redirects the established SA (swanctl --redirect, RFC 5685 §7) to
#                      its second address; the client follows with REDIRECTED_FROM and pings through the new SA
#   ss-eap-tls         EAP-only authentication (RFC 5998) with EAP-TLS on both sides (client: remote auth = eap-tls)
#   ss-fragmentation   certificate authentication with 3072-bit RSA certificates and IKE fragmentation forced
#                      (RFC 7383) at fragment_size 400: IKE_AUTH in SKF fragments
#   ss-ipv6            PSK over IPv6 (fd00:18::1 <-> fd00:18::2), ESP-NULL with HMAC-SHA-512-256, ping6 inside
#   ss-nat-t           the client behind an nftables masquerade (10.1.0.2 -> 198.18.0.1): NAT detected, IKE floats
#                      to UDP 4500, UDP-encapsulated ESP (RFC 3948); captured outside the NAT
#
# Network: namespace "i" (initiator, 198.18.0.1 / fd00:18::1, inner host 198.19.1.1 / fd00:19:1::1) and "r" (responder,
# 198.18.0.2 and 198.18.0.3 / fd00:18::2, inner host 198.19.2.1 / fd00:19:2::1) joined by a veth pair; ss-nat-t puts a
# router namespace "n" between them. charon writes its pid to the fixed /var/run/charon.pid, so each daemon runs in a
# mount namespace of its own with a private folder bound over /run; kernel-libipsec gives userspace ESP (the kernel has
# no XFRM ESP here). Keys: charon logs at ike=4/chd=4 print SK_ei/SK_er/SK_ai/SK_ar and the ESP keys;
# strongswan_keys.py turns the initiator's log into ikev2_decryption_table and esp_sa (Wireshark's formats) and
# truth.jsonl. tcpdump captures on the responder's link. Needs root, strongswan-charon, strongswan-swanctl,
# libcharon-extra-plugins, libstrongswan-standard-plugins, openssl, tcpdump, nftables (ss-nat-t).
# Usage: tests/generators/strongswan_captures.sh [scenario...]   (default: all)
# SPIs and keys are random: after regenerating, re-run tests/Visibility.Captures.Tests/Ike/Oracle/record_ike.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/tests/generators"
work=$(mktemp -d /tmp/visibility-ss-XXXXXX)
tag="ss$$"
ns_i="${tag}i"; ns_r="${tag}r"; ns_n="${tag}n"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 0.5
  for ns in "$ns_i" "$ns_r" "$ns_n"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# make_pki DIR: a CA, ECDSA P-256 certificates for gw.test and client.test (EAP-TLS), RSA 3072 ones for the
# fragmentation scenario (large enough that IKE_AUTH needs several fragments).
make_pki() {
  local d=$1
  mkdir -p "$d"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$d/ca.key" -out "$d/ca.pem" -days 3650 \
    -subj "/CN=Visibility Test CA" 2>/dev/null
  for name in gw.test client.test; do
    for kind in ec rsa; do
      local opt=(-pkeyopt ec_paramgen_curve:P-256)
      [ "$kind" = rsa ] && opt=(-pkeyopt rsa_keygen_bits:3072)
      openssl req -newkey "$kind" "${opt[@]}" -nodes -keyout "$d/$name.$kind.key" -out "$d/$name.$kind.csr" -subj "/CN=$name" 2>/dev/null
      printf 'subjectAltName=DNS:%s\n' "$name" > "$d/$name.ext"
      openssl x509 -req -in "$d/$name.$kind.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial -days 3650 \
        -extfile "$d/$name.ext" -out "$d/$name.$kind.pem" 2>/dev/null
    done
  done
}

# start_charon NAME NAMESPACE PLUGINS CHARON_OPTIONS CONNECTIONS [CERT_FILES...]: a charon with its own /run, vici
# socket, swanctl folder and key-printing log; waits for its socket and loads the connections.
start_charon() {
  local name=$1 ns=$2 plugins=$3 options=$4 connections=$5; shift 5
  local d="$work/$name"
  mkdir -p "$d/run"
  for sub in x509 x509ca x509aa x509ac x509crl x509ocsp private pubkey rsa ecdsa bliss pkcs8 pkcs12; do mkdir -p "$d/swanctl/$sub"; done
  for f in "$@"; do
    case "$f" in
      *ca.pem) cp "$f" "$d/swanctl/x509ca/" ;;
      *.pem) cp "$f" "$d/swanctl/x509/" ;;
      *.key) cp "$f" "$d/swanctl/pkcs8/" ;;
    esac
  done
  cat > "$d/strongswan.conf" <<EOF
charon {
  load = random nonce kdf openssl aes sha1 sha2 hmac gcm gmp pem pkcs1 pkcs8 x509 pubkey kernel-libipsec kernel-netlink socket-default vici updown $plugins
  port = 500
  port_nat_t = 4500
  retransmit_timeout = 1
  retransmit_tries = 3
  $options
  filelog {
    log {
      path = $d/charon.log
      default = 1
      ike = 4
      chd = 4
      flush_line = yes
    }
  }
  plugins {
    vici {
      socket = unix://$d/charon.vici
    }
  }
}
swanctl {
  socket = unix://$d/charon.vici
  load = pem pkcs1 pkcs8 x509 pubkey
}
EOF
  cat > "$d/swanctl/swanctl.conf" <<EOF
connections {
$connections
}
secrets {
  ike-psk {
    secret = "visibility test secret"
  }
}
EOF
  STRONGSWAN_CONF="$d/strongswan.conf" SWANCTL_DIR="$d/swanctl" ip netns exec "$ns" unshare --mount --propagation private \
    sh -c "mount --bind '$d/run' /run && exec /usr/lib/ipsec/charon" > "$d/charon.out" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do [ -S "$d/charon.vici" ] && break; sleep 0.1; done
  swanctl_in "$name" --load-all --file "$d/swanctl/swanctl.conf" > /dev/null
}

swanctl_in() {
  local d="$work/$1"; shift
  STRONGSWAN_CONF="$d/strongswan.conf" SWANCTL_DIR="$d/swanctl" swanctl "$@"
}

# two_namespaces: initiator and responder on one link, inner hosts on their loopbacks.
two_namespaces() {
  ip netns add "$ns_i"; ip netns add "$ns_r"
  ip link add vi0 netns "$ns_i" type veth peer name vr0 netns "$ns_r"
  ip -n "$ns_i" addr add 198.18.0.1/24 dev vi0
  ip -n "$ns_r" addr add 198.18.0.2/24 dev vr0
  ip -n "$ns_r" addr add 198.18.0.3/24 dev vr0
  ip -n "$ns_i" addr add fd00:18::1/64 dev vi0 nodad
  ip -n "$ns_r" addr add fd00:18::2/64 dev vr0 nodad
  inner_hosts
  for dev in vi0 lo; do ip -n "$ns_i" link set "$dev" up; done
  for dev in vr0 lo; do ip -n "$ns_r" link set "$dev" up; done
}

inner_hosts() {
  ip -n "$ns_i" addr add 198.19.1.1/32 dev lo
  ip -n "$ns_r" addr add 198.19.2.1/32 dev lo
  ip -n "$ns_i" addr add fd00:19:1::1/128 dev lo
  ip -n "$ns_r" addr add fd00:19:2::1/128 dev lo
}

# nat_namespaces: initiator 10.1.0.2 behind router n (10.1.0.1 | 198.18.0.1, masquerade), responder 198.18.0.2.
nat_namespaces() {
  ip netns add "$ns_i"; ip netns add "$ns_r"; ip netns add "$ns_n"
  ip link add vi0 netns "$ns_i" type veth peer name vn0 netns "$ns_n"
  ip link add vn1 netns "$ns_n" type veth peer name vr0 netns "$ns_r"
  ip -n "$ns_i" addr add 10.1.0.2/24 dev vi0
  ip -n "$ns_n" addr add 10.1.0.1/24 dev vn0
  ip -n "$ns_n" addr add 198.18.0.1/24 dev vn1
  ip -n "$ns_r" addr add 198.18.0.2/24 dev vr0
  inner_hosts
  for dev in vi0 lo; do ip -n "$ns_i" link set "$dev" up; done
  for dev in vn0 vn1 lo; do ip -n "$ns_n" link set "$dev" up; done
  for dev in vr0 lo; do ip -n "$ns_r" link set "$dev" up; done
  ip -n "$ns_i" route add default via 10.1.0.1
  ip netns exec "$ns_n" sysctl -qw net.ipv4.ip_forward=1
  ip netns exec "$ns_n" nft -f - <<'EOF'
table ip nat {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "vn1" masquerade
  }
}
EOF
}

start_capture() {
  ip netns exec "$ns_r" tcpdump -i vr0 -s 0 -U -w "$work/capture.pcap" 'udp port 500 or udp port 4500 or esp' > "$work/tcpdump.out" 2>&1 &
  capture_pid=$!
  pids+=($capture_pid)
  sleep 1
}

stop_capture() {
  sleep 1
  kill -INT "$capture_pid"
  wait "$capture_pid" || true
}

wait_established() { # NAME CONNECTION COUNT
  for _ in $(seq 100); do
    [ "$(swanctl_in "$1" --list-sas --ike "$2" 2>/dev/null | grep -c 'ESTABLISHED')" -ge "${3:-1}" ] && return 0
    sleep 0.1
  done
  echo "IKE SA $2 of $1 not established" >&2
  cat "$work/$1/charon.log" >&2
  return 1
}

ping_through() { # FAMILY COUNT
  if [ "$1" = 6 ]; then
    ip netns exec "$ns_i" ping -6 -n -c "$2" -i 0.3 -W 3 -I fd00:19:1::1 fd00:19:2::1 > /dev/null
  else
    ip netns exec "$ns_i" ping -n -c "$2" -i 0.3 -W 3 -I 198.19.1.1 198.19.2.1 > /dev/null
  fi
}

finish() { # SCENARIO [--map PRIVATE=PUBLIC]: keys from the initiator's log, capture and keys into the repository
  local out="$root/captures/synthetic/ike/$1"
  mkdir -p "$out"
  if [ -n "${VISIBILITY_SS_LOGS:-}" ]; then # keep the daemons' logs for a look
    mkdir -p "$VISIBILITY_SS_LOGS/$1"
    cp "$work/i/charon.log" "$VISIBILITY_SS_LOGS/$1/initiator.log"
    cp "$work/r/charon.log" "$VISIBILITY_SS_LOGS/$1/responder.log"
    cp "$work/capture.pcap" "$VISIBILITY_SS_LOGS/$1/"
  fi
  /usr/bin/python3 "$here/strongswan_keys.py" "$work/i/charon.log" "$work/capture.pcap" "$out" "${@:2}"
  cp "$work/capture.pcap" "$out/capture.pcap"
  echo "$1: $(tcpdump -r "$out/capture.pcap" 2>/dev/null | wc -l) packets"
}

reset() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 0.5
  pids=()
  for ns in "$ns_i" "$ns_r" "$ns_n"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "${work:?}/i" "${work:?}/r" "$work/capture.pcap"
}

psk_connection() { # NAME LOCAL REMOTE LOCAL_TS REMOTE_TS ID REMOTE_ID ESP [EXTRA]
  cat <<EOF
  $1 {
    version = 2
    local_addrs = $2
    remote_addrs = $3
    proposals = aes128-sha256-modp2048
    ${9:-}
    local { auth = psk
      id = $6 }
    remote { auth = psk
      id = $7 }
    children {
      net {
        local_ts = $4
        remote_ts = $5
        esp_proposals = $8
      }
    }
  }
EOF
}

scenario_ss-redirect() {
  two_namespaces
  start_charon r "$ns_r" "" "" "$(psk_connection gw 198.18.0.2,198.18.0.3 %any 198.19.2.1/32 198.19.1.1/32 gw.test client.test null-sha256)"
  start_charon i "$ns_i" "" "" "$(psk_connection home 198.18.0.1 198.18.0.2 198.19.1.1/32 198.19.2.1/32 client.test gw.test null-sha256)"
  start_capture
  swanctl_in i --initiate --child net --ike home > /dev/null
  ping_through 4 2
  swanctl_in r --redirect --ike gw --gateway 198.18.0.3 > /dev/null
  for _ in $(seq 100); do
    swanctl_in i --list-sas 2>/dev/null | grep -q '198.18.0.3\[4500\]' && break
    sleep 0.1
  done
  sleep 1
  ping_through 4 2
  swanctl_in i --terminate --ike home > /dev/null
  stop_capture
  finish ss-redirect
}

scenario_ss-eap-tls() {
  two_namespaces
  local p="$work/pki"
  start_charon r "$ns_r" "eap-identity eap-tls" "" "
  gw {
    version = 2
    local_addrs = 198.18.0.2
    proposals = aes128-sha256-modp2048
    local { auth = eap-tls
      id = gw.test
      certs = gw.test.ec.pem }
    remote { auth = eap-tls
      eap_id = %any }
    children { net { local_ts = 198.19.2.1/32
      remote_ts = 198.19.1.1/32
      esp_proposals = null-sha256 } }
  }" "$p/ca.pem" "$p/gw.test.ec.pem" "$p/gw.test.ec.key"
  start_charon i "$ns_i" "eap-identity eap-tls" "" "
  home {
    version = 2
    local_addrs = 198.18.0.1
    remote_addrs = 198.18.0.2
    proposals = aes128-sha256-modp2048
    local { auth = eap-tls
      id = client.test
      eap_id = client.test
      certs = client.test.ec.pem }
    remote { auth = eap-tls
      id = gw.test }
    children { net { local_ts = 198.19.1.1/32
      remote_ts = 198.19.2.1/32
      esp_proposals = null-sha256 } }
  }" "$p/ca.pem" "$p/client.test.ec.pem" "$p/client.test.ec.key"
  start_capture
  swanctl_in i --initiate --child net --ike home > /dev/null
  ping_through 4 2
  swanctl_in i --terminate --ike home > /dev/null
  stop_capture
  finish ss-eap-tls
}

scenario_ss-fragmentation() {
  two_namespaces
  local p="$work/pki"
  local conn='
  NAME {
    version = 2
    local_addrs = LOCAL
    remote_addrs = REMOTE
    proposals = aes256-sha384-ecp384
    fragmentation = force
    send_cert = always
    local { auth = pubkey
      id = ID
      certs = ID.rsa.pem }
    remote { auth = pubkey
      id = RID }
    children { net { local_ts = LTS
      remote_ts = RTS
      esp_proposals = null-sha384 } }
  }'
  local gw=${conn//NAME/gw}; gw=${gw//LOCAL/198.18.0.2}; gw=${gw//REMOTE/%any}; gw=${gw//RID/client.test}; gw=${gw//ID/gw.test}
  gw=${gw//LTS/198.19.2.1\/32}; gw=${gw//RTS/198.19.1.1\/32}
  local home=${conn//NAME/home}; home=${home//LOCAL/198.18.0.1}; home=${home//REMOTE/198.18.0.2}; home=${home//RID/gw.test}
  home=${home//ID/client.test}; home=${home//LTS/198.19.1.1\/32}; home=${home//RTS/198.19.2.1\/32}
  start_charon r "$ns_r" "" "fragment_size = 400" "$gw" "$p/ca.pem" "$p/gw.test.rsa.pem" "$p/gw.test.rsa.key"
  start_charon i "$ns_i" "" "fragment_size = 400" "$home" "$p/ca.pem" "$p/client.test.rsa.pem" "$p/client.test.rsa.key"
  start_capture
  swanctl_in i --initiate --child net --ike home > /dev/null
  ping_through 4 2
  swanctl_in i --terminate --ike home > /dev/null
  stop_capture
  finish ss-fragmentation
}

scenario_ss-ipv6() {
  two_namespaces
  start_charon r "$ns_r" "" "" "$(psk_connection gw fd00:18::2 %any fd00:19:2::1/128 fd00:19:1::1/128 gw.test client.test null-sha512)"
  start_charon i "$ns_i" "" "" "$(psk_connection home fd00:18::1 fd00:18::2 fd00:19:1::1/128 fd00:19:2::1/128 client.test gw.test null-sha512)"
  start_capture
  swanctl_in i --initiate --child net --ike home > /dev/null
  ping_through 6 2
  swanctl_in i --terminate --ike home > /dev/null
  stop_capture
  finish ss-ipv6
}

scenario_ss-nat-t() {
  nat_namespaces
  start_charon r "$ns_r" "" "" "$(psk_connection gw 198.18.0.2 %any 198.19.2.1/32 198.19.1.1/32 gw.test client.test null-sha256)"
  start_charon i "$ns_i" "" "" "$(psk_connection home 10.1.0.2 198.18.0.2 198.19.1.1/32 198.19.2.1/32 client.test gw.test null-sha256)"
  start_capture
  swanctl_in i --initiate --child net --ike home > /dev/null
  ping_through 4 2
  swanctl_in i --terminate --ike home > /dev/null
  stop_capture
  finish ss-nat-t --map 10.1.0.2=198.18.0.1
}

scenarios=("$@")
[ ${#scenarios[@]} -eq 0 ] && scenarios=(ss-redirect ss-eap-tls ss-fragmentation ss-ipv6 ss-nat-t)
make_pki "$work/pki"
for s in "${scenarios[@]}"; do
  "scenario_$s"
  reset
done

#!/usr/bin/env bash
# Makes the machine ready for `npm start` and `npm test`: Debian packages, NATS with
# JetStream, Redis and PostgreSQL running on their standard ports, and a cached Asterisk
# root filesystem from Debian unstable. Idempotent and quiet; says what failed and how to fix it.
set -euo pipefail

fail() { printf 'provision: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else fail "needs root for: $*"; fi; }

cache_dir=${LIANLUO_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lianluo}
rootfs=$cache_dir/asterisk-rootfs

# --- Debian packages ---------------------------------------------------------------
missing=()
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v sipp >/dev/null || missing+=(sip-tester)
command -v nats-server >/dev/null || missing+=(nats-server)
command -v redis-server >/dev/null || missing+=(redis-server)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
command -v pg_ctlcluster >/dev/null || missing+=(postgresql-common)
if [ ${#missing[@]} -gt 0 ]; then
  log=$(mktemp)
  if ! { as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    fail "could not install ${missing[*]} with apt-get; check the apt sources and network"
  fi
  rm -f "$log"
fi

wait_port() { # host port seconds
  local i
  for ((i = 0; i <= $3 * 10; i++)); do
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0
    [ "$3" -gt 0 ] && sleep 0.1
  done
  return 1
}

# --- PostgreSQL ------------------------------------------------------------------------
if ! wait_port 127.0.0.1 5432 0; then
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
  [ -n "$version" ] || fail "PostgreSQL is installed but has no cluster; run: pg_createcluster --start \$(ls /usr/lib/postgresql) main"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
  wait_port 127.0.0.1 5432 20 || fail "PostgreSQL did not start on 127.0.0.1:5432; command: pg_ctlcluster --skip-systemctl-redirect $version main start; log: /var/log/postgresql/postgresql-$version-main.log"
fi

# --- Redis -------------------------------------------------------------------------------
if ! wait_port 127.0.0.1 6379 0; then
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null
  wait_port 127.0.0.1 6379 20 || fail "Redis did not start on 127.0.0.1:6379; log: /var/log/redis/ci.log"
fi

# --- NATS with JetStream ---------------------------------------------------------------
if ! wait_port 127.0.0.1 4222 0; then
  as_root mkdir -p /var/lib/nats-server
  as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  wait_port 127.0.0.1 4222 20 || fail "NATS did not start on 127.0.0.1:4222; log: /var/log/nats-server.log"
fi
# JetStream must be on: the INFO line a server greets with says so.
info=$(timeout 3 bash -c 'exec 3<>/dev/tcp/127.0.0.1/4222; head -1 <&3' 2>/dev/null || true)
case "$info" in
  *'"jetstream":true'*) ;;
  *) fail "the NATS server on 127.0.0.1:4222 runs without JetStream; restart it with -js (e.g. nats-server -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server)" ;;
esac

# --- Asterisk root filesystem ----------------------------------------------------------
mirror() {
  local uri
  uri=$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null |
    grep -oE 'https?://[^ ]+/debian/?' | grep -v security | head -1)
  echo "${uri:-}"
}

if [ ! -f "$rootfs/.lianluo-complete" ]; then
  url=$(mirror)
  [ -n "$url" ] || fail "no Debian mirror found in /etc/apt/sources.list*; set one there (a Debian archive URL)"
  as_root mkdir -p "$cache_dir"
  building="$rootfs.building.$$"
  log="$cache_dir/debootstrap.log"
  echo "provision: building the Asterisk root filesystem (Debian unstable) into $rootfs, about a minute…" >&2
  if ! as_root debootstrap --variant=minbase --include=asterisk,asterisk-modules,asterisk-config,asterisk-core-sounds-en-gsm \
      sid "$building" "$url" >"$log" 2>&1; then
    tail -20 "$log" >&2
    as_root rm -rf "$building"
    fail "debootstrap failed (full log: $log); check network access to $url"
  fi
  as_root rm -rf "$rootfs"
  as_root mv "$building" "$rootfs"
  as_root touch "$rootfs/.lianluo-complete"
fi
# Asterisk stalls on DNS without these inside the chroot.
printf '127.0.0.1 localhost %s\n' "$(hostname)" | as_root tee "$rootfs/etc/hosts" >/dev/null
as_root truncate -s 0 "$rootfs/etc/resolv.conf" 2>/dev/null || : | as_root tee "$rootfs/etc/resolv.conf" >/dev/null
as_root chroot "$rootfs" asterisk -V >/dev/null 2>&1 || fail "Asterisk in $rootfs does not run; delete that folder and run this script again"

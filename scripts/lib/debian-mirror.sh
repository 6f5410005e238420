# shellcheck shell=bash
# debian_mirror: prints the first main Debian archive URL of the machine's apt sources
# (deb822 `URIs:` or one-line `deb` entries), so debootstrap fetches from the mirror apt
# already uses. Security and third-party archives are skipped: their path does not end
# in /debian. Prints nothing when there is none. Takes source files as arguments for tests.
debian_mirror() {
  local file line uris uri
  [ $# -gt 0 ] || set -- /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources
  for file in "$@"; do
    [ -r "$file" ] || continue
    while IFS= read -r line || [ -n "$line" ]; do
      line=${line%%#*}
      case "$line" in
        URIs:*) uris=${line#URIs:} ;;
        deb[[:space:]]*) uris=$(sed -E 's/^deb[[:space:]]+(\[[^]]*\][[:space:]]*)?//; s/[[:space:]].*//' <<<"$line") ;;
        *) continue ;;
      esac
      for uri in $uris; do
        case "${uri%/}" in
          http://*/debian | https://*/debian | file:/*/debian)
            printf '%s\n' "${uri%/}"
            return 0
            ;;
        esac
      done
    done <"$file"
  done
}

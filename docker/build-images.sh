#!/usr/bin/env bash
# Builds Lianluo's images: one per Node service (docker/node-service.Dockerfile) and Asterisk
# (docker/asterisk/Dockerfile), with whichever engine this machine has: docker, podman or
# buildah (or LIANLUO_IMAGE_ENGINE). Images are named <registry>/<component>:<tag>, which is
# what the chart pulls with image.registry=<registry> and image.tag=<tag>.
#
#   bash docker/build-images.sh                  every service with a src/main.ts, and asterisk
#   bash docker/build-images.sh acd asterisk     only these
#   LIANLUO_IMAGE_REGISTRY=registry.example.com/lianluo LIANLUO_IMAGE_TAG=0.1.0 bash docker/build-images.sh
#
# The npm registry and Debian archive the host uses are passed to the builds as arguments.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../scripts/lib/debian-mirror.sh
source scripts/lib/debian-mirror.sh

fail() {
  printf 'build-images: %s\n' "$@" >&2
  exit 1
}

engine=${LIANLUO_IMAGE_ENGINE:-}
if [ -z "$engine" ]; then
  for candidate in docker podman buildah; do
    command -v "$candidate" >/dev/null || continue
    case $candidate in
      docker) docker info >/dev/null 2>&1 || continue ;;
      podman) podman info >/dev/null 2>&1 || continue ;;
    esac
    engine=$candidate
    break
  done
fi
[ -n "$engine" ] || fail "no image engine works here: docker (with a running daemon), podman or buildah" \
  "the bundles the images copy are still tested by npm test (deploy project)"

registry=${LIANLUO_IMAGE_REGISTRY:-lianluo}
tag=${LIANLUO_IMAGE_TAG:-$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' deploy/helm/lianluo/Chart.yaml)}
npm_registry=$(npm config get registry 2>/dev/null || true)
mirror=$(debian_mirror)

if [ $# -gt 0 ]; then
  components=("$@")
else
  components=()
  for main in services/*/src/main.ts; do
    [ -e "$main" ] || continue
    service=${main#services/}
    components+=("${service%%/*}")
  done
  components+=(asterisk)
fi

# The HTTP port a service listens on by default, as the chart's values give it.
http_port() {
  node -e '
    const values = require("yaml").parse(require("fs").readFileSync("deploy/helm/lianluo/values.yaml", "utf8"));
    const name = process.argv[1];
    const port = name === "media-gateway" ? values.mediaGateway.httpPort : values.services[name]?.httpPort;
    if (!port) { console.error(`no httpPort for ${name} in deploy/helm/lianluo/values.yaml (services.${name})`); process.exit(1); }
    console.log(port);
  ' "$1"
}

build() { # image dockerfile build-args...
  local image=$1 file=$2
  shift 2
  echo "build-images: $image ($engine)" >&2
  case $engine in
    buildah) buildah build --layers -f "$file" -t "$image" "$@" . ;;
    *) "$engine" build -f "$file" -t "$image" "$@" . ;;
  esac
}

for component in "${components[@]}"; do
  if [ "$component" = asterisk ]; then
    build "$registry/asterisk:$tag" docker/asterisk/Dockerfile --build-arg "DEBIAN_MIRROR=$mirror"
  else
    [ -f "services/$component/src/main.ts" ] || fail "no service $component (services/$component/src/main.ts)"
    build "$registry/$component:$tag" docker/node-service.Dockerfile \
      --build-arg "SERVICE=$component" --build-arg "HTTP_PORT=$(http_port "$component")" \
      --build-arg "NPM_CONFIG_REGISTRY=$npm_registry" --build-arg "DEBIAN_MIRROR=$mirror"
  fi
done
echo "build-images: built ${components[*]} as $registry/<component>:$tag" >&2

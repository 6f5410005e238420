# syntax=docker/dockerfile:1
# One pattern for every Node service. Build from the repository root (the build script does):
#   bash docker/build-images.sh acd
# Stage 1 installs the workspace, builds the service with Nx and bundles it with its production
# dependencies only (docker/bundle-service.ts, the same bundle the deploy tests start); stage 2
# is that bundle on a slim Node with tini as PID 1, as a non-root user, and needs no writable
# path but /tmp (the chart mounts an emptyDir there and makes the root filesystem read-only).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
ARG SERVICE
# The npm registry to install from (the build script passes the host's `npm config get registry`).
ARG NPM_CONFIG_REGISTRY=
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.npm \
    if [ -n "$NPM_CONFIG_REGISTRY" ]; then export NPM_CONFIG_REGISTRY; else unset NPM_CONFIG_REGISTRY; fi; \
    npm install --no-audit --no-fund --loglevel=error
RUN test -n "$SERVICE" && npx nx run "@lianluo/${SERVICE}:build" --output-style=static
RUN npx tsx docker/bundle-service.ts "$SERVICE" /bundle

FROM ${NODE_IMAGE}
ARG DEBIAN_MIRROR=
RUN set -eux; \
    if [ -n "$DEBIAN_MIRROR" ]; then \
      sed -i "s#^URIs: .*/debian\$#URIs: ${DEBIAN_MIRROR}#" /etc/apt/sources.list.d/debian.sources; \
    fi; \
    apt-get update; \
    apt-get install -y --no-install-recommends tini; \
    rm -rf /var/lib/apt/lists/*
ARG SERVICE
ARG HTTP_PORT
ENV NODE_ENV=production HTTP_PORT=${HTTP_PORT}
LABEL org.opencontainers.image.title="lianluo-${SERVICE}" org.opencontainers.image.licenses="Apache-2.0"
WORKDIR /app
COPY --from=build --chown=root:root /bundle /app
# The node user of the base image (uid 1000): owns nothing in /app, so the code is read-only to it.
USER 1000:1000
EXPOSE ${HTTP_PORT}
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.HTTP_PORT + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--enable-source-maps", "dist/main.js"]

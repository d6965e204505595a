# syntax=docker/dockerfile:1
# The snaptrail collector: gRPC ingest, the HTTP query API, /healthz and /readyz.
# Build from the repository root:
#   docker build -f deploy/docker/collector.Dockerfile -t snaptrail-collector:0.1.0 .
#
# Base images are pinned by tag. For a reproducible build pin each one by digest as well
# (FROM node:20.20.2-bookworm@sha256:<digest>): read the digest from your registry
# (`docker buildx imagetools inspect node:20.20.2-bookworm`). None is written here: no
# registry was reachable where these files were made, and a digest nobody read is worse than none.

# --- build: compile and bundle, then keep only the production dependencies ---
# digest: FROM node:20.20.2-bookworm@sha256:<digest read from your registry>
FROM node:20.20.2-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json ./
# better-sqlite3 builds (or fetches) its native module here, against this image's Node and glibc.
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- runtime: Node, the bundle and its external modules; no compiler, no npm cache ---
# digest: FROM node:20.20.2-bookworm-slim@sha256:<digest read from your registry>
FROM node:20.20.2-bookworm-slim AS runtime
# Listening on 0.0.0.0 (what a container needs to be reachable), the collector refuses to start
# without TLS and tokens: give it SNAPTRAIL_COLLECTOR_TLS_CERT/_KEY (mounted files) and
# SNAPTRAIL_AUTH=tokens, or SNAPTRAIL_COLLECTOR_INSECURE=1 where only loopback publishes the
# ports (compose/compose.yaml). A bare `docker run` says so and exits.
ENV NODE_ENV=production \
    SNAPTRAIL_LISTEN=0.0.0.0:50051 \
    SNAPTRAIL_HTTP=0.0.0.0:8077 \
    SNAPTRAIL_DB=/var/lib/snaptrail/snaptrail.db \
    SNAPTRAIL_BLOB_DIR=/var/lib/snaptrail/blobs
WORKDIR /opt/snaptrail
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/bin ./bin
COPY --from=build /src/dist/cli-bundle ./dist/cli-bundle
COPY --from=build /src/proto/generated/descriptor.json /src/proto/generated/server-descriptor.json ./proto/generated/
COPY --from=build /src/node_modules ./node_modules
# A fixed numeric user, so Kubernetes' runAsNonRoot can check it; the data folder is its own.
RUN groupadd --system --gid 10001 snaptrail \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/snaptrail --shell /usr/sbin/nologin snaptrail \
 && mkdir -p /var/lib/snaptrail \
 && chown 10001:10001 /var/lib/snaptrail \
 && chmod 700 /var/lib/snaptrail
USER 10001:10001
VOLUME ["/var/lib/snaptrail"]
EXPOSE 50051 8077
# Docker's own check, for `docker run` and compose; Kubernetes uses the probes in its manifest.
# Over HTTPS when TLS is on; the check asks its own loopback, so it does not verify the certificate.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const tls = Boolean(process.env.SNAPTRAIL_COLLECTOR_TLS_CERT); require(tls ? 'node:https' : 'node:http').get((tls ? 'https' : 'http') + '://127.0.0.1:8077/readyz', { rejectUnauthorized: false }, (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))"]
ENTRYPOINT ["node", "/opt/snaptrail/bin/snaptrail.cjs"]
CMD ["collector"]

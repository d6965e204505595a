# syntax=docker/dockerfile:1
# The snaptrail agent as one self-contained executable (Node's single executable application),
# for images and pods that have no Node of their own: an init container copies it into a shared
# volume, and the job's container runs `/snaptrail/bin/snaptrail wrap -- ...` (deploy/README.md).
# Build from the repository root:
#   docker build -f deploy/docker/agent.Dockerfile -t snaptrail-agent:0.1.0 .
#
# Base images are pinned by tag. For a reproducible build pin each one by digest as well: read
# it from your registry (`docker buildx imagetools inspect debian:12.12-slim`). None is written
# here: no registry was reachable where these files were made.

# --- build: the agent bundle, then the single executable from this image's Node ---
# digest: FROM node:20.20.2-bookworm@sha256:<digest read from your registry>
FROM node:20.20.2-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && node scripts/dist.mjs --only sea --out /release \
 && cp /release/snaptrail-*-linux-* /release/snaptrail

# --- runtime: glibc and the executable, nothing else (the executable carries Node) ---
# The same Debian release as the build image: the executable is that image's node binary.
# digest: FROM debian:12.12-slim@sha256:<digest read from your registry>
FROM debian:12.12-slim AS runtime
COPY --from=build /release/snaptrail /usr/local/bin/snaptrail
USER 10001:10001
ENTRYPOINT ["/usr/local/bin/snaptrail"]
CMD ["--help"]

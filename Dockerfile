# syntax=docker/dockerfile:1
#
# Betrokken on Node, as one container (docs/operations.md, "Docker").
#
#   docker build -t betrokken .
#   docker run -d -p 8787:8787 -v betrokken-data:/data \
#     -e PUBLIC_URL=https://betrokken.example.nl -e PSEUDONYM_KEY=… -e AUDIT_KEY=… -e SMTP_URL=… betrokken
#
# Two stages: the build stage installs every dependency (the native addons better-sqlite3 and
# argon2 need python3, make and g++ when no prebuilt binary fits), builds dist/ and then
# prunes the dev dependencies; the runtime stage gets only the pruned node_modules, dist/ and
# the migrations, owned by root and run as the unprivileged `node` user, with its data
# (database, audit anchors, .eml files when SMTP_URL is unset) on the /data volume.
#
# A municipality's own theme and logo are embedded at build time (docs/theming.md): put the
# files in the build context and name them, e.g.
#   docker build --build-arg THEME_CSS=theme/tokens.css --build-arg THEME_CLASS=gemeente-theme \
#     --build-arg THEME_FONT_CSS=theme/fonts.css --build-arg MUNICIPALITY_LOGO=theme/logo.svg -t betrokken .

ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-slim AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Dependencies first: this layer is reused as long as the lock file does not change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
ARG THEME_CSS=""
ARG THEME_CLASS=""
ARG THEME_FONT_CSS=""
ARG THEME_BRIDGE_CSS=""
ARG MUNICIPALITY_LOGO=""
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-slim AS runtime
ENV NODE_ENV=production \
    PORT=8787 \
    DATABASE_PATH=/data/betrokken.db \
    AUDIT_ANCHOR_DIR=/data/anchors \
    MAIL_DIR=/data/mail
WORKDIR /app
# Read-only for the process: owned by root, run as `node` (uid 1000, in the official image).
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/migrations ./migrations
# The operator CLI inside the container: `docker compose exec betrokken betrokken --help`.
RUN printf '#!/bin/sh\nexec node /app/dist/cli/main.mjs "$@"\n' > /usr/local/bin/betrokken \
  && chmod 0755 /usr/local/bin/betrokken \
  && mkdir -p /data \
  && chown node:node /data
USER node
VOLUME /data
EXPOSE 8787
# No curl in the slim image: Node's own fetch asks /healthz (the database answers a query).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8787)+'/healthz').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM (docker stop) lets requests and a job run finish, closes the database and logs
# `stopped` (src/entry/node.ts); its grace is 10 s, so give `docker stop` a little more (-t 15).
STOPSIGNAL SIGTERM
# As `npm start` runs it: a small V8 young generation (lower peak memory, same throughput).
CMD ["node", "--max-semi-space-size=4", "--heap-growing-percent=20", "dist/entry/node.mjs"]

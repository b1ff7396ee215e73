# Voice agent load balancer: API, Cloudonix webhooks and admin UI on one port.
#   docker build -t voice-lb .
#   docker run -p 3000:3000 -v voice-lb-data:/data voice-lb
# Secrets (APP_KEY, database passwords, METRICS_TOKEN) come from the environment at run time,
# never from the image. deploy/compose.yaml runs it scaled; docs/operations.md explains it.
#
# better-sqlite3 is a native addon compiled here from source: every stage uses the same base
# (Debian bookworm, Node 20) so the compiled addon matches the runtime's glibc and Node ABI.
ARG NODE_IMAGE=node:20-bookworm-slim

# Compilers for native addons, in build stages only.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./

# Production dependencies only; cached until package-lock.json changes.
FROM toolchain AS prod-deps
# better-sqlite3 loads only its compiled addon: its C sources and object files (~25 MB) stay behind.
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force \
 && cd node_modules/better-sqlite3 \
 && mv build/Release/better_sqlite3.node /tmp/ \
 && rm -rf build deps src \
 && mkdir -p build/Release && mv /tmp/better_sqlite3.node build/Release/

# Server (tsc → dist/) and UI (vite → dist/web).
FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json vite.config.ts index.html ./
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
# A fixed, unprivileged id so a volume's owner can be set from outside (chown 10001).
RUN groupadd --system --gid 10001 voicelb \
 && useradd --uid 10001 --gid voicelb --home-dir /nonexistent --shell /usr/sbin/nologin voicelb \
 && mkdir -p /data && chown voicelb:voicelb /data && chmod 0700 /data
WORKDIR /app
COPY --chown=root:root package.json ./
COPY --from=prod-deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
# Embedded mode keeps the SQLite database, the generated app.key and local export files here.
VOLUME ["/data"]
USER 10001:10001
EXPOSE 3000
# Liveness only: /up answers while the process runs. Load balancers use /ready (dependencies, draining).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/up').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Always name the command: a bare voice-lb prints its help. Node's flags are npm start's
# (docs/operations.md, "Node's young generation").
CMD ["node", "--max-semi-space-size=64", "dist/cli/main.js", "serve"]

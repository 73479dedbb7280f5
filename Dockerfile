# Stockroom's production image: one image, three commands (`stockroom web`, `stockroom worker`,
# `stockroom start`). Build: docker build -t stockroom . ; run: deploy/docker-compose.production.yml or
# deploy/kubernetes/. Node is pinned to a patch release; bump it deliberately.
ARG NODE_IMAGE=node:20.19.2-bookworm-slim

# 1. Everything, dev dependencies included, to build the workflow bundle once at image build time.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# The bundle lands where workers look for it (STOCKROOM_DATA_DIR/cache, named by the workflow sources' hash),
# so no container runs webpack at start.
RUN node --import tsx --input-type=module -e "await (await import('./runtime/worker.ts')).workflowBundlePath('/app/.data/cache')" \
 && ls /app/.data/cache/workflow-bundle-*.js

# 2. Production dependencies only.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. The runtime: production dependencies, the sources (run through tsx), the prebuilt bundle; not root.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    STOCKROOM_DATA_DIR=/app/.data \
    PORT=3000
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root . .
COPY --from=build --chown=node:node /app/.data/cache ./.data/cache
RUN chown node:node /app/.data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=6 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "--import", "tsx", "cli/index.ts"]
CMD ["web"]

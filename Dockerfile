FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends chromium fonts-dejavu-core ca-certificates \
    && rm -rf /var/lib/apt/lists/*
ENV CHROMIUM_PATH=/usr/bin/chromium
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY workers ./workers
COPY bin ./bin
COPY targets ./targets
COPY test/fixtures ./test/fixtures
RUN npm ci --no-audit --no-fund && npm prune --omit=dev \
    && mkdir -p /data /reports && chown node:node /data /reports
# Not root: Chromium keeps its sandbox where the container allows user namespaces (eindex says so when not).
USER node
ENTRYPOINT ["node", "bin/eindex.js"]
CMD ["--help"]

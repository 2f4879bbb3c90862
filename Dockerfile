# taiga-mcp: the MCP server for Taiga, served over Streamable HTTP on port 8000.
#
#   docker build -t taiga-mcp .
#   docker run --rm -p 127.0.0.1:8000:8000 \
#     -e MCP_HTTP_TOKEN="$(openssl rand -hex 32)" -e TAIGA_API_URL=https://api.taiga.io \
#     -v taiga-mcp-cache:/var/cache/taiga-mcp taiga-mcp
#
# The server binds 0.0.0.0 inside the container, so it refuses to start without MCP_HTTP_TOKEN;
# clients send "Authorization: Bearer <token>". See docs/user-guide/http.md.
# tests/dist/docker_command_test.ts runs the CMD and HEALTHCHECK below verbatim (parsed from this file).

FROM denoland/deno:2.9.6

WORKDIR /app

# The token cache lives on a volume owned by the image's unprivileged "deno" user (uid 1993).
RUN mkdir -p /var/cache/taiga-mcp \
 && chown deno:deno /app /var/cache/taiga-mcp \
 && chmod 0700 /var/cache/taiga-mcp

USER 1993:1993

COPY --chown=1993:1993 deno.json deno.lock ./
COPY --chown=1993:1993 src/ ./src/
COPY --chown=1993:1993 sandbox/ ./sandbox/

# Every dependency is downloaded at build time and checked against deno.lock;
# CMD runs with --cached-only, so nothing is fetched when the container starts.
RUN deno install --frozen --entrypoint src/main.ts

ENV TAIGA_TRANSPORT=http MCP_HOST=0.0.0.0 MCP_PORT=8000 TAIGA_CACHE_DIR=/var/cache/taiga-mcp

VOLUME ["/var/cache/taiga-mcp"]
EXPOSE 8000

# The deno image has no curl: a one-line fetch does the probe (it sends the bearer token when set).
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["deno", "eval", "const t = Deno.env.get('MCP_HTTP_TOKEN'); const r = await fetch('http://127.0.0.1:' + (Deno.env.get('MCP_PORT') ?? '8000') + '/healthz', { headers: t ? { authorization: 'Bearer ' + t } : {} }); await r.body?.cancel(); Deno.exit(r.ok ? 0 : 1);"]

# Permissions: network, the fixed list of variables in src/config/env.ts, and the cache volume.
CMD ["deno", "run", "--cached-only", "--no-prompt", "--allow-net", "--allow-env=TAIGA_API_URL,TAIGA_AUTH_TOKEN,TAIGA_TOKEN_TYPE,SESSION_EXPIRY,TAIGA_TRANSPORT,REQUEST_TIMEOUT,MAX_CONNECTIONS,MAX_KEEPALIVE_CONNECTIONS,RATE_LIMIT_REQUESTS,LOG_LEVEL,LOG_FILE,TAIGA_TOOLSETS,TAIGA_READ_ONLY,TAIGA_CACHE_DIR,MCP_HOST,FASTMCP_HOST,MCP_PORT,FASTMCP_PORT,MCP_HTTP_TOKEN,MCP_ALLOWED_HOSTS,MCP_ALLOWED_ORIGINS,MCP_MAX_BODY_BYTES,MCP_SESSION_IDLE_SECONDS,MCP_OAUTH_KEY,MCP_ALLOWED_TAIGA_HOSTS,MCP_AUTH,MCP_PUBLIC_URL,MCP_OAUTH_ACCESS_TTL,MCP_OAUTH_TAIGA_APP_ID,MCP_OAUTH_TAIGA_FRONT_URL,MCP_OAUTH_CIMD_PRIVATE,XDG_CACHE_HOME,HOME,LOCALAPPDATA,USERPROFILE,NO_COLOR", "--allow-read=/var/cache/taiga-mcp", "--allow-write=/var/cache/taiga-mcp", "src/main.ts"]

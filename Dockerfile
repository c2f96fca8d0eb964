# Klasseaftale: one static binary, one SQLite file.
#
#   docker build -t klasseaftale .
#   docker run -p 8080:8080 -v klasseaftale-data:/data \
#     -e KLASSEAFTALE_BASE_URL=https://klasseaftale.example.dk klasseaftale
#
# Configuration is by environment (every flag of the binary has one; see README.md):
#   KLASSEAFTALE_BASE_URL   set it to the public https address. It is used in links, QR codes and
#                           the WebSocket origin check, and an https address makes the session
#                           cookie Secure and turns on HSTS. Without it the server assumes
#                           http://localhost:8080.
#   KLASSEAFTALE_TRUSTED_PROXIES  CIDRs of the reverse proxies in front, so that rate limits see
#                           the client's address from X-Forwarded-For (none by default).
#   KLASSEAFTALE_DB, KLASSEAFTALE_ADDR  set below; KLASSEAFTALE_MAX_BODY, KLASSEAFTALE_LOG_LEVEL.
#
# The database lives in the volume /data: klasseaftale.db plus its -wal and -shm files, so the
# directory itself (not only the file) must be writable by the image's user, distroless "nonroot",
# uid 65532 (gid 65532). The image's /data belongs to that user, so a new named volume starts out
# writable. A bind mount must be made writable on the host, e.g. chown 65532:65532 <dir>.
#
# Health: the image has no shell and no curl, so there is no HEALTHCHECK here. Let the orchestrator
# or load balancer probe GET /healthz on port 8080; it answers 200 {"status":"ok"}.
#
# The binary shuts down gracefully on SIGTERM (docker stop), letting requests in flight finish.

# --- build -------------------------------------------------------------------------------------
FROM golang:1.26-bookworm AS build
WORKDIR /src

# Modules first: this layer is reused until go.mod or go.sum change.
COPY go.mod go.sum ./
RUN go mod download && go mod verify

COPY . .
# modernc.org/sqlite is pure Go, so the binary needs no C library and runs on a static base image.
# Templates, static files, messages and migrations are embedded in it.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/klasseaftale ./cmd/klasseaftale

# An empty /data, to be copied with the runtime user as owner.
RUN mkdir -p /out/data

# --- run ---------------------------------------------------------------------------------------
FROM gcr.io/distroless/static-debian12:nonroot

COPY --from=build /out/klasseaftale /klasseaftale
COPY --from=build --chown=65532:65532 /out/data /data

ENV KLASSEAFTALE_DB=/data/klasseaftale.db \
    KLASSEAFTALE_ADDR=:8080

USER 65532:65532
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["/klasseaftale"]

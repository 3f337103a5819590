# options: pin_digest=true
# want +1 "golang:1.26-trixie is pulled by tag only: tags move.*pin the digest \\(golang:1.26-trixie@sha256:…\\) and let Renovate or Dependabot keep it fresh"
FROM golang:1.26-trixie AS build
# want +1 "busybox:1.37 in RUN \\(line 5\\) is pulled by tag only"
RUN --mount=type=bind,from=busybox:1.37,source=/bin/busybox,target=/busybox go build -o /out/app .

# want +1 "gcr.io/distroless/static-debian13:nonroot is pulled by tag only"
FROM gcr.io/distroless/static-debian13:nonroot
# want +1 "ghcr.io/astral-sh/uv:0.9 in COPY \\(line 10\\) is pulled by tag only: tags move, so the files copied from it can change"
COPY --from=ghcr.io/astral-sh/uv:0.9 /uv /uv
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]

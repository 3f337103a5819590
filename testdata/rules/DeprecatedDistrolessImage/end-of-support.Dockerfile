# want +1 "gcr.io/distroless/cc-debian12:nonroot reached its end of support on 2026-09-30 \\(distroless SUPPORT_POLICY.md\\).*use gcr.io/distroless/cc-debian13:nonroot \\(the same image on Debian 13 trixie, glibc 2.41; binaries built for Debian 12 keep working"
FROM gcr.io/distroless/cc-debian12:nonroot
COPY app /app

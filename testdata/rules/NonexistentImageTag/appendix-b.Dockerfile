# want +1 "golang:1.16-slim \\(stage \"build\"\\) does not exist: golang images have no -slim variant and never had one.*manifest unknown\"; drop -slim and pick a variant: golang:1.16-trixie, -bookworm or -alpine; Go 1.16 is not a supported release \\(current: 1.26, 1.27\\)"
FROM golang:1.16-slim AS build
RUN go build -o /app .
FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /app /app

FROM golang:1.26-alpine AS build
RUN apk add --no-cache gcc musl-dev
WORKDIR /src
COPY . .
# want +1 "links dynamically against musl.*cgo looks needed here \\(the C toolchain installed in stage \"build\" \\(gcc\\)\\), so gcr.io/distroless/base-debian13:nonroot is the safer choice"
RUN go build -o /app .
FROM gcr.io/distroless/static-debian13
COPY --from=build /app /app

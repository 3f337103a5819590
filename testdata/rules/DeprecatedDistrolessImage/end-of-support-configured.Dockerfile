# options: debian=12
# want +1 "gcr.io/distroless/base-debian12 reached its end of support"
FROM gcr.io/distroless/base-debian12
COPY app /app

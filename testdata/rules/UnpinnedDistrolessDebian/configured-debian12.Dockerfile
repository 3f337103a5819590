# options: debian=12
# want +1 "gcr.io/distroless/static:nonroot \\(build stage \"runtime\"\\) has no Debian suffix.*pin gcr.io/distroless/static-debian12:nonroot"
from gcr.io/distroless/static:nonroot as runtime
copy app /app
# want +1 "gcr.io/distroless/python3:debug has no Debian suffix.*pin gcr.io/distroless/python3-debian13:debug"
FROM gcr.io/distroless/python3:debug AS py
COPY --from=runtime /app /app

FROM gcr.io/distroless/base-debian13:debug-nonroot
COPY start.sh /start.sh
COPY app /app
# want +1 "ENTRYPOINT runs the shell script /start.sh \\(COPY'd from start.sh on line 2\\), but gcr.io/distroless/base-debian13:debug-nonroot has no shell at /bin/sh \\(the :debug tag has only /busybox/sh"
ENTRYPOINT ["/start.sh"]

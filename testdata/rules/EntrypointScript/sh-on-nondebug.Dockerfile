FROM gcr.io/distroless/base-debian13:nonroot
COPY --chmod=755 run.sh /app/run.sh
# want +1 "CMD runs the shell script /app/run.sh \\(COPY'd from run.sh on line 2\\), but gcr.io/distroless/base-debian13:nonroot has no shell"
CMD ["sh", "/app/run.sh"]

FROM gcr.io/distroless/base-debian13:debug-nonroot
COPY start.sh /start.sh
ENTRYPOINT ["sh", "/start.sh"]

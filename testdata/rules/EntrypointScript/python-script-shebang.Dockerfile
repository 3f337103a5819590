FROM gcr.io/distroless/python3-debian13:nonroot
COPY entrypoint.py /app/entrypoint.py
CMD ["/app/entrypoint.py"]

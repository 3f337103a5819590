FROM gcr.io/distroless/python3-debian13:nonroot
COPY --from=build /venv /venv
COPY . /app
WORKDIR /app
CMD ["main.py"]

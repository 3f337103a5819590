FROM python:3.13-slim-trixie AS build
WORKDIR /src
COPY requirements.txt .
# want +1 "RUN \\(line 5\\) in build stage \"build\" runs `pip install --user -r requirements.txt` without --no-cache-dir, and COPY --from=build /root \\(line 9\\) copies its cache \\(/root/.cache/pip\\) into the image"
RUN pip install --user -r requirements.txt

FROM python:3.13-slim-trixie
WORKDIR /app
COPY --from=build /root /root
COPY . .
CMD ["python", "-m", "app"]

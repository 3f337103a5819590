FROM python:3.13-slim-trixie
WORKDIR /app
COPY requirements.txt .
# want +1 "RUN \\(line 5\\) in stage 0 \\(the shipped image\\) runs `pip install -r requirements.txt` without --no-cache-dir, so the pip cache \\(/root/.cache/pip\\) stays in the layer"
RUN pip install -r requirements.txt
COPY . .
USER 65532
CMD ["python", "-m", "app"]

FROM python:3.13-slim-trixie
WORKDIR /app
# want +1 "COPY --chown=65532:65532 \\. /app \\(line 4\\) in stage 0 copies the whole build context before `npm ci --omit=dev` \\(line 5\\) and `pip install --no-cache-dir -r requirements/prod.txt` \\(line 5\\).*copy package.json package-lock.json and requirements/prod.txt first, run the installs"
COPY --chown=65532:65532 . /app
RUN npm ci --omit=dev \
    # second ecosystem in the same image
    && pip install --no-cache-dir -r requirements/prod.txt
USER 65532

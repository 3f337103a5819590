# syntax=docker/dockerfile:1
FROM busybox:1.37 AS files
COPY <<a.txt <<b.txt /data/
first file
a.txt
second file
b.txt
RUN <<FILE1 cat > /data/one && <<FILE2 cat > /data/two
contents of one
FILE1
contents of two
FILE2
RUN cat <<EOT > /etc/profile.d/app.sh && chmod +x /etc/profile.d/app.sh
export APP_HOME=/app
EOT

FROM scratch
COPY --from=files /data /data

# syntax=docker/dockerfile:1
FROM alpine:3.22
RUN <<-EOF
	set -e
	apk add --no-cache tini
		if [ -x /sbin/tini ]; then
			echo ok
		fi
	EOF
COPY <<-EOT /etc/motd
	Welcome.
		Indented with two tabs.
	EOT
ENTRYPOINT ["/sbin/tini", "--"]

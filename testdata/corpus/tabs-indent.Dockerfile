FROM alpine:3.22
	RUN apk add --no-cache \
		ca-certificates \
		tzdata
	ENV	TZ=UTC
	WORKDIR	/srv
	COPY	. .
	USER	65532
	CMD	["/srv/app"]

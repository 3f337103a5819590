FROM alpine:3.22
RUN apk add --no-cache --virtual .build-deps gcc musl-dev \
 && apk add --no-cache libffi \
 && apk del .build-deps
RUN addgroup -S app && adduser -S -G app app
USER app
ENTRYPOINT ["/bin/sh", "-c", "exec \"$@\"", "--"]
CMD ["sh"]

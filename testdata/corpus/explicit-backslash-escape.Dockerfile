# escape=\
FROM alpine:3.22
RUN echo "explicit backslash escape" \
 && echo 'second line'
WORKDIR /data

from alpine:3.22 as base
run apk add --no-cache tini
from base
# want +1 "ENTRYPOINT \"tini -- /app\" is in shell form"
entrypoint tini -- /app

from debian:trixie-slim
# want +1 "runs `apt-get update`"
run apt-get update \
 && apt-get install -y --no-install-recommends curl
user 65532

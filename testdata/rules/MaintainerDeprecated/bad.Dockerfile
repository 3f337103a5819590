FROM debian:trixie-slim
# want +1 "Maintainer instruction is deprecated in favor of using label"
MAINTAINER someone@example.com

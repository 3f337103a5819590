FROM ubuntu:24.04
ENV DEBIAN_FRONTEND=noninteractive
RUN set -eux \
    && apt-get update \
    && apt-get install -y --no-install-recommends \
        build-essential \
        ca-certificates \
        cmake \
        curl \
        git \
        libssl-dev \
        ninja-build \
        pkg-config \
        python3 \
        python3-pip \
        unzip \
        zip \
    && if [ "$(uname -m)" = "x86_64" ]; then \
         curl -fsSL -o /tmp/tool.zip https://example.com/tool-x86_64.zip; \
       else \
         curl -fsSL -o /tmp/tool.zip https://example.com/tool-aarch64.zip; \
       fi \
    && unzip /tmp/tool.zip -d /opt/tool \
    && rm -f /tmp/tool.zip \
    && for lib in a b c; do \
         echo "configuring $lib"; \
       done \
    && case "$(dpkg --print-architecture)" in \
         amd64) echo amd ;; \
         arm64) echo arm ;; \
         *) echo other ;; \
       esac \
    && apt-get purge -y --auto-remove cmake ninja-build \
    && rm -rf /var/lib/apt/lists/*
USER 65532

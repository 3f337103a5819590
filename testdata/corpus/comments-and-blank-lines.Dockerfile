# A file full of comments.

# hadolint global ignore=DL3008
# distill ignore-file=BaseImageNotPinnedByDigest

FROM debian:trixie-slim

# hadolint ignore=DL3009
RUN apt-get update


# distill ignore=AptInstallRecommends why: we want the docs
RUN apt-get install -y man-db && rm -rf /var/lib/apt/lists/*

    # an indented comment
USER 65532

# trailing comment after the last instruction
# and another

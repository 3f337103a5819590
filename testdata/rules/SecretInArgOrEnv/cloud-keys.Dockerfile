# want +1 "ARG GITHUB_TOKEN holds a GitHub token \\(ghp_…\\): ARG defaults are committed with the Dockerfile.*revoke it.*RUN --mount=type=secret"
ARG GITHUB_TOKEN=ghp_R4nd0mL00k1ngT0k3nV4lu3F0rT3st1ng0Ab
FROM debian:trixie-slim
# want +1 "ENV AWS_ACCESS_KEY_ID holds an AWS access key id \\(AKIA…\\); AWS_SECRET_ACCESS_KEY holds a secret-looking value \\(wJ…\\): ENV values are committed with the Dockerfile and stored in the image configuration"
ENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE \
    AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY \
    AWS_DEFAULT_REGION=eu-west-1
USER 65532

FROM node:22-trixie-slim AS build
# want +1 "ENV SLACK_BOT_TOKEN holds a Slack token \\(xoxb-…\\): ENV values are committed with the Dockerfile, and a build stage's environment is recorded"
ENV SLACK_BOT_TOKEN=xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx
# want +1 "ARG SESSION holds a JSON Web Token \\(eyJ…\\)"
ARG SESSION=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c
# want +1 "ENV DEPLOY_KEY holds a private key \\(-----BEG…\\)"
ENV DEPLOY_KEY="-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"
# want +1 "ENV DATABASE_URL holds a password in a URL \\(postgres://app:\\*\\*\\*\\*@…\\)"
ENV DATABASE_URL=postgres://app:Zq8wL2vNx4Rt@db.internal:5432/app
RUN npm ci

FROM node:22-trixie-slim
# An ONBUILD trigger is in the file too.
# want +1 "ENV API_KEY holds a secret-looking value \\(9f…\\)"
ONBUILD ENV API_KEY=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
COPY --from=build /app /app
USER node

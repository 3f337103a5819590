FROM golang:1.26-trixie
ENV APP_HOME=/app
# want +1 "Usage of undefined variable '\\$APP_HOEM' \\(did you mean \\$APP_HOME\\?\\)"
COPY . $APP_HOEM

FROM debian:trixie-slim
ARG APP=web
ARG VERSION=1.0.0
ENV APP_HOME=/opt/${APP} \
    APP_VERSION=$VERSION \
    QUOTED="a value with spaces" \
    ESCAPED=a\ b\ c \
    DEFAULTED=${UNSET_VAR:-fallback} \
    ALTERNATE=${APP:+set}
WORKDIR $APP_HOME
COPY ./${APP}/ ${APP_HOME}/
RUN echo "${APP_HOME} ${APP_VERSION} ${QUOTED} ${ESCAPED}" > /etc/app.txt
USER ${UID:-10001}

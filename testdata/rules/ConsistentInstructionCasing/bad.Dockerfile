FROM debian:trixie-slim
RUN echo a
RUN echo b
# want +1 "Command 'copy' should match the case of the command majority \\(uppercase\\)"
copy . /app

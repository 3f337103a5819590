FROM debian:trixie-slim
# ShellFormCmd reports this line; BuildKit's duplicate is dropped.
CMD /usr/bin/server

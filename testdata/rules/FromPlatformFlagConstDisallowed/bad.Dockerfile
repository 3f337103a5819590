# want +1 "FROM --platform flag should not use constant value \"linux/amd64\""
FROM --platform=linux/amd64 debian:trixie-slim

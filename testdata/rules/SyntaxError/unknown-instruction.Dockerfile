FROM debian:trixie-slim
# want +1 "unknown instruction: COPPY"
COPPY . /app

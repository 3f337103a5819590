# want +1 "Setting platform to predefined \\$TARGETPLATFORM in FROM is redundant"
FROM --platform=$TARGETPLATFORM debian:trixie-slim

# want +1 "Stage name should not use the same name as reserved stage \"scratch\""
FROM debian:trixie-slim AS scratch

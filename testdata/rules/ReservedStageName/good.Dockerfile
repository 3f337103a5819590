FROM debian:trixie-slim AS base

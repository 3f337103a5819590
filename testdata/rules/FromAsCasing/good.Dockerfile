FROM golang:1.26-trixie AS build
from debian:trixie-slim as runtime

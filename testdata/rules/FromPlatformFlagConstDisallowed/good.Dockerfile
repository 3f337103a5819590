FROM --platform=$BUILDPLATFORM golang:1.26-trixie AS build

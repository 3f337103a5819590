FROM golang:1.26-trixie AS build

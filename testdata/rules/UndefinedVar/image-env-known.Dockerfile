FROM golang:1.26-trixie
# GOPATH is set by the golang image, which the catalog knows.
COPY . $GOPATH/src/app

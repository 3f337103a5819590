arg GO_VERSION=1.26
from golang:${GO_VERSION}-alpine as build
workdir /src
copy . .
# want +1 "stage \"build\" is both the build and the shipped image: line 6 runs \"go build -o /bin/server ./cmd/server\""
run go mod download && go build -o /bin/server ./cmd/server
from build
entrypoint ["/bin/server"]

ARG VERSION
# want +1 "Default value for ARG golang:\\$\\{VERSION\\} results in empty or invalid base image name"
FROM golang:${VERSION}

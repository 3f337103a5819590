# want +1 "FROM requires either one or three arguments"
FROM golang:1.26 build

# want +1 "Stage name 'Build' should be lowercase"
FROM golang:1.26-trixie AS Build

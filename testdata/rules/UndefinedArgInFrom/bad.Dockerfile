# want +1 "FROM argument 'VERSON' is not declared"
FROM golang:${VERSON}

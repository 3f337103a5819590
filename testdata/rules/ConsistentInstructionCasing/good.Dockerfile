from debian:trixie-slim
run echo a
copy . /app

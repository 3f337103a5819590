FROM ruby:3.3-slim
# want +1 "builds and ships in one image \\(line 3 installs build-essential\\).*distroless does not fit: not convertible to Google distroless: there is no distroless Ruby runtime.*instead: the official ruby:<version>-slim image"
RUN apt-get update && apt-get install -y build-essential && bundle install
COPY . .
CMD ["bundle", "exec", "puma"]

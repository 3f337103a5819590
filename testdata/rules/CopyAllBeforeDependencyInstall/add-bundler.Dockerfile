FROM ruby:3.4-slim-trixie
WORKDIR /app
# want +1 "ADD \\. /app \\(line 4\\) in stage 0 copies the whole build context before `bundle install` \\(line 5\\).*copy Gemfile Gemfile.lock first"
ADD . /app
RUN bundle config set --local without 'development test' && bundle install
CMD ["bundle", "exec", "puma"]

FROM registry.example.com/team/base:1.0
# The base image may set JAVA_HOME; without a registry distill cannot tell.
COPY app.jar $JAVA_HOME/lib/app.jar

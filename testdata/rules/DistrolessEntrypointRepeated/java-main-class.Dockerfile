FROM gcr.io/distroless/java17-debian13:nonroot
COPY --from=build /app /app
# want +1 "starts with java, but the ENTRYPOINT of gcr.io/distroless/java17-debian13:nonroot is already \\[\"/usr/bin/java\", \"-jar\"\\].*override the ENTRYPOINT instead"
CMD ["java", "-cp", "/app/classes:/app/lib/*", "com.example.Main"]

FROM gcr.io/distroless/base-debian13:debug AS tools
# want +1 "RUN \"ls /\" is in shell form, run by the default shell /bin/sh, but gcr.io/distroless/base-debian13:debug has no /bin/sh \\(its busybox shell is /busybox/sh\\).*on a :debug image only, SHELL \\[\"/busybox/sh\", \"-c\"\\] makes it run"
RUN ls /
SHELL ["/busybox/sh", "-c"]
RUN ls /busybox
RUN ["sh", "-c", "echo ok"]
# want +1 "RUN \\[\"/bin/bash\", \"-c\", \"echo no\"\\] starts /bin/bash, but gcr.io/distroless/base-debian13:debug has no /bin/sh"
RUN ["/bin/bash", "-c", "echo no"]
FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=tools /busybox/busybox /busybox

// Package testenv runs distill's end-to-end build environment: an
// in-process OCI registry on loopback that serves synthesized base images
// under their real names (docker.io/..., gcr.io/distroless/...), a real
// buildkitd using it as a mirror, and a runc runner that starts the images
// BuildKit produces.
//
// Typical use in a test:
//
//	testenv.Require(t)               // DISTILL_E2E=1, root, host tools
//	env := testenv.Start(ctx, t, testenv.Options{})
//	img, err := env.Build(ctx, testenv.BuildRequest{ContextDir: dir, Dockerfile: "Dockerfile"})
//	res, err := env.Runner.Run(ctx, img, testenv.RunOptions{Timeout: time.Minute})
//
// Everything the environment starts (registry, buildkitd, containers) is
// stopped by Env.Close, which Start registers with t.Cleanup.
package testenv

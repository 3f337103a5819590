// Package replicas tests distill the way an organisation runs it: several
// `distill serve` processes on one PostgreSQL database behind one webhook
// URL. It has no code of its own, only replicas_test.go:
//
//   - it builds the real binary and runs each replica as its own process
//     (real process boundaries, real SIGKILL), against the fake GitHub
//     (bot/githubtest) running in the test process;
//   - both replicas start at the same instant on an empty database, so
//     the migrations race (store.Migrate takes a Postgres advisory lock);
//   - 100 pull_request deliveries, redeliveries included, go to both
//     replicas, and every head must be reviewed exactly once;
//   - one replica is killed with SIGKILL while it works on reviews, and the
//     other must finish every job, the dead replica's included.
//
// It lives under deploy/ rather than bot/ because it tests a deployment
// shape, not a package: it imports bot/githubtest and drives the binary
// only through its environment variables, as the Helm chart and Compose
// file do. The test skips unless DISTILL_TEST_POSTGRES_URL is set:
//
//	export DISTILL_TEST_POSTGRES_URL="$(bash deploy/ci/postgres.sh)"
//	go test ./deploy/replicas/ -v
package replicas

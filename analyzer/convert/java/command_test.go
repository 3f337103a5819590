package java

import (
	"strings"
	"testing"

	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// launchOf parses the last stage of a Dockerfile and its java command.
func launchOf(t *testing.T, src string) (*launch, string) {
	t.Helper()
	f, err := dockerfile.Parse("", []byte(src), dockerfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rt := runtimeOf(f)
	return parseLaunch(rt, envLookup(rt))
}

// runtimeOf collects the runtime of the last stage without a recipe.
func runtimeOf(f *dockerfile.File) *convert.Runtime {
	rt := &convert.Runtime{}
	st := f.Stages[len(f.Stages)-1]
	for _, ins := range st.Instructions {
		switch ins.Kind {
		case dockerfile.KindEnv:
			rt.Env = append(rt.Env, ins.KeyValues.Pairs...)
		case dockerfile.KindEntrypoint:
			rt.Entrypoint = ins
		case dockerfile.KindCmd:
			rt.Cmd = ins
		}
	}
	return rt
}

func TestParseLaunch(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, df string
		// want: jar|main, options, option vars, args, pass-args
		jar, main, cp, opts, vars, args string
		pass                            bool
		why                             string
	}{
		{name: "exec entrypoint", df: `ENTRYPOINT ["java", "-Xmx1g", "-jar", "/app.jar"]` + "\n" + `CMD ["--spring.profiles.active=prod"]`,
			jar: "/app.jar", opts: "-Xmx1g", args: "--spring.profiles.active=prod", pass: true},
		{name: "shell cmd with JAVA_OPTS", df: "ENV JAVA_OPTS=\"-Xmx512m\"\nCMD java $JAVA_OPTS -jar app.jar --port 1",
			jar: "app.jar", vars: "JAVA_OPTS", args: "--port 1"},
		{name: "exec after sh -c with forwarding", df: `ENTRYPOINT ["sh", "-c", "exec java ${JAVA_OPTS} -jar /app.jar \"$@\""]`,
			jar: "/app.jar", vars: "JAVA_OPTS", pass: true},
		{name: "main class", df: `ENTRYPOINT ["java", "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp", "app:app/lib/*", "hello.Application"]`,
			main: "hello.Application", cp: "app:app/lib/*", opts: "--add-opens java.base/java.lang=ALL-UNNAMED", pass: true},
		{name: "module", df: `CMD ["java", "-p", "mods", "-m", "com.acme/com.acme.Main", "x"]`,
			main: "com.acme/com.acme.Main", opts: "-p mods", args: "x"},
		{name: "tini", df: `ENTRYPOINT ["/sbin/tini", "--"]` + "\n" + `CMD ["java", "-jar", "/w.jar"]`,
			jar: "/w.jar"},
		{name: "variable with a value in an option", df: "ENV PORT=8080\nCMD java -Dserver.port=$PORT -jar a.jar",
			jar: "a.jar", opts: "-Dserver.port=8080"},
		{name: "variable without a value", df: "CMD java -Dserver.port=$PORT -jar a.jar",
			why: "has no fixed value"},
		{name: "operators", df: "CMD java -jar a.jar && echo done", why: "needs a shell"},
		{name: "not java", df: `CMD ["./start"]`, why: "not the java launcher"},
		{name: "build tool", df: `CMD ["./mvnw", "spring-boot:run"]`, why: "with the build tool at start-up"},
		{name: "glob argument", df: "CMD java -jar a.jar *.yml", why: "glob"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l, why := launchOf(t, "FROM eclipse-temurin:21-jre\n"+tc.df+"\n")
			if tc.why != "" {
				if !strings.Contains(why, tc.why) {
					t.Fatalf("why = %q, want %q", why, tc.why)
				}
				return
			}
			if why != "" {
				t.Fatalf("declined: %s", why)
			}
			got := []string{l.Jar, l.MainClass, l.ClassPath, strings.Join(l.Options, " "), strings.Join(l.OptionVars, " "), strings.Join(l.Args, " ")}
			want := []string{tc.jar, tc.main, tc.cp, tc.opts, tc.vars, tc.args}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("field %d = %q, want %q (launch %+v)", i, got[i], want[i], l)
				}
			}
			if l.PassArgs != tc.pass {
				t.Errorf("PassArgs = %v, want %v", l.PassArgs, tc.pass)
			}
		})
	}
}

func TestJoinOptions(t *testing.T) {
	t.Parallel()
	got := joinOptions([]string{"--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Xmx1g", "-p", "mods"})
	if want := "--add-opens=java.base/java.lang=ALL-UNNAMED -Xmx1g -p mods"; got != want {
		t.Errorf("joinOptions = %q, want %q", got, want)
	}
}

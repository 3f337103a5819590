// Command genenv writes the README's table of `distill serve` environment
// variables from bot.Env, so the documentation cannot drift from the code.
// Run it with `go generate ./bot`.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/distill-bot/distill/analyzer/report"
	"github.com/distill-bot/distill/bot"
)

func main() {
	readme := flag.String("readme", "README.md", "README to update")
	flag.Parse()
	b, err := os.ReadFile(*readme)
	if err == nil {
		var doc string
		doc, err = report.ReplaceSection(string(b), "env", bot.EnvTable())
		if err == nil {
			err = os.WriteFile(*readme, []byte(doc), 0o644)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genenv:", err)
		os.Exit(1)
	}
}

// Package recipes is the registry of conversion recipes, in the order they
// are tried: declines that apply to any language, one recipe per ecosystem
// (each also handles shipped stages that are already distroless), and last
// the touch-up of already-minimal images nobody else claimed.
package recipes

import (
	"github.com/distill-bot/distill/analyzer/convert"
	"github.com/distill-bot/distill/analyzer/convert/declines"
	"github.com/distill-bot/distill/analyzer/convert/distroless"
	"github.com/distill-bot/distill/analyzer/convert/dotnet"
	"github.com/distill-bot/distill/analyzer/convert/golang"
	"github.com/distill-bot/distill/analyzer/convert/java"
	"github.com/distill-bot/distill/analyzer/convert/native"
	"github.com/distill-bot/distill/analyzer/convert/node"
	"github.com/distill-bot/distill/analyzer/convert/python"
	"github.com/distill-bot/distill/analyzer/convert/rust"
)

// All returns the recipes in detection order.
func All() []*convert.Recipe {
	return []*convert.Recipe{
		declines.Language,
		declines.Supervisor,
		declines.EntrypointScript,
		python.Recipe,
		node.Recipe,
		java.Recipe,
		dotnet.Recipe,
		rust.Recipe,
		golang.Recipe,
		// C/C++ and prebuilt binaries: the most generic recipe, after
		// every language recipe.
		native.Recipe,
		// Already-minimal images whose build no language recipe claimed.
		distroless.Recipe,
	}
}

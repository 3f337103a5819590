// Package ghfixtures embeds the real GitHub payloads, response bodies and error bodies that the fake
// GitHub (bot/githubtest) and the bot tests use, so they load the same bytes wherever the tests run.
//
// The files are unchanged copies of public material; README.md beside this file lists their sources and
// licences. The package is named ghfixtures rather than github so that importing it next to go-github
// needs no alias.
package ghfixtures

import (
	"embed"
	"fmt"
	"io/fs"
)

//go:embed webhooks rest errors recorded
var files embed.FS

// FS returns the fixture tree, rooted at this directory (paths such as "webhooks/ping.payload.json").
func FS() fs.FS { return files }

// Read returns the bytes of one fixture, e.g. Read("errors/secondary-rate-limit.403.2021.json").
func Read(name string) ([]byte, error) {
	b, err := files.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("ghfixtures: %w", err)
	}
	return b, nil
}

// MustRead is Read for fixtures the caller knows exist; it panics otherwise, which in the fake GitHub
// means a programming error (a misspelt fixture name), not bad input.
func MustRead(name string) []byte {
	b, err := Read(name)
	if err != nil {
		panic(err)
	}
	return b
}

package githubtest

import (
	"testing"
	"time"
)

// The expected SHAs are what `git hash-object`, `git mktree` and `git commit-tree` print for the same
// input, so the fake's SHAs agree with real git.
func TestObjectStoreMatchesGit(t *testing.T) {
	t.Parallel()
	s := newObjectStore()
	if got, want := s.putBlob(nil), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"; got != want {
		t.Errorf("empty blob = %s, want %s", got, want)
	}
	hello := s.putBlob([]byte("hello\n"))
	if want := "ce013625030ba8dba906f756967f9e9ca394464a"; hello != want {
		t.Errorf("blob hello = %s, want %s", hello, want)
	}
	if got, want := s.putTree(nil), "4b825dc642cb6eb9a060e54bf8d69288fbee4904"; got != want {
		t.Errorf("empty tree = %s, want %s", got, want)
	}
	// printf '100644 blob ce01...\thello.txt\n' | git mktree
	tree := s.putTree([]treeEntry{{Name: "hello.txt", Mode: ModeFile, SHA: hello}})
	if want := "aaa96ced2d9a1c8e72c56b253a0e2fe78393feb7"; tree != want {
		t.Errorf("tree = %s, want %s", tree, want)
	}
	// GIT_AUTHOR_DATE/GIT_COMMITTER_DATE="1700000000 +0000", name A U Thor <author@example.com>,
	// git commit-tree aaa96ce -m msg  (git appends a newline to -m messages, so the message is "msg\n").
	when := time.Unix(1700000000, 0).UTC()
	sig := signature{Name: "A U Thor", Email: "author@example.com", When: when}
	c := s.putCommit(commitData{Tree: tree, Author: sig, Committer: sig, Message: "msg\n"})
	if want := "29cf15d9574c9acb1c8bac94d3ccb297ee7e1305"; c != want {
		t.Errorf("commit = %s, want %s", c, want)
	}
	o, _ := s.get(c)
	wantRaw := "tree aaa96ced2d9a1c8e72c56b253a0e2fe78393feb7\n" +
		"author A U Thor <author@example.com> 1700000000 +0000\n" +
		"committer A U Thor <author@example.com> 1700000000 +0000\n\nmsg\n"
	if string(o.raw) != wantRaw {
		t.Errorf("commit body =\n%q\nwant\n%q", o.raw, wantRaw)
	}
}

func TestTreeOrderPutsDirectoriesAsIfSlashed(t *testing.T) {
	t.Parallel()
	entries := []treeEntry{
		{Name: "a.txt", Mode: ModeFile},
		{Name: "a", Mode: ModeDir},
		{Name: "a-b", Mode: ModeFile},
	}
	gitTreeOrder(entries)
	// "a-b" < "a.txt" < "a/" in byte order.
	got := []string{entries[0].Name, entries[1].Name, entries[2].Name}
	want := []string{"a-b", "a.txt", "a"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order = %v, want %v", got, want)
		}
	}
}

func TestBuildTreeFlattenRoundTrip(t *testing.T) {
	t.Parallel()
	s := newObjectStore()
	files := map[string]fileEntry{
		"Dockerfile":        {Mode: ModeFile, SHA: s.putBlob([]byte("FROM scratch\n"))},
		"cmd/app/main.go":   {Mode: ModeFile, SHA: s.putBlob([]byte("package main\n"))},
		"scripts/build.sh":  {Mode: ModeExecutable, SHA: s.putBlob([]byte("#!/bin/sh\n"))},
		"scripts/link.conf": {Mode: ModeSymlink, SHA: s.putBlob([]byte("../x"))},
	}
	root := s.buildTree(files)
	got, err := s.flatten(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(files) {
		t.Fatalf("flatten = %v, want %v", got, files)
	}
	for p, f := range files {
		if got[p] != f {
			t.Errorf("%s = %v, want %v", p, got[p], f)
		}
	}
	e, err := s.lookupPath(root, "cmd/app")
	if err != nil || e.Mode != ModeDir {
		t.Fatalf("lookup cmd/app = %v, %v", e, err)
	}
	if _, err := s.lookupPath(root, "Dockerfile/x"); err == nil {
		t.Fatal("lookup below a file succeeded")
	}
	if root != s.buildTree(files) {
		t.Fatal("buildTree is not deterministic")
	}
}

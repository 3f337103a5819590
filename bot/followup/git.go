// Package followup turns conversions into follow-up pull requests: one
// commit on a `distill/…` branch written with the Git Data API (blobs, a
// tree on the parent's tree, a commit without a custom author so GitHub
// signs it as the App, a ref), the pull request opened or updated from that
// branch, its body, and — for forks, where the App cannot push — the patch
// and a `git apply` recipe as comments.
package followup

import (
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/go-github/v62/github"
)

// Client writes through an installation client.
type Client struct {
	GH *github.Client
	// Pause runs before every content-creating request (GitHub asks for
	// at least a second between them); nil does not wait.
	Pause func(context.Context)
	// BotLogin is the App's login ("<slug>[bot]"): a branch whose head
	// commit someone else made is never overwritten.
	BotLogin string
}

func (c *Client) pause(ctx context.Context) {
	if c.Pause != nil {
		c.Pause(ctx)
	}
}

// Blob is one file of a change.
type Blob struct {
	Path    string
	Content []byte
	// Mode is the git file mode; "" keeps 100644.
	Mode string
}

// Change is one follow-up commit: files written on top of a parent commit,
// on a branch of the same repository.
type Change struct {
	Owner, Repo string
	// Branch is the branch name, without refs/heads/.
	Branch string
	// Parent is the commit the change builds on.
	Parent string
	// ParentTree is Parent's tree SHA; "" fetches it.
	ParentTree string
	Files      []Blob
	Message    string
}

// Result is what Push did.
type Result struct {
	// Commit is the branch's commit.
	Commit string
	// Created: the branch did not exist before.
	Created bool
	// Unchanged: the branch already held exactly this change on Parent;
	// nothing was written.
	Unchanged bool
}

// ErrForeignCommits means someone other than distill committed to the
// follow-up branch; distill does not overwrite their work.
var ErrForeignCommits = errors.New("the branch has commits distill did not make")

// BlobSHA is the git object id of a file's content (`git hash-object`).
func BlobSHA(content []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(content))
	h.Write(content)
	return hex.EncodeToString(h.Sum(nil))
}

// Push makes Branch point at one commit that writes Files on top of
// Parent: GET the ref; when it already holds this change on Parent, stop;
// otherwise POST a blob per file, a tree with base_tree (so every other
// file stays), a commit with Parent as its only parent and no author or
// committer (GitHub then signs it as the App: "Verified"), and create the
// ref or force-update it (the branch is rebuilt on the new head, not
// fast-forwarded).
func (c *Client) Push(ctx context.Context, ch Change) (Result, error) {
	full := ch.Owner + "/" + ch.Repo
	if len(ch.Files) == 0 {
		return Result{}, fmt.Errorf("pushing %s to %s: no files", ch.Branch, full)
	}
	ref, resp, err := c.GH.Git.GetRef(ctx, ch.Owner, ch.Repo, "heads/"+ch.Branch)
	exists := err == nil
	if err != nil && (resp == nil || resp.StatusCode != http.StatusNotFound) {
		return Result{}, fmt.Errorf("reading branch %s of %s: %w", ch.Branch, full, err)
	}
	if exists {
		head := ref.GetObject().GetSHA()
		cur, _, err := c.GH.Git.GetCommit(ctx, ch.Owner, ch.Repo, head)
		if err != nil {
			return Result{}, fmt.Errorf("reading the head of %s in %s: %w", ch.Branch, full, err)
		}
		if !c.madeByBot(cur) {
			return Result{Commit: head}, fmt.Errorf("branch %s of %s: %w (head %s by %s)", ch.Branch, full, ErrForeignCommits, short(head), cur.GetAuthor().GetName())
		}
		if len(cur.Parents) == 1 && cur.Parents[0].GetSHA() == ch.Parent {
			same, err := c.holds(ctx, ch, cur.GetTree().GetSHA())
			if err != nil {
				return Result{}, err
			}
			if same {
				return Result{Commit: head, Unchanged: true}, nil
			}
		}
	}
	baseTree := ch.ParentTree
	if baseTree == "" {
		pc, _, err := c.GH.Git.GetCommit(ctx, ch.Owner, ch.Repo, ch.Parent)
		if err != nil {
			return Result{}, fmt.Errorf("reading commit %s of %s: %w", short(ch.Parent), full, err)
		}
		baseTree = pc.GetTree().GetSHA()
	}
	var entries []*github.TreeEntry
	for _, f := range ch.Files {
		c.pause(ctx)
		b, _, err := c.GH.Git.CreateBlob(ctx, ch.Owner, ch.Repo, &github.Blob{
			Content: github.String(base64.StdEncoding.EncodeToString(f.Content)), Encoding: github.String("base64"),
		})
		if err != nil {
			return Result{}, fmt.Errorf("creating the blob of %s in %s: %w", f.Path, full, err)
		}
		entries = append(entries, &github.TreeEntry{Path: github.String(f.Path), Mode: github.String(mode(f)), Type: github.String("blob"), SHA: b.SHA})
	}
	c.pause(ctx)
	tree, _, err := c.GH.Git.CreateTree(ctx, ch.Owner, ch.Repo, baseTree, entries)
	if err != nil {
		return Result{}, fmt.Errorf("creating the tree of %s in %s: %w", ch.Branch, full, err)
	}
	c.pause(ctx)
	commit, _, err := c.GH.Git.CreateCommit(ctx, ch.Owner, ch.Repo, &github.Commit{
		Message: github.String(ch.Message), Tree: &github.Tree{SHA: tree.SHA}, Parents: []*github.Commit{{SHA: github.String(ch.Parent)}},
	}, nil)
	if err != nil {
		return Result{}, fmt.Errorf("creating the commit of %s in %s: %w", ch.Branch, full, err)
	}
	newRef := &github.Reference{Ref: github.String("refs/heads/" + ch.Branch), Object: &github.GitObject{SHA: commit.SHA}}
	c.pause(ctx)
	if !exists {
		_, resp, err := c.GH.Git.CreateRef(ctx, ch.Owner, ch.Repo, newRef)
		if err == nil {
			return Result{Commit: commit.GetSHA(), Created: true}, nil
		}
		if resp == nil || resp.StatusCode != http.StatusUnprocessableEntity {
			return Result{}, fmt.Errorf("creating branch %s of %s: %w", ch.Branch, full, err)
		}
		// Someone created it in between ("Reference already exists").
		c.pause(ctx)
	}
	if _, _, err := c.GH.Git.UpdateRef(ctx, ch.Owner, ch.Repo, newRef, true); err != nil {
		return Result{}, fmt.Errorf("updating branch %s of %s: %w", ch.Branch, full, err)
	}
	return Result{Commit: commit.GetSHA()}, nil
}

// holds reports whether tree has every file of the change, byte for byte.
func (c *Client) holds(ctx context.Context, ch Change, tree string) (bool, error) {
	t, _, err := c.GH.Git.GetTree(ctx, ch.Owner, ch.Repo, tree, true)
	if err != nil {
		return false, fmt.Errorf("reading the tree of %s in %s/%s: %w", ch.Branch, ch.Owner, ch.Repo, err)
	}
	if t.GetTruncated() {
		return false, nil
	}
	have := map[string]*github.TreeEntry{}
	for _, e := range t.Entries {
		have[e.GetPath()] = e
	}
	for _, f := range ch.Files {
		e := have[f.Path]
		if e == nil || e.GetSHA() != BlobSHA(f.Content) || e.GetMode() != mode(f) {
			return false, nil
		}
	}
	return true, nil
}

// madeByBot reports whether a commit was made by the App (the API commits
// as "<slug>[bot]" when no author is given).
func (c *Client) madeByBot(cm *github.Commit) bool {
	if c.BotLogin == "" {
		return true
	}
	a := cm.GetAuthor()
	return strings.EqualFold(a.GetName(), c.BotLogin) || strings.Contains(strings.ToLower(a.GetEmail()), "+"+strings.ToLower(c.BotLogin)+"@")
}

func mode(f Blob) string {
	if f.Mode == "" {
		return "100644"
	}
	return f.Mode
}

func short(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}

package followup

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/go-github/v62/github"
)

// PullSpec describes the follow-up pull request.
type PullSpec struct {
	Owner, Repo string
	// Head is the follow-up branch (same repository).
	Head string
	// Base is the branch the follow-up merges into.
	Base        string
	Title, Body string
	// NewBranch says the head branch was just created, so no pull request
	// can exist for it yet (saves a lookup).
	NewBranch bool
}

// Pull is the follow-up pull request.
type Pull struct {
	Number  int
	HTMLURL string
	// Created: opened now; otherwise an open one was updated.
	Created bool
}

// EnsurePull opens the pull request from Head into Base, or updates the
// open one (title, body) so a branch never has two. GitHub answers 422 "A
// pull request already exists" when one was opened in between; that one is
// then updated.
func (c *Client) EnsurePull(ctx context.Context, s PullSpec) (Pull, error) {
	full := s.Owner + "/" + s.Repo
	if !s.NewBranch {
		if p, ok, err := c.updateOpen(ctx, s); err != nil || ok {
			return p, err
		}
	}
	c.pause(ctx)
	pr, resp, err := c.GH.PullRequests.Create(ctx, s.Owner, s.Repo, &github.NewPullRequest{
		Title: github.String(s.Title), Head: github.String(s.Head), Base: github.String(s.Base), Body: github.String(s.Body),
	})
	if err == nil {
		return Pull{Number: pr.GetNumber(), HTMLURL: pr.GetHTMLURL(), Created: true}, nil
	}
	if resp != nil && resp.StatusCode == http.StatusUnprocessableEntity && strings.Contains(err.Error(), "already exists") {
		if p, ok, err := c.updateOpen(ctx, s); err != nil || ok {
			return p, err
		}
	}
	return Pull{}, fmt.Errorf("opening the pull request %s → %s in %s: %w", s.Head, s.Base, full, err)
}

// updateOpen finds the open pull request of the branch and brings its
// title, body and base up to date.
func (c *Client) updateOpen(ctx context.Context, s PullSpec) (Pull, bool, error) {
	prs, _, err := c.GH.PullRequests.List(ctx, s.Owner, s.Repo, &github.PullRequestListOptions{
		State: "open", Head: s.Owner + ":" + s.Head, ListOptions: github.ListOptions{PerPage: 10},
	})
	if err != nil {
		return Pull{}, false, fmt.Errorf("looking for the pull request of %s in %s/%s: %w", s.Head, s.Owner, s.Repo, err)
	}
	for _, pr := range prs {
		if pr.GetHead().GetRef() != s.Head {
			continue
		}
		p := Pull{Number: pr.GetNumber(), HTMLURL: pr.GetHTMLURL()}
		if pr.GetTitle() == s.Title && pr.GetBody() == s.Body && pr.GetBase().GetRef() == s.Base {
			return p, true, nil
		}
		edit := &github.PullRequest{Title: github.String(s.Title), Body: github.String(s.Body)}
		if pr.GetBase().GetRef() != s.Base {
			edit.Base = &github.PullRequestBranch{Ref: github.String(s.Base)}
		}
		c.pause(ctx)
		if _, _, err := c.GH.PullRequests.Edit(ctx, s.Owner, s.Repo, pr.GetNumber(), edit); err != nil {
			return Pull{}, false, fmt.Errorf("updating pull request #%d of %s/%s: %w", pr.GetNumber(), s.Owner, s.Repo, err)
		}
		return p, true, nil
	}
	return Pull{}, false, nil
}

// Close closes an obsolete follow-up pull request with a comment saying
// why; a pull request already closed or merged is left alone.
func (c *Client) Close(ctx context.Context, owner, repo string, number int, why string) (bool, error) {
	pr, _, err := c.GH.PullRequests.Get(ctx, owner, repo, number)
	if err != nil {
		return false, fmt.Errorf("reading pull request #%d of %s/%s: %w", number, owner, repo, err)
	}
	if pr.GetState() != "open" {
		return false, nil
	}
	c.pause(ctx)
	if _, _, err := c.GH.Issues.CreateComment(ctx, owner, repo, number, &github.IssueComment{Body: github.String(why)}); err != nil {
		return false, fmt.Errorf("commenting on #%d of %s/%s: %w", number, owner, repo, err)
	}
	c.pause(ctx)
	if _, _, err := c.GH.PullRequests.Edit(ctx, owner, repo, number, &github.PullRequest{State: github.String("closed")}); err != nil {
		return false, fmt.Errorf("closing #%d of %s/%s: %w", number, owner, repo, err)
	}
	return true, nil
}

package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
)

// Verification is the outcome of building and inspecting one proposal:
// the same proposed bytes of the same file at the same commit are never
// built twice (the review's verify job and a follow-up pull request share
// it).
type Verification struct {
	Repo, SHA, Path string
	// ProposalHash is ProposalHash(the proposed Dockerfile).
	ProposalHash string
	Verdict      string // verify.Verdict
	Summary      string // one line: "built ✓, inspected ✓, 812 MB → 9.8 MB (−99%)"
	Details      string // failed checks and the build log tail, Markdown
	// OK means the proposal built and passed every check (it may be
	// offered under verify: required).
	OK bool
}

// ProposalHash identifies proposed Dockerfile bytes.
func ProposalHash(dockerfile []byte) string {
	h := sha256.Sum256(dockerfile)
	return hex.EncodeToString(h[:])
}

// SaveVerification records a verification (the latest wins).
func (d *DB) SaveVerification(ctx context.Context, v Verification) error {
	_, err := d.Exec(ctx, `INSERT INTO distill_verifications (repo, sha, path, proposal_hash, verdict, summary, details, ok, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (repo, sha, path, proposal_hash) DO UPDATE SET verdict = excluded.verdict, summary = excluded.summary,
			details = excluded.details, ok = excluded.ok, created_at = excluded.created_at`,
		v.Repo, v.SHA, v.Path, v.ProposalHash, v.Verdict, v.Summary, v.Details, v.OK, now())
	if err != nil {
		return fmt.Errorf("recording the verification of %s in %s@%s: %w", v.Path, v.Repo, v.SHA, err)
	}
	return nil
}

// GetVerification returns the recorded verification of a proposal, or nil.
func (d *DB) GetVerification(ctx context.Context, repo, sha, path, proposalHash string) (*Verification, error) {
	v := Verification{Repo: repo, SHA: sha, Path: path, ProposalHash: proposalHash}
	err := d.QueryRow(ctx, `SELECT verdict, summary, details, ok FROM distill_verifications WHERE repo = ? AND sha = ? AND path = ? AND proposal_hash = ?`,
		repo, sha, path, proposalHash).Scan(&v.Verdict, &v.Summary, &v.Details, &v.OK)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the verification of %s in %s@%s: %w", path, repo, sha, err)
	}
	return &v, nil
}

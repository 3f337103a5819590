package githubtest

import (
	"strings"
	"time"
)

// account is a user, organization or bot.
type account struct {
	Login string
	ID    int64
	Type  string // "User", "Organization" or "Bot"
}

// installation is one installation of the App.
type installation struct {
	ID          int64
	Account     *account
	Selection   string         // "all" or "selected"
	Repos       map[int64]bool // for "selected"
	Permissions map[string]string
	Events      []string
	Suspended   bool
	CreatedAt   time.Time
}

func (in *installation) covers(r *repository) bool {
	if in.Suspended {
		return false
	}
	if in.Selection == "all" {
		return strings.EqualFold(in.Account.Login, r.Owner.Login)
	}
	return in.Repos[r.ID]
}

// repository holds one repository's refs and everything filed against it.
type repository struct {
	ID            int64
	Owner         *account
	Name          string
	Description   string
	Private       bool
	DefaultBranch string
	Parent        *repository
	CreatedAt     time.Time
	PushedAt      time.Time

	store       *objectStore
	refs        map[string]string // full ref name → commit SHA
	nextNumber  int               // issues and pull requests share the number space
	issues      map[int]*Issue
	pulls       map[int]*pullState
	comments    []*IssueComment
	reviews     []*Review
	revComments []*ReviewComment
	checkRuns   []*CheckRun
	reactions   []*Reaction
	permissions map[string]string // lower-case login → admin/write/read/none
}

func (r *repository) fullName() string { return r.Owner.Login + "/" + r.Name }

// pullState is a pull request with the pointers the fake needs.
type pullState struct {
	PullRequest
	head *repository
	base *repository
}

// PullRequest is the fake's record of a pull request (see Server.PullRequests).
type PullRequest struct {
	Number              int
	ID                  int64
	Title               string
	Body                string
	State               string // "open" or "closed"
	Draft               bool
	Merged              bool
	User                string
	UserType            string
	HeadRepo            string // "owner/name"
	HeadRef             string // branch name
	HeadSHA             string
	BaseRef             string
	BaseSHA             string
	MaintainerCanModify bool
	CreatedAt           time.Time
	UpdatedAt           time.Time
	ClosedAt            time.Time // zero while open
}

// Issue is an issue or the issue side of a pull request (same number).
type Issue struct {
	Number        int
	ID            int64
	Title         string
	Body          string
	State         string
	StateReason   string
	User          string
	UserType      string
	IsPullRequest bool
	Labels        []string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	ClosedAt      time.Time
}

// IssueComment is a comment on an issue or pull request conversation.
type IssueComment struct {
	ID          int64
	IssueNumber int
	Body        string
	User        string
	UserType    string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Review is a pull request review with the comments created with it.
type Review struct {
	ID          int64
	PullNumber  int
	User        string
	Body        string
	State       string // COMMENTED, APPROVED, CHANGES_REQUESTED, PENDING, DISMISSED
	CommitID    string
	SubmittedAt time.Time // zero while pending
	Comments    []ReviewComment
}

// ReviewComment is an inline review comment.
type ReviewComment struct {
	ID         int64
	ReviewID   int64
	PullNumber int
	Path       string
	Body       string
	CommitID   string
	Line       int
	Side       string
	StartLine  int    // 0 for a single-line comment
	StartSide  string // "" for a single-line comment
	Position   int    // GitHub's legacy position in the patch
	DiffHunk   string
	InReplyTo  int64
	User       string
	// Suggestions holds the contents of the ```suggestion blocks of Body, in order.
	Suggestions []string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// CheckRun is a check run with every annotation it received.
type CheckRun struct {
	ID          int64
	Name        string
	HeadSHA     string
	Status      string
	Conclusion  string
	ExternalID  string
	DetailsURL  string
	StartedAt   time.Time
	CompletedAt time.Time
	Title       string
	Summary     string
	Text        string
	Annotations []Annotation
}

// Annotation is one check-run annotation as sent.
type Annotation struct {
	Path            string `json:"path"`
	StartLine       int    `json:"start_line"`
	EndLine         int    `json:"end_line"`
	StartColumn     *int   `json:"start_column,omitempty"`
	EndColumn       *int   `json:"end_column,omitempty"`
	AnnotationLevel string `json:"annotation_level"`
	Message         string `json:"message"`
	Title           string `json:"title,omitempty"`
	RawDetails      string `json:"raw_details,omitempty"`
}

// Reaction is a reaction on an issue comment.
type Reaction struct {
	ID        int64
	CommentID int64
	Content   string
	User      string
	CreatedAt time.Time
}

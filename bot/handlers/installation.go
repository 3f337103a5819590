package handlers

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/go-github/v62/github"
	"github.com/riverqueue/river"

	"github.com/distill-bot/distill/bot/store"
)

// Installation keeps the record of installations and their repositories
// up to date (installation created/deleted/suspend/unsuspend and
// installation_repositories added/removed). Repositories that become
// covered are passed to OnNewRepos (onboarding).
// https://docs.github.com/webhooks/webhook-events-and-payloads#installation
type Installation struct {
	*Deps
	// OnNewRepos is called with repositories newly covered by an
	// installation; nil does nothing.
	OnNewRepos func(ctx context.Context, installation int64, repos []store.RepoRef) error
	// OnRemoved is called when an installation is deleted or suspended,
	// or repositories are removed from it.
	OnRemoved func(ctx context.Context, installation int64, repos []store.RepoRef) error
}

var _ EventHandler = (*Installation)(nil)

// Handles implements EventHandler.
func (h *Installation) Handles() []string {
	return []string{"installation", "installation_repositories"}
}

// Handle implements EventHandler.
func (h *Installation) Handle(ctx context.Context, delivery string, payload []byte) error {
	var probe struct {
		Action       string `json:"action"`
		Installation struct {
			ID int64 `json:"id"`
		} `json:"installation"`
	}
	if err := json.Unmarshal(payload, &probe); err != nil {
		return river.JobCancel(fmt.Errorf("decoding installation event %s: %w", delivery, err))
	}
	if probe.Action == "" {
		return skip("installation event without action")
	}
	var ev github.InstallationEvent
	var rev github.InstallationRepositoriesEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return river.JobCancel(err)
	}
	_ = json.Unmarshal(payload, &rev)
	inst := ev.GetInstallation()
	rec := store.Installation{ID: inst.GetID(), Account: inst.GetAccount().GetLogin(), AccountType: inst.GetAccount().GetType(),
		Selection: inst.GetRepositorySelection(), Suspended: inst.SuspendedAt != nil}
	log := h.logger(ctx).With("installation", rec.ID, "account", rec.Account, "action", probe.Action)
	switch probe.Action {
	case "created", "unsuspend", "new_permissions_accepted":
		rec.Suspended = false
		if err := h.DB.UpsertInstallation(ctx, rec); err != nil {
			return err
		}
		added, err := h.DB.AddInstallationRepos(ctx, rec.ID, refs(ev.Repositories))
		if err != nil {
			return err
		}
		log.Info("installation recorded", "repositories", len(ev.Repositories))
		if h.OnNewRepos != nil && (probe.Action == "created" || probe.Action == "unsuspend") {
			return h.OnNewRepos(ctx, rec.ID, added)
		}
	case "deleted", "suspend":
		rec.Deleted = probe.Action == "deleted"
		rec.Suspended = probe.Action == "suspend"
		if err := h.DB.UpsertInstallation(ctx, rec); err != nil {
			return err
		}
		repos, err := h.DB.InstallationRepos(ctx, rec.ID)
		if err != nil {
			return err
		}
		if rec.Deleted {
			if err := h.DB.RemoveInstallationRepos(ctx, rec.ID, nil); err != nil {
				return err
			}
		}
		log.Info("installation "+probe.Action, "repositories", len(repos))
		if h.OnRemoved != nil {
			return h.OnRemoved(ctx, rec.ID, repos)
		}
	case "added":
		if err := h.DB.UpsertInstallation(ctx, rec); err != nil {
			return err
		}
		added, err := h.DB.AddInstallationRepos(ctx, rec.ID, refs(rev.RepositoriesAdded))
		if err != nil {
			return err
		}
		log.Info("repositories added", "repositories", len(added))
		if h.OnNewRepos != nil {
			return h.OnNewRepos(ctx, rec.ID, added)
		}
	case "removed":
		removed := refs(rev.RepositoriesRemoved)
		if err := h.DB.RemoveInstallationRepos(ctx, rec.ID, removed); err != nil {
			return err
		}
		log.Info("repositories removed", "repositories", len(removed))
		if h.OnRemoved != nil {
			return h.OnRemoved(ctx, rec.ID, removed)
		}
	default:
		return skip("installation action %q", probe.Action)
	}
	return nil
}

func refs(rs []*github.Repository) []store.RepoRef {
	out := make([]store.RepoRef, 0, len(rs))
	for _, r := range rs {
		out = append(out, store.RepoRef{ID: r.GetID(), FullName: r.GetFullName()})
	}
	return out
}

// Ping acknowledges ping events (sent when the hook is created).
type Ping struct{ *Deps }

// Handles implements EventHandler.
func (h *Ping) Handles() []string { return []string{"ping"} }

// Handle implements EventHandler.
func (h *Ping) Handle(ctx context.Context, delivery string, payload []byte) error {
	h.logger(ctx).Info("ping received")
	return nil
}

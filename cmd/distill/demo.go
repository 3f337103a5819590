package main

import (
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/distill-bot/distill/bot/bottest"
)

func addDemo(root *cobra.Command) {
	var showLog bool
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "See the App review a pull request, end to end, without registering one",
		Long: `demo starts distill and a fake GitHub in this process, opens a pull request that adds
three Dockerfiles with classic mistakes, delivers a signed webhook over HTTP, lets the
job queue run the review, and prints the review and the check run as GitHub shows them.
Nothing leaves this machine.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var log io.Writer
			if showLog {
				log = cmd.ErrOrStderr()
			}
			dir, err := os.MkdirTemp("", "distill-demo-*")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			return bottest.Demo(cmd.Context(), cmd.OutOrStdout(), log)
		},
	}
	cmd.Flags().BoolVar(&showLog, "log", false, "also print distill's JSON logs to stderr")
	root.AddCommand(cmd)
}

package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/distill-bot/distill/analyzer"
)

func addRules(root *cobra.Command) {
	var doc string
	cmd := &cobra.Command{
		Use:   "rules [--doc Rule]",
		Short: "List distill's rules, or print one rule's documentation",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			if doc != "" {
				r := analyzer.LookupRule(doc)
				if r == nil {
					return usageErrorf("unknown rule %q (run `distill rules` for the list)", doc)
				}
				_, err := fmt.Fprintf(out, "# %s\n\n%s · %s · %s\n\n%s\n", r.Name, r.Severity, r.Category, r.URL, r.Doc)
				return err
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "RULE\tSEVERITY\tCATEGORY\tSUMMARY")
			for _, r := range analyzer.Rules() {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Name, r.Severity, r.Category, r.Summary)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&doc, "doc", "", "print the documentation of this rule")
	root.AddCommand(cmd)
}

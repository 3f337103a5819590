package dotnet

import (
	"encoding/xml"
	"path"
	"strings"
)

// csproj is what the recipe reads from a project file.
type csproj struct {
	Path string
	// SDK is the project SDK: Microsoft.NET.Sdk.Web, Microsoft.NET.Sdk…
	SDK string
	// AssemblyName defaults to the project file's name.
	AssemblyName string
	// Version is the target framework's version ("8.0" for net8.0), ""
	// when the project targets several or none.
	Version string
	// Invariant is InvariantGlobalization: "true", "false" or "".
	Invariant     string
	PublishAot    bool
	SelfContained bool
	// RuntimeIdentifier as set in the project.
	RuntimeIdentifier string
}

type xmlNode struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Content string     `xml:",chardata"`
	Nodes   []xmlNode  `xml:",any"`
}

// parseCsproj reads an SDK-style project file; nil when it is not one.
func parseCsproj(name string, data []byte) *csproj {
	var root xmlNode
	if err := xml.Unmarshal(data, &root); err != nil || root.XMLName.Local != "Project" {
		return nil
	}
	p := &csproj{Path: name, AssemblyName: strings.TrimSuffix(path.Base(name), path.Ext(name))}
	for _, a := range root.Attrs {
		if a.Name.Local == "Sdk" {
			p.SDK = a.Value
		}
	}
	for _, n := range root.Nodes {
		if n.XMLName.Local == "Sdk" {
			for _, a := range n.Attrs {
				if a.Name.Local == "Name" && p.SDK == "" {
					p.SDK = a.Value
				}
			}
		}
		if n.XMLName.Local != "PropertyGroup" {
			continue
		}
		if conditional(n) {
			continue // Debug/Release-specific settings are not followed
		}
		for _, prop := range n.Nodes {
			v := strings.TrimSpace(prop.Content)
			switch prop.XMLName.Local {
			case "AssemblyName":
				if v != "" && !strings.Contains(v, "$(") {
					p.AssemblyName = v
				}
			case "TargetFramework":
				p.Version = frameworkVersion(v)
			case "TargetFrameworks":
				p.Version = "" // multi-targeting: the publish command picks one
			case "InvariantGlobalization":
				p.Invariant = strings.ToLower(v)
			case "PublishAot":
				p.PublishAot = strings.EqualFold(v, "true")
			case "SelfContained":
				p.SelfContained = strings.EqualFold(v, "true")
			case "RuntimeIdentifier":
				p.RuntimeIdentifier = v
			}
		}
	}
	return p
}

func conditional(n xmlNode) bool {
	for _, a := range n.Attrs {
		if a.Name.Local == "Condition" {
			return true
		}
	}
	return false
}

// frameworkVersion turns "net8.0" into "8.0" ("" for netstandard,
// netcoreapp and other monikers).
func frameworkVersion(tfm string) string {
	tfm = strings.TrimSpace(strings.ToLower(tfm))
	if !strings.HasPrefix(tfm, "net") || strings.HasPrefix(tfm, "netstandard") || strings.HasPrefix(tfm, "netcoreapp") {
		if strings.HasPrefix(tfm, "netcoreapp") {
			return strings.TrimPrefix(tfm, "netcoreapp")
		}
		return ""
	}
	v := strings.TrimPrefix(tfm, "net")
	v, _, _ = strings.Cut(v, "-") // net8.0-windows
	if !strings.Contains(v, ".") {
		return "" // net48 (.NET Framework)
	}
	return v
}

package dotnet

import "testing"

func TestParseCsproj(t *testing.T) {
	t.Parallel()
	p := parseCsproj("src/Api/Api.csproj", []byte(`<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net9.0</TargetFramework>
    <AssemblyName>Acme.Api</AssemblyName>
    <InvariantGlobalization>True</InvariantGlobalization>
    <PublishAot>true</PublishAot>
  </PropertyGroup>
  <PropertyGroup Condition="'$(Configuration)' == 'Debug'">
    <AssemblyName>Acme.Api.Debug</AssemblyName>
  </PropertyGroup>
</Project>`))
	if p == nil || p.SDK != "Microsoft.NET.Sdk.Web" || p.AssemblyName != "Acme.Api" || p.Version != "9.0" || p.Invariant != "true" || !p.PublishAot {
		t.Fatalf("csproj = %+v", p)
	}
	q := parseCsproj("Worker/Worker.csproj", []byte(`<Project><Sdk Name="Microsoft.NET.Sdk.Worker" /><PropertyGroup><TargetFrameworks>net8.0;net9.0</TargetFrameworks></PropertyGroup></Project>`))
	if q == nil || q.SDK != "Microsoft.NET.Sdk.Worker" || q.AssemblyName != "Worker" || q.Version != "" {
		t.Fatalf("csproj = %+v", q)
	}
	if parseCsproj("x.csproj", []byte("<Nope/>")) != nil {
		t.Error("a non-project parses")
	}
}

func TestFrameworkVersion(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"net8.0": "8.0", "net10.0": "10.0", "net8.0-windows": "8.0", "netcoreapp3.1": "3.1", "netstandard2.0": "", "net48": ""} {
		if got := frameworkVersion(in); got != want {
			t.Errorf("frameworkVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

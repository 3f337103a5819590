// Package test renders deploy/helm/distill with Helm's own Go library
// (what `helm template` runs), for several value sets, and decodes every
// object strictly into the Kubernetes API types: a misspelt or misplaced
// field fails. It is its own module so that Helm and the Kubernetes API
// stay out of distill's go.mod:
//
//	cd deploy/helm/test && go test ./...
package test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/lint"
	"helm.sh/helm/v3/pkg/lint/support"
	"helm.sh/helm/v3/pkg/releaseutil"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/yaml"
)

const (
	chartDir  = "../distill"
	release   = "distill"
	namespace = "tools"
	fullname  = "distill" // release "distill" + chart "distill"
)

var kubeVersion = &chartutil.KubeVersion{Version: "v1.33.0", Major: "1", Minor: "33"}

// serviceMonitor is the part of the Prometheus Operator's ServiceMonitor
// (monitoring.coreos.com/v1) the chart uses; decoding is strict, so a
// field outside it fails.
type serviceMonitor struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Metadata   metav1.ObjectMeta `json:"metadata"`
	Spec       struct {
		Selector  metav1.LabelSelector `json:"selector"`
		Endpoints []struct {
			Port          string `json:"port"`
			Path          string `json:"path"`
			Interval      string `json:"interval"`
			ScrapeTimeout string `json:"scrapeTimeout"`
		} `json:"endpoints"`
	} `json:"spec"`
}

// rendered holds the decoded objects of one rendering, by kind and name.
type rendered struct {
	deployments     map[string]*appsv1.Deployment
	services        map[string]*corev1.Service
	secrets         map[string]*corev1.Secret
	serviceAccounts map[string]*corev1.ServiceAccount
	pvcs            map[string]*corev1.PersistentVolumeClaim
	ingresses       map[string]*networkingv1.Ingress
	netpols         map[string]*networkingv1.NetworkPolicy
	pdbs            map[string]*policyv1.PodDisruptionBudget
	monitors        map[string]*serviceMonitor
	notes           string
}

func (r *rendered) count() int {
	return len(r.deployments) + len(r.services) + len(r.secrets) + len(r.serviceAccounts) + len(r.pvcs) +
		len(r.ingresses) + len(r.netpols) + len(r.pdbs) + len(r.monitors)
}

// render runs `helm template` through the library and decodes strictly.
func render(t *testing.T, vals map[string]any) (*rendered, error) {
	t.Helper()
	chrt, err := loader.Load(chartDir)
	if err != nil {
		t.Fatalf("loading the chart: %v", err)
	}
	install := action.NewInstall(&action.Configuration{Log: func(string, ...any) {}})
	install.DryRun, install.ClientOnly, install.Replace = true, true, true
	install.ReleaseName, install.Namespace = release, namespace
	install.KubeVersion = kubeVersion
	rel, err := install.Run(chrt, vals)
	if err != nil {
		return nil, err
	}
	r := &rendered{
		deployments: map[string]*appsv1.Deployment{}, services: map[string]*corev1.Service{}, secrets: map[string]*corev1.Secret{},
		serviceAccounts: map[string]*corev1.ServiceAccount{}, pvcs: map[string]*corev1.PersistentVolumeClaim{},
		ingresses: map[string]*networkingv1.Ingress{}, netpols: map[string]*networkingv1.NetworkPolicy{},
		pdbs: map[string]*policyv1.PodDisruptionBudget{}, monitors: map[string]*serviceMonitor{}, notes: rel.Info.Notes,
	}
	for name, doc := range releaseutil.SplitManifests(rel.Manifest) {
		var head struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
		}
		if err := yaml.Unmarshal([]byte(doc), &head); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		decode := func(obj any, name func() string) string {
			if err := yaml.UnmarshalStrict([]byte(doc), obj); err != nil {
				t.Fatalf("%s %s does not decode strictly into the API type: %v\n%s", head.APIVersion, head.Kind, err, doc)
			}
			return name()
		}
		switch head.APIVersion + " " + head.Kind {
		case "apps/v1 Deployment":
			o := &appsv1.Deployment{}
			r.deployments[decode(o, o.GetName)] = o
		case "v1 Service":
			o := &corev1.Service{}
			r.services[decode(o, o.GetName)] = o
		case "v1 Secret":
			o := &corev1.Secret{}
			r.secrets[decode(o, o.GetName)] = o
		case "v1 ServiceAccount":
			o := &corev1.ServiceAccount{}
			r.serviceAccounts[decode(o, o.GetName)] = o
		case "v1 PersistentVolumeClaim":
			o := &corev1.PersistentVolumeClaim{}
			r.pvcs[decode(o, o.GetName)] = o
		case "networking.k8s.io/v1 Ingress":
			o := &networkingv1.Ingress{}
			r.ingresses[decode(o, o.GetName)] = o
		case "networking.k8s.io/v1 NetworkPolicy":
			o := &networkingv1.NetworkPolicy{}
			r.netpols[decode(o, o.GetName)] = o
		case "policy/v1 PodDisruptionBudget":
			o := &policyv1.PodDisruptionBudget{}
			r.pdbs[decode(o, o.GetName)] = o
		case "monitoring.coreos.com/v1 ServiceMonitor":
			o := &serviceMonitor{}
			r.monitors[decode(o, o.Metadata.GetName)] = o
		default:
			t.Fatalf("unexpected object %s %s", head.APIVersion, head.Kind)
		}
	}
	return r, nil
}

func mustRender(t *testing.T, vals map[string]any) *rendered {
	t.Helper()
	r, err := render(t, vals)
	if err != nil {
		t.Fatalf("rendering: %v", err)
	}
	return r
}

// base are the least values that render: an App ID and the credentials.
func base() map[string]any {
	return map[string]any{
		"github": map[string]any{
			"appId":         123456,
			"privateKey":    "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n",
			"webhookSecret": "s3cret",
		},
	}
}

func with(vals map[string]any, path string, v any) map[string]any {
	m := vals
	keys := strings.Split(path, ".")
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m[keys[len(keys)-1]] = v
	return vals
}

// serveEnv is bot.Env: the variables distill serve reads, read from
// bot/config.go so the chart cannot fall behind the server.
func serveEnv(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join("..", "..", "..", "bot", "config.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || vs.Names[0].Name != "Env" || len(vs.Values) != 1 {
			return true
		}
		lit, ok := vs.Values[0].(*ast.CompositeLit)
		if !ok {
			t.Fatal("bot.Env is not a composite literal")
		}
		for _, elt := range lit.Elts {
			cl, ok := elt.(*ast.CompositeLit)
			if !ok || len(cl.Elts) == 0 {
				continue
			}
			if bl, ok := cl.Elts[0].(*ast.BasicLit); ok && bl.Kind == token.STRING {
				s, _ := strconv.Unquote(bl.Value)
				names = append(names, s)
			}
		}
		return false
	})
	if len(names) < 10 {
		t.Fatalf("read %d variables from bot.Env; bot/config.go changed shape?", len(names))
	}
	return names
}

// notWired are bot.Env variables the chart leaves unset on purpose.
var notWired = map[string]string{
	"DISTILL_PRIVATE_KEY":    "the key is mounted as a file (DISTILL_PRIVATE_KEY_FILE), never put in the environment",
	"DISTILL_WEBHOOK_SECRET": "the secret is mounted as a file (DISTILL_WEBHOOK_SECRET_FILE)",
	"DISTILL_WEBHOOK_SECRET_PREVIOUS_FILE": "the previous secret is an optional key of the App's Secret (DISTILL_WEBHOOK_SECRET_PREVIOUS), " +
		"and a Secret volume cannot project a key that may be missing",
	"DISTILL_DATABASE_URL_FILE": "the database URL comes from a Secret key (DISTILL_DATABASE_URL via secretKeyRef)",
}

// onlyWithTLS are bot.Env variables set only when buildkit.tls.existingSecret is.
var onlyWithTLS = []string{"DISTILL_BUILDKIT_CA", "DISTILL_BUILDKIT_CERT", "DISTILL_BUILDKIT_KEY", "DISTILL_BUILDKIT_SERVER_NAME"}

func container(t *testing.T, d *appsv1.Deployment, name string) *corev1.Container {
	t.Helper()
	for i := range d.Spec.Template.Spec.Containers {
		if c := &d.Spec.Template.Spec.Containers[i]; c.Name == name {
			return c
		}
	}
	t.Fatalf("deployment %s has no container %s", d.Name, name)
	return nil
}

func envOf(c *corev1.Container) map[string]corev1.EnvVar {
	m := map[string]corev1.EnvVar{}
	for _, e := range c.Env {
		m[e.Name] = e
	}
	return m
}

// checkServer asserts what every rendering of the distill Deployment must
// have: security settings, probes, /tmp, the credentials as files, and
// every variable of bot.Env wired or deliberately left out.
func checkServer(t *testing.T, r *rendered) (*appsv1.Deployment, *corev1.Container) {
	t.Helper()
	d, ok := r.deployments[fullname]
	if !ok {
		t.Fatalf("no Deployment %s; have %v", fullname, slices.Collect(maps.Keys(r.deployments)))
	}
	pod := d.Spec.Template.Spec
	c := container(t, d, "distill")

	// Pod and container security.
	psc := pod.SecurityContext
	if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot || psc.RunAsUser == nil || *psc.RunAsUser != 65532 ||
		psc.SeccompProfile == nil || psc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Errorf("pod securityContext %+v: want runAsNonRoot, runAsUser 65532, seccomp RuntimeDefault", psc)
	}
	sc := c.SecurityContext
	switch {
	case sc == nil:
		t.Fatal("no container securityContext")
	case sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.RunAsUser == nil || *sc.RunAsUser != 65532:
		t.Error("container must run as non-root user 65532 (numeric)")
	case sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem:
		t.Error("container root filesystem must be read-only")
	case sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation:
		t.Error("allowPrivilegeEscalation must be false")
	case sc.Capabilities == nil || !slices.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) || len(sc.Capabilities.Add) > 0:
		t.Error("capabilities: drop ALL, add none")
	case sc.Privileged != nil && *sc.Privileged:
		t.Error("privileged container")
	case sc.SeccompProfile == nil || sc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault:
		t.Error("container seccomp must be RuntimeDefault")
	}
	if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
		t.Error("the service account token must not be mounted")
	}

	// Probes on the named HTTP port.
	if p := c.LivenessProbe; p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/healthz" || p.HTTPGet.Port.String() != "http" {
		t.Errorf("liveness probe %+v: want GET /healthz on http", p)
	}
	if p := c.ReadinessProbe; p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/readyz" || p.HTTPGet.Port.String() != "http" {
		t.Errorf("readiness probe %+v: want GET /readyz on http", p)
	}
	if len(c.Ports) != 1 || c.Ports[0].Name != "http" || c.Ports[0].ContainerPort != 8080 {
		t.Errorf("ports %+v: want http 8080", c.Ports)
	}
	if c.Resources.Requests.Cpu().IsZero() || c.Resources.Requests.Memory().IsZero() || c.Resources.Limits.Memory().IsZero() {
		t.Errorf("resources %+v: want CPU and memory requests and a memory limit", c.Resources)
	}

	// Volumes: /tmp from an emptyDir, the credentials read-only.
	vols := map[string]corev1.Volume{}
	for _, v := range pod.Volumes {
		vols[v.Name] = v
	}
	mounts := map[string]corev1.VolumeMount{}
	for _, m := range c.VolumeMounts {
		mounts[m.MountPath] = m
		if _, ok := vols[m.Name]; !ok {
			t.Errorf("mount %s uses undefined volume %s", m.MountPath, m.Name)
		}
	}
	if m, ok := mounts["/tmp"]; !ok || vols[m.Name].EmptyDir == nil {
		t.Error("/tmp must be an emptyDir (the root filesystem is read-only)")
	}
	gh, ok := mounts["/etc/distill/github"]
	if !ok || !gh.ReadOnly || vols[gh.Name].Secret == nil {
		t.Fatal("the App credentials must be a read-only secret volume at /etc/distill/github")
	}
	paths := map[string]bool{}
	for _, it := range vols[gh.Name].Secret.Items {
		paths[it.Path] = true
	}

	// Environment: every bot.Env variable wired, or deliberately not.
	env := envOf(c)
	for _, name := range serveEnv(t) {
		_, set := env[name]
		why, skipped := notWired[name]
		switch {
		case set && skipped:
			t.Errorf("%s is set, but %s", name, why)
		case !set && !skipped && !slices.Contains(onlyWithTLS, name):
			t.Errorf("%s (bot.Env) is not wired in the chart", name)
		}
	}
	for name := range env {
		if !slices.Contains(serveEnv(t), name) {
			t.Errorf("env %s is not a variable distill serve reads", name)
		}
	}
	if f := env["DISTILL_PRIVATE_KEY_FILE"].Value; !strings.HasPrefix(f, "/etc/distill/github/") || !paths[strings.TrimPrefix(f, "/etc/distill/github/")] {
		t.Errorf("DISTILL_PRIVATE_KEY_FILE=%s is not a file of the secret volume (%v)", f, paths)
	}
	if f := env["DISTILL_WEBHOOK_SECRET_FILE"].Value; !strings.HasPrefix(f, "/etc/distill/github/") || !paths[strings.TrimPrefix(f, "/etc/distill/github/")] {
		t.Errorf("DISTILL_WEBHOOK_SECRET_FILE=%s is not a file of the secret volume (%v)", f, paths)
	}
	if !regexp.MustCompile(`^[0-9]+$`).MatchString(env["DISTILL_APP_ID"].Value) {
		t.Errorf("DISTILL_APP_ID=%q is not the numeric App ID", env["DISTILL_APP_ID"].Value)
	}
	prev := env["DISTILL_WEBHOOK_SECRET_PREVIOUS"].ValueFrom
	if prev == nil || prev.SecretKeyRef == nil || prev.SecretKeyRef.Optional == nil || !*prev.SecretKeyRef.Optional {
		t.Error("DISTILL_WEBHOOK_SECRET_PREVIOUS must come from an optional secret key")
	}

	// The Service selects exactly the distill pods, on the named port.
	svc, ok := r.services[fullname]
	if !ok {
		t.Fatal("no Service")
	}
	if !labels.SelectorFromSet(svc.Spec.Selector).Matches(labels.Set(d.Spec.Template.Labels)) || len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].TargetPort.String() != "http" {
		t.Errorf("service %+v does not route to the pods' http port", svc.Spec)
	}
	sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector)
	if err != nil || !sel.Matches(labels.Set(d.Spec.Template.Labels)) {
		t.Errorf("the Deployment's selector does not match its pods: %v", err)
	}
	return d, c
}

func secretKeyRef(t *testing.T, c *corev1.Container, name string) *corev1.SecretKeySelector {
	t.Helper()
	e, ok := envOf(c)[name]
	if !ok || e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
		t.Fatalf("%s does not come from a Secret", name)
	}
	return e.ValueFrom.SecretKeyRef
}

func TestDefaults(t *testing.T) {
	r := mustRender(t, base())
	d, c := checkServer(t, r)
	if *d.Spec.Replicas != 1 || d.Spec.Strategy.Type != appsv1.RecreateDeploymentStrategyType {
		t.Errorf("replicas %d strategy %s: want 1 and Recreate for SQLite", *d.Spec.Replicas, d.Spec.Strategy.Type)
	}
	env := envOf(c)
	if v := env["DISTILL_DATABASE_URL"].Value; v != "/var/lib/distill/distill.db" {
		t.Errorf("DISTILL_DATABASE_URL=%q: want SQLite on the data volume", v)
	}
	if v := env["BUILDKIT_HOST"].Value; v != "" {
		t.Errorf("BUILDKIT_HOST=%q: verification is off by default", v)
	}
	if v := env["DISTILL_GITHUB_URL"].Value; v != "https://api.github.com/" {
		t.Errorf("DISTILL_GITHUB_URL=%q", v)
	}
	if _, ok := r.pvcs[fullname+"-data"]; !ok {
		t.Error("no PersistentVolumeClaim for the SQLite file")
	}
	s, ok := r.secrets[fullname+"-github"]
	if !ok || string(s.Data["private-key.pem"]) == "" || string(s.Data["webhook-secret"]) != "s3cret" {
		t.Errorf("the chart's Secret lacks the credentials: %v", s)
	}
	if d.Spec.Template.Annotations["checksum/github-secret"] == "" {
		t.Error("pods do not restart when the chart's Secret changes (checksum annotation)")
	}
	if len(r.ingresses)+len(r.monitors)+len(r.pdbs)+len(r.netpols) != 0 || len(r.deployments) != 1 {
		t.Errorf("defaults render optional objects: %d ingresses, %d monitors, %d PDBs, %d network policies, %d deployments",
			len(r.ingresses), len(r.monitors), len(r.pdbs), len(r.netpols), len(r.deployments))
	}
	if img := c.Image; img != "ghcr.io/distill-bot/distill:0.1.0" {
		t.Errorf("image %q: want the chart's appVersion as tag", img)
	}
	if !strings.Contains(r.notes, "/webhook") {
		t.Errorf("NOTES do not say where the webhook is: %s", r.notes)
	}
}

func TestIngressMonitoringPDBNetworkPolicy(t *testing.T) {
	vals := base()
	with(vals, "database.url", "postgres://distill:pw@db.tools:5432/distill?sslmode=require")
	with(vals, "ingress.enabled", true)
	with(vals, "ingress.className", "nginx")
	with(vals, "ingress.tls", []any{map[string]any{"secretName": "distill-tls", "hosts": []any{"distill.example.com"}}})
	with(vals, "serviceMonitor.enabled", true)
	with(vals, "serviceMonitor.labels", map[string]any{"release": "prometheus"})
	with(vals, "podDisruptionBudget.enabled", true)
	with(vals, "networkPolicy.enabled", true)
	r := mustRender(t, vals)
	d, _ := checkServer(t, r)
	podLabels := labels.Set(d.Spec.Template.Labels)

	ing, ok := r.ingresses[fullname]
	if !ok {
		t.Fatal("no Ingress")
	}
	if len(ing.Spec.Rules) != 1 || ing.Spec.Rules[0].Host != "distill.example.com" {
		t.Fatalf("ingress rules %+v", ing.Spec.Rules)
	}
	paths := ing.Spec.Rules[0].HTTP.Paths
	if len(paths) != 1 || paths[0].Path != "/webhook" || *paths[0].PathType != networkingv1.PathTypeExact ||
		paths[0].Backend.Service.Name != fullname || paths[0].Backend.Service.Port.Name != "http" {
		t.Errorf("ingress must expose only the webhook: %+v", paths)
	}
	if len(ing.Spec.TLS) != 1 || *ing.Spec.IngressClassName != "nginx" {
		t.Errorf("ingress TLS %+v class %v", ing.Spec.TLS, ing.Spec.IngressClassName)
	}

	sm, ok := r.monitors[fullname]
	if !ok {
		t.Fatal("no ServiceMonitor")
	}
	smSel, err := metav1.LabelSelectorAsSelector(&sm.Spec.Selector)
	if err != nil || !smSel.Matches(labels.Set(r.services[fullname].Labels)) {
		t.Errorf("the ServiceMonitor does not select the Service (%v)", err)
	}
	if len(sm.Spec.Endpoints) != 1 || sm.Spec.Endpoints[0].Port != "http" || sm.Spec.Endpoints[0].Path != "/metrics" || sm.Metadata.Labels["release"] != "prometheus" {
		t.Errorf("ServiceMonitor %+v", sm)
	}

	pdb, ok := r.pdbs[fullname]
	if !ok {
		t.Fatal("no PodDisruptionBudget")
	}
	if pdbSel, err := metav1.LabelSelectorAsSelector(pdb.Spec.Selector); err != nil || !pdbSel.Matches(podLabels) || pdb.Spec.MinAvailable.IntValue() != 1 {
		t.Errorf("PDB %+v does not cover the pods", pdb.Spec)
	}

	np, ok := r.netpols[fullname]
	if !ok {
		t.Fatal("no NetworkPolicy")
	}
	if npSel, err := metav1.LabelSelectorAsSelector(&np.Spec.PodSelector); err != nil || !npSel.Matches(podLabels) {
		t.Error("the NetworkPolicy does not select the pods")
	}
	if !slices.Equal(np.Spec.PolicyTypes, []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress}) {
		t.Errorf("policy types %v", np.Spec.PolicyTypes)
	}
	egressPorts := map[string]bool{}
	for _, e := range np.Spec.Egress {
		for _, p := range e.Ports {
			egressPorts[p.Port.String()+"/"+string(*p.Protocol)] = true
		}
	}
	for _, want := range []string{"53/UDP", "53/TCP", "443/TCP", "5432/TCP"} {
		if !egressPorts[want] {
			t.Errorf("egress lacks %s (have %v)", want, egressPorts)
		}
	}
	if len(np.Spec.Ingress) != 1 || np.Spec.Ingress[0].Ports[0].Port.String() != "http" {
		t.Errorf("ingress rules %+v", np.Spec.Ingress)
	}
}

func TestExistingSecrets(t *testing.T) {
	vals := map[string]any{}
	with(vals, "github.appId", "123456")
	with(vals, "github.existingSecret", "org-distill-app")
	with(vals, "github.privateKeyKey", "key.pem")
	with(vals, "github.webhookSecretKey", "hook")
	with(vals, "database.existingSecret", "org-distill-db")
	with(vals, "database.existingSecretKey", "url")
	r := mustRender(t, vals)
	d, c := checkServer(t, r)
	if len(r.secrets) != 0 {
		t.Errorf("the chart created Secrets %v although existing ones were named", slices.Collect(maps.Keys(r.secrets)))
	}
	for _, v := range d.Spec.Template.Spec.Volumes {
		if v.Secret == nil {
			continue
		}
		keys := map[string]string{}
		for _, it := range v.Secret.Items {
			keys[it.Key] = it.Path
		}
		if v.Secret.SecretName != "org-distill-app" || keys["key.pem"] != "private-key.pem" || keys["hook"] != "webhook-secret" {
			t.Errorf("secret volume %+v: want org-distill-app's key.pem and hook", v.Secret)
		}
	}
	if ref := secretKeyRef(t, c, "DISTILL_DATABASE_URL"); ref.Name != "org-distill-db" || ref.Key != "url" {
		t.Errorf("DISTILL_DATABASE_URL from %s/%s, want org-distill-db/url", ref.Name, ref.Key)
	}
	if ref := secretKeyRef(t, c, "DISTILL_WEBHOOK_SECRET_PREVIOUS"); ref.Name != "org-distill-app" {
		t.Errorf("DISTILL_WEBHOOK_SECRET_PREVIOUS from %s", ref.Name)
	}
	if _, ok := d.Spec.Template.Annotations["checksum/github-secret"]; ok {
		t.Error("checksum of a Secret the chart does not own")
	}
	if len(r.pvcs) != 0 {
		t.Error("a data volume although the database is PostgreSQL")
	}
}

func TestBuildkitd(t *testing.T) {
	vals := base()
	with(vals, "buildkitd.enabled", true)
	with(vals, "networkPolicy.enabled", true)
	r := mustRender(t, vals)
	_, c := checkServer(t, r)
	bk, ok := r.deployments[fullname+"-buildkitd"]
	if !ok {
		t.Fatal("no buildkitd Deployment")
	}
	bc := container(t, bk, "buildkitd")
	if !strings.HasSuffix(bc.Image, "-rootless") {
		t.Errorf("buildkitd image %s is not rootless", bc.Image)
	}
	sc := bc.SecurityContext
	if sc == nil || (sc.Privileged != nil && *sc.Privileged) || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.RunAsUser == nil || *sc.RunAsUser == 0 {
		t.Errorf("buildkitd must run rootless and unprivileged: %+v", sc)
	}
	if sc != nil && sc.Capabilities != nil && len(sc.Capabilities.Add) > 0 {
		t.Errorf("buildkitd adds capabilities %v", sc.Capabilities.Add)
	}
	if !slices.Contains(bc.Args, "--oci-worker-no-process-sandbox") {
		t.Errorf("rootless buildkitd in Kubernetes needs --oci-worker-no-process-sandbox: %v", bc.Args)
	}
	svc, ok := r.services[fullname+"-buildkitd"]
	if !ok || !labels.SelectorFromSet(svc.Spec.Selector).Matches(labels.Set(bk.Spec.Template.Labels)) {
		t.Fatal("no Service in front of buildkitd")
	}
	if labels.SelectorFromSet(r.services[fullname].Spec.Selector).Matches(labels.Set(bk.Spec.Template.Labels)) {
		t.Error("distill's Service also selects the buildkitd pods")
	}
	want := "tcp://" + svc.Name + ":" + strconv.Itoa(int(svc.Spec.Ports[0].Port))
	if got := envOf(c)["BUILDKIT_HOST"].Value; got != want {
		t.Errorf("BUILDKIT_HOST=%q, want %q", got, want)
	}
	if got := envOf(c)["DISTILL_BUILDKIT_INSECURE"].Value; got != "1" {
		t.Errorf("DISTILL_BUILDKIT_INSECURE=%q: distill refuses the chart's plain-TCP buildkitd without it", got)
	}
	np, ok := r.netpols[fullname+"-buildkitd"]
	if !ok || len(np.Spec.Ingress) != 1 || len(np.Spec.Ingress[0].From) != 1 {
		t.Fatal("buildkitd must only accept connections from distill")
	}
	from, _ := metav1.LabelSelectorAsSelector(np.Spec.Ingress[0].From[0].PodSelector)
	if !from.Matches(labels.Set(r.deployments[fullname].Spec.Template.Labels)) {
		t.Error("buildkitd's NetworkPolicy does not admit the distill pods")
	}
}

func TestReplicasWithPostgres(t *testing.T) {
	vals := base()
	with(vals, "replicaCount", 3)
	with(vals, "database.url", "postgres://distill:pw@db.tools:5432/distill?sslmode=require")
	with(vals, "podDisruptionBudget.enabled", true)
	r := mustRender(t, vals)
	d, c := checkServer(t, r)
	if *d.Spec.Replicas != 3 {
		t.Errorf("replicas %d", *d.Spec.Replicas)
	}
	ru := d.Spec.Strategy.RollingUpdate
	if d.Spec.Strategy.Type != appsv1.RollingUpdateDeploymentStrategyType || ru == nil || ru.MaxUnavailable.IntValue() != 0 {
		t.Errorf("strategy %+v: want a rolling update that keeps every replica", d.Spec.Strategy)
	}
	ref := secretKeyRef(t, c, "DISTILL_DATABASE_URL")
	s, ok := r.secrets[ref.Name]
	if !ok || string(s.Data[ref.Key]) != "postgres://distill:pw@db.tools:5432/distill?sslmode=require" {
		t.Errorf("the database URL is not in Secret %s/%s", ref.Name, ref.Key)
	}
	for _, v := range d.Spec.Template.Spec.Volumes {
		if v.PersistentVolumeClaim != nil {
			t.Error("replicas share a PersistentVolumeClaim")
		}
	}
	if len(r.pvcs) != 0 {
		t.Error("a PVC with PostgreSQL")
	}
}

// TestValuesFile renders with values parsed from YAML, as `helm install
// -f values.yaml` does: numbers arrive as float64.
func TestValuesFile(t *testing.T) {
	vals, err := chartutil.ReadValues([]byte(`
github:
  appId: 2345678
  existingSecret: distill-github
replicaCount: 2
database:
  existingSecret: distill-db
concurrency: 8
`))
	if err != nil {
		t.Fatal(err)
	}
	r := mustRender(t, vals.AsMap())
	d := r.deployments[fullname]
	env := envOf(container(t, d, "distill"))
	if got := env["DISTILL_APP_ID"].Value; got != "2345678" {
		t.Errorf("DISTILL_APP_ID=%q, want 2345678", got)
	}
	if got := env["DISTILL_CONCURRENCY"].Value; got != "8" {
		t.Errorf("DISTILL_CONCURRENCY=%q, want 8", got)
	}
	if *d.Spec.Replicas != 2 {
		t.Errorf("replicas %d", *d.Spec.Replicas)
	}
}

func TestRefusals(t *testing.T) {
	for _, tc := range []struct {
		name string
		vals map[string]any
		want string
	}{
		{"no app id", with(base(), "github.appId", ""), "github.appId is required"},
		{"app id not a number", with(base(), "github.appId", "my-app"), "must be the numeric App ID"},
		{"no credentials", with(map[string]any{}, "github.appId", 1), "github.existingSecret"},
		{"replicas on sqlite", with(base(), "replicaCount", 2), "needs PostgreSQL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := render(t, tc.vals)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestLint runs `helm lint` through the library with the value sets above.
func TestLint(t *testing.T) {
	for _, vals := range []map[string]any{
		base(),
		with(with(base(), "ingress.enabled", true), "serviceMonitor.enabled", true),
		with(with(base(), "buildkitd.enabled", true), "networkPolicy.enabled", true),
	} {
		linter := lint.AllWithKubeVersion(chartDir, vals, namespace, kubeVersion)
		for _, m := range linter.Messages {
			if m.Severity >= support.WarningSev {
				t.Errorf("helm lint: %s", m)
			}
		}
	}
}

func TestBuildkitMutualTLS(t *testing.T) {
	vals := base()
	with(vals, "buildkit.host", "tcp://buildkitd.builds:1234")
	with(vals, "buildkit.tls.existingSecret", "buildkit-client")
	with(vals, "buildkit.tls.serverName", "buildkitd.builds")
	r := mustRender(t, vals)
	d, c := checkServer(t, r)
	env := envOf(c)
	if env["DISTILL_BUILDKIT_INSECURE"].Value != "0" {
		t.Errorf("DISTILL_BUILDKIT_INSECURE=%q with TLS", env["DISTILL_BUILDKIT_INSECURE"].Value)
	}
	var mount string
	for _, m := range c.VolumeMounts {
		if m.Name == "buildkit-tls" {
			mount = m.MountPath
		}
	}
	var items []string
	for _, v := range d.Spec.Template.Spec.Volumes {
		if v.Name == "buildkit-tls" && v.Secret != nil && v.Secret.SecretName == "buildkit-client" {
			for _, it := range v.Secret.Items {
				items = append(items, mount+"/"+it.Path)
			}
		}
	}
	for _, name := range []string{"DISTILL_BUILDKIT_CA", "DISTILL_BUILDKIT_CERT", "DISTILL_BUILDKIT_KEY"} {
		if !slices.Contains(items, env[name].Value) {
			t.Errorf("%s=%q is not a file of the buildkit-tls volume %v", name, env[name].Value, items)
		}
	}
	if env["DISTILL_BUILDKIT_SERVER_NAME"].Value != "buildkitd.builds" {
		t.Errorf("DISTILL_BUILDKIT_SERVER_NAME=%q", env["DISTILL_BUILDKIT_SERVER_NAME"].Value)
	}
}

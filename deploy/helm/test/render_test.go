package test

import (
	_ "helm.sh/helm/v3/pkg/chart/loader"
	_ "helm.sh/helm/v3/pkg/engine"
	_ "k8s.io/api/apps/v1"
	_ "sigs.k8s.io/yaml"
)

{{/* Chart name. */}}
{{- define "distill.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Full name: release-chart, unless the release already contains it. */}}
{{- define "distill.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels on every object besides the selector ones. */}}
{{- define "distill.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "distill.labels" -}}
{{ include "distill.commonLabels" . }}
app.kubernetes.io/name: {{ include "distill.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Selector of the distill pods. */}}
{{- define "distill.selectorLabels" -}}
app.kubernetes.io/name: {{ include "distill.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: server
{{- end -}}

{{/* Selector of the buildkitd pods. */}}
{{- define "distill.buildkitdSelectorLabels" -}}
app.kubernetes.io/name: {{ include "distill.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: buildkitd
{{- end -}}

{{- define "distill.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "distill.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The image reference: digest wins over tag; the tag defaults to appVersion. */}}
{{- define "distill.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding the App credentials. */}}
{{- define "distill.githubSecretName" -}}
{{- default (printf "%s-github" (include "distill.fullname" .)) .Values.github.existingSecret -}}
{{- end -}}

{{/* Whether the database is PostgreSQL (else SQLite on the data volume). */}}
{{- define "distill.postgres" -}}
{{- if or .Values.database.url .Values.database.existingSecret -}}true{{- end -}}
{{- end -}}

{{/* The Secret holding the database URL. */}}
{{- define "distill.databaseSecretName" -}}
{{- default (printf "%s-database" (include "distill.fullname" .)) .Values.database.existingSecret -}}
{{- end -}}

{{/* BUILDKIT_HOST: the chart's buildkitd, or buildkit.host. */}}
{{- define "distill.buildkitHost" -}}
{{- if .Values.buildkitd.enabled -}}
{{- printf "tcp://%s-buildkitd:%d" (include "distill.fullname" .) (int .Values.buildkitd.port) -}}
{{- else -}}
{{- .Values.buildkit.host -}}
{{- end -}}
{{- end -}}

{{/* The App ID as digits: values files give numbers as float64, which
toString would print as 2.345678e+06. */}}
{{- define "distill.appId" -}}
{{- $id := .Values.github.appId -}}
{{- if kindIs "float64" $id -}}
{{- printf "%.0f" $id -}}
{{- else -}}
{{- toString $id -}}
{{- end -}}
{{- end -}}

{{/* Checks run before anything renders. */}}
{{- define "distill.validate" -}}
{{- if not .Values.github.appId -}}
{{- fail "github.appId is required: the numeric App ID from the App's settings page (distill register prints it)" -}}
{{- end -}}
{{- if not (regexMatch "^[0-9]+$" (include "distill.appId" .)) -}}
{{- fail (printf "github.appId %q must be the numeric App ID" (include "distill.appId" .)) -}}
{{- end -}}
{{- if and (not .Values.github.existingSecret) (or (not .Values.github.privateKey) (not .Values.github.webhookSecret)) -}}
{{- fail "set github.existingSecret (recommended), or both github.privateKey and github.webhookSecret" -}}
{{- end -}}
{{- if and (gt (int .Values.replicaCount) 1) (not (include "distill.postgres" .)) -}}
{{- fail "replicaCount > 1 needs PostgreSQL (database.url or database.existingSecret): SQLite serves one replica" -}}
{{- end -}}
{{- end -}}

{{/* The release's name for its objects, at most 63 characters. */}}
{{- define "athena.fullname" -}}
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

{{- define "athena.selectorLabels" -}}
app.kubernetes.io/name: {{ default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "athena.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "athena.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "athena.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "athena.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The Secret the pod reads its keys from: the user's, or the one this chart keeps. */}}
{{- define "athena.secretName" -}}
{{- default (include "athena.fullname" .) .Values.existingSecret -}}
{{- end -}}

{{- define "athena.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag -}}
{{- if eq $tag "latest" -}}
{{- fail "image.tag: 'latest' is refused: pin the version you tested restores with (default: the chart's appVersion)" -}}
{{- end -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}

{{/* The S3 keys come from the Secret only when some were given (or an existing Secret is named, which may hold them). */}}
{{- define "athena.awsKeysInSecret" -}}
{{- if or .Values.existingSecret .Values.secrets.awsAccessKey -}}true{{- end -}}
{{- end -}}

{{/* Environment variables from a map, in name order, leaving out the empty ones (unset, not blank, to Athena). */}}
{{- define "athena.env" -}}
{{- range $name, $value := . }}
{{- if not (eq (toString $value) "") }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end }}
{{- end }}

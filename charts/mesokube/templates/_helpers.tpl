{{/*
Names and labels shared by every template. The component helpers take a dict:
  (dict "context" $ "component" "operator")
*/}}

{{/* The chart's name, or nameOverride. */}}
{{- define "mesokube.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The release's base name: fullnameOverride, else the release name when it already contains the
chart's name (release "mesokube" gives "mesokube"), else "<release>-<chart>".
*/}}
{{- define "mesokube.fullname" -}}
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

{{/* "<chart>-<version>" for the helm.sh/chart label. */}}
{{- define "mesokube.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Name of one component's objects: "<fullname>-<component>". With the release named mesokube these
are the names deploy/ has always used (mesokube-operator, mesokube-agent, ...), which the docs and
tests refer to.
*/}}
{{- define "mesokube.componentName" -}}
{{- printf "%s-%s" (include "mesokube.fullname" .context) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels that select one component's pods; never change them (selectors are immutable). */}}
{{- define "mesokube.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mesokube.name" .context }}
app.kubernetes.io/instance: {{ .context.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Every object's labels. */}}
{{- define "mesokube.labels" -}}
helm.sh/chart: {{ include "mesokube.chart" .context }}
{{ include "mesokube.selectorLabels" . }}
app.kubernetes.io/version: {{ .context.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .context.Release.Service }}
app.kubernetes.io/part-of: mesokube
{{- end -}}

{{/*
An image reference from {repository, tag, digest}: the digest wins; the tag defaults to the
chart's appVersion. Takes (dict "context" $ "image" .Values.operator.image).
*/}}
{{- define "mesokube.image" -}}
{{- if .image.digest -}}
{{- printf "%s@%s" .image.repository .image.digest -}}
{{- else -}}
{{- printf "%s:%s" .image.repository (toString (default .context.Chart.AppVersion .image.tag)) -}}
{{- end -}}
{{- end -}}

{{/*
The env entry that points a pod's Fabric8 client at .Values.apiServerUrl, when set; for the
operator and for the uninstall Job, which runs the operator's image. Takes the root context.
*/}}
{{- define "mesokube.apiServerEnv" -}}
{{- with .Values.apiServerUrl -}}
# Fabric8's client reads KUBERNETES_MASTER at run time over the in-cluster service
# (keeping the ServiceAccount's token and CA); Quarkus' own api-server-url setting is
# fixed at build time.
- name: KUBERNETES_MASTER
  value: {{ . | quote }}
{{- end }}
{{- end -}}

{{/*
Whole seconds of a duration written as <number><s|m|h> (values.schema.json allows no other form),
e.g. "4m" gives 240.
*/}}
{{- define "mesokube.durationSeconds" -}}
{{- $n := regexFind "^[0-9]+" . | int -}}
{{- $unit := regexFind "[a-z]+$" . -}}
{{- if eq $unit "h" -}}
{{- mul $n 3600 -}}
{{- else if eq $unit "m" -}}
{{- mul $n 60 -}}
{{- else -}}
{{- $n -}}
{{- end -}}
{{- end -}}

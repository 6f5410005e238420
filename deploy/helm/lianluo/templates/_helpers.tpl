{{/* Names, labels and the workload model every template renders from. */}}

{{- define "lianluo.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "lianluo.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "lianluo.selectorLabels" -}}
app.kubernetes.io/name: {{ include "lianluo.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "lianluo.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "lianluo.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: lianluo
{{- end }}

{{/* Selector labels of one workload: ctx = dict "root" $ "w" workload. */}}
{{- define "lianluo.workloadSelectorLabels" -}}
{{ include "lianluo.selectorLabels" .root }}
app.kubernetes.io/component: {{ .w.component }}
{{- with .w.site }}
lianluo.io/site: {{ . }}
{{- end }}
{{- end }}

{{- define "lianluo.workloadLabels" -}}
{{ include "lianluo.labels" .root }}
app.kubernetes.io/component: {{ .w.component }}
{{- with .w.site }}
lianluo.io/site: {{ . }}
{{- end }}
{{- end }}

{{- define "lianluo.image" -}}
{{- $tag := default .root.Chart.AppVersion .root.Values.image.tag }}
{{- if .root.Values.image.registry }}
{{- printf "%s/%s:%s" (trimSuffix "/" .root.Values.image.registry) .repository $tag }}
{{- else }}
{{- printf "lianluo/%s:%s" .repository $tag }}
{{- end }}
{{- end }}

{{- define "lianluo.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "lianluo.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* One site with siteDefaults beneath it: ctx = dict "root" $ "name" name "site" site. */}}
{{- define "lianluo.site" -}}
{{- $site := mergeOverwrite (deepCopy .root.Values.siteDefaults) .site }}
{{- $_ := set $site "name" .name }}
{{- if not $site.interSiteAddress }}{{ $_ := set $site "interSiteAddress" $site.address }}{{ end }}
{{- $site | toJson }}
{{- end }}

{{/* Every site, merged, sorted by name: {"items": [...]} */}}
{{- define "lianluo.sites" -}}
{{- $items := list }}
{{- range $name := keys .Values.sites | sortAlpha }}
{{- $items = append $items (include "lianluo.site" (dict "root" $ "name" $name "site" (get $.Values.sites $name)) | fromJson) }}
{{- end }}
{{- dict "items" $items | toJson }}
{{- end }}

{{/*
The Node workloads: each enabled entry of `services` over `serviceDefaults`, and one media
gateway per site. Every template iterates this one list, so a service added to values gets
its Deployment, Service, PodDisruptionBudget, NetworkPolicy and ServiceMonitor alike.
*/}}
{{- define "lianluo.workloads" -}}
{{- $items := list }}
{{- range $name := keys .Values.services | sortAlpha }}
{{- $svc := get $.Values.services $name }}
{{- if $svc.enabled }}
{{- $w := mergeOverwrite (deepCopy $.Values.serviceDefaults) (deepCopy $svc) }}
{{- /* mergeOverwrite ignores zero values: replicas 0 must still win. */}}
{{- if hasKey $svc "replicas" }}{{ $_ := set $w "replicas" $svc.replicas }}{{ end }}
{{- $_ := set $w "name" $name }}
{{- $_ := set $w "component" $name }}
{{- $_ := set $w "repository" (default $name $svc.repository) }}
{{- $_ := set $w "strategy" "RollingUpdate" }}
{{- /* As replicas: a service's `enabled: false` must win over serviceDefaults' true. */}}
{{- if and $svc.autoscaling (hasKey $svc.autoscaling "enabled") }}{{ $_ := set $w.autoscaling "enabled" $svc.autoscaling.enabled }}{{ end }}
{{- if $w.autoscaling.enabled }}
{{- if gt (int $w.autoscaling.minReplicas) (int $w.autoscaling.maxReplicas) }}
{{- fail (printf "services.%s.autoscaling.minReplicas (%v) is above its maxReplicas (%v)" $name $w.autoscaling.minReplicas $w.autoscaling.maxReplicas) }}
{{- end }}
{{- /* The autoscaler owns the count; budgets and spreading go by what it may scale to. */}}
{{- $_ := set $w "replicas" $w.autoscaling.minReplicas }}
{{- end }}
{{- $_ := set $w "spread" (or (gt (int $w.replicas) 1) (and $w.autoscaling.enabled (gt (int $w.autoscaling.maxReplicas) 1))) }}
{{- $items = append $items $w }}
{{- end }}
{{- end }}
{{- range $site := (include "lianluo.sites" . | fromJson).items }}
{{- $w := mergeOverwrite (deepCopy $.Values.serviceDefaults) (omit (deepCopy $.Values.mediaGateway) "recordings") }}
{{- $_ := set $w "resources" (mergeOverwrite (deepCopy $.Values.mediaGateway.resources) $site.mediaGatewayResources) }}
{{- $_ := set $w "name" (printf "media-gateway-%s" $site.name) }}
{{- $_ := set $w "component" "media-gateway" }}
{{- $_ := set $w "site" $site.name }}
{{- /* One ARI owner per site: the gateway rebuilds live calls from ARI when it starts, so a
       replacement after the old one stopped loses no call, and two never compete. */}}
{{- $_ := set $w "replicas" 1 }}
{{- $_ := set $w "autoscaling" (dict "enabled" false) }}
{{- $_ := set $w "spread" false }}
{{- $_ := set $w "strategy" "Recreate" }}
{{- $_ := set $w "uses" (list "nats" "asterisk" "recordings") }}
{{- $_ := set $w "siteConfig" $site }}
{{- $items = append $items $w }}
{{- end }}
{{- dict "items" $items | toJson }}
{{- end }}

{{/* The full name a bundled chart gives its resources (their default: release, then chart name). */}}
{{- define "lianluo.dependencyName" -}}
{{- if contains .chart .root.Release.Name }}
{{- .root.Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .root.Release.Name .chart | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* Connection details of the bundled or external dependencies. */}}
{{- define "lianluo.natsUrl" -}}
{{- if .Values.nats.enabled }}
{{- printf "nats://%s:4222" (include "lianluo.dependencyName" (dict "root" . "chart" "nats")) }}
{{- else }}
{{- required "externalNats.url is required when nats.enabled is false" .Values.externalNats.url }}
{{- end }}
{{- end }}

{{- define "lianluo.asteriskName" -}}
{{- printf "%s-asterisk-%s" (include "lianluo.fullname" .root) .site }}
{{- end }}

{{- define "lianluo.ariSecretName" -}}
{{- default (printf "%s-ari" (include "lianluo.fullname" .)) .Values.asterisk.ari.existingSecret }}
{{- end }}

{{/* The ConfigMap of api's public keys (serviceAuth): the chart's, or serviceAuth.existingConfigMap. */}}
{{- define "lianluo.serviceAuthConfigMapName" -}}
{{- default (printf "%s-service-auth" (include "lianluo.fullname" .)) .Values.serviceAuth.existingConfigMap }}
{{- end }}

{{/* The Secret of api's private key (serviceAuth): the chart's, or serviceAuth.existingSecret. */}}
{{- define "lianluo.serviceAuthSecretName" -}}
{{- default (printf "%s-service-auth" (include "lianluo.fullname" .)) .Values.serviceAuth.existingSecret }}
{{- end }}

{{/* The Secret of the embedded OpenID provider's keys: the chart's, or api.oidc.existingSecret. */}}
{{- define "lianluo.apiOidcSecretName" -}}
{{- default (printf "%s-api-oidc" (include "lianluo.fullname" .)) .Values.api.oidc.existingSecret }}
{{- end }}

{{/* Where api's seed Secret is mounted; the file is `seed.yaml` in it. */}}
{{- define "lianluo.apiSeedDir" -}}
/etc/lianluo/api-seed
{{- end }}

{{/*
The enabled workloads whose HTTP port `ingressFrom` opens to a component (api: acd, ivr,
voicemail, reporting): ctx = dict "workloads" list "component" name. {"items": [...]}
*/}}
{{- define "lianluo.calledBy" -}}
{{- $items := list }}
{{- range $w := .workloads }}
{{- if has $.component (default list $w.ingressFrom) }}{{ $items = append $items $w }}{{ end }}
{{- end }}
{{- dict "items" $items | toJson }}
{{- end }}

{{/* The environment only api has: its identity, limits, seed, and the services it calls. ctx = dict "root" $ "w" workload. */}}
{{- define "lianluo.apiEnv" -}}
{{- $root := .root }}
{{- $api := $root.Values.api }}
{{- $external := $api.externalIssuer }}
{{- if $external.url }}
- name: OIDC_EXTERNAL_ISSUER
  value: {{ $external.url | quote }}
{{- with $external.audience }}
- name: OIDC_AUDIENCE
  value: {{ . | quote }}
{{- end }}
- name: OIDC_TENANT_CLAIM
  value: {{ $external.tenantClaim | quote }}
- name: OIDC_ROLES_CLAIM
  value: {{ $external.rolesClaim | quote }}
- name: OIDC_AGENT_CLAIM
  value: {{ $external.agentClaim | quote }}
{{- with $external.roleMap }}
{{- $pairs := list }}
{{- range $theirs := keys . | sortAlpha }}{{ $pairs = append $pairs (printf "%s=%s" $theirs (get $external.roleMap $theirs)) }}{{ end }}
- name: OIDC_ROLE_MAP
  value: {{ join "," $pairs | quote }}
{{- end }}
{{- else }}
- name: OIDC_ISSUER
  value: {{ $api.issuer | quote }}
- name: OIDC_SIGNING_KEYS
  valueFrom: {secretKeyRef: {name: {{ include "lianluo.apiOidcSecretName" $root | quote }}, key: {{ $api.oidc.signingKeysKey | quote }}}}
- name: OIDC_COOKIE_SECRETS
  valueFrom: {secretKeyRef: {name: {{ include "lianluo.apiOidcSecretName" $root | quote }}, key: {{ $api.oidc.cookieSecretsKey | quote }}}}
{{- with $api.desktopRedirectUris }}
- name: OIDC_DESKTOP_REDIRECT_URIS
  value: {{ join "," . | quote }}
{{- end }}
- name: ACCESS_TOKEN_TTL_SECONDS
  value: {{ $api.accessTokenTtlSeconds | quote }}
- name: REFRESH_TOKEN_TTL_SECONDS
  value: {{ $api.refreshTokenTtlSeconds | quote }}
- name: LOGIN_MAX_FAILURES
  value: {{ $api.login.maxFailures | quote }}
- name: LOGIN_LOCK_SECONDS
  value: {{ $api.login.lockSeconds | quote }}
- name: LOGIN_RATE_PER_MINUTE
  value: {{ $api.login.ratePerMinute | quote }}
{{- end }}
- name: PUBLIC_RATE_PER_MINUTE
  value: {{ $api.publicRatePerMinute | quote }}
{{- with $api.webhooks.allowedNetworks }}
- name: WEBHOOK_ALLOWED_NETWORKS
  value: {{ join "," . | quote }}
{{- end }}
{{- if $api.seed.existingSecret }}
- name: API_SEED_FILE
  value: {{ printf "%s/seed.yaml" (include "lianluo.apiSeedDir" nil) | quote }}
{{- end }}
{{- range $service := (include "lianluo.calledBy" (dict "workloads" (include "lianluo.workloads" $root | fromJson).items "component" .w.component) | fromJson).items }}
- name: {{ printf "%s_URL" ($service.name | upper | replace "-" "_") }}
  value: {{ printf "http://%s-%s:%v" (include "lianluo.fullname" $root) $service.name $service.httpPort | quote }}
{{- end }}
{{- end }}

{{/* Where acd's configuration ConfigMap is mounted; the file is `configuration.yaml` in it. */}}
{{- define "lianluo.acdConfigurationDir" -}}
/etc/lianluo/acd
{{- end }}

{{/* "true" when acd is given a configuration to upsert at start-up (acd.configuration or acd.existingConfigMap). */}}
{{- define "lianluo.acdConfigured" -}}
{{- if or .Values.acd.configuration .Values.acd.existingConfigMap }}true{{- end }}
{{- end }}

{{/* The ConfigMap of acd's configuration: the chart's, or acd.existingConfigMap. */}}
{{- define "lianluo.acdConfigMapName" -}}
{{- default (printf "%s-acd-configuration" (include "lianluo.fullname" .)) .Values.acd.existingConfigMap }}
{{- end }}

{{/* Where ivr's flows ConfigMap is mounted (a whole folder: the kubelet's `..data` swap must reach it). */}}
{{- define "lianluo.flowsDir" -}}
/etc/lianluo/flows
{{- end }}

{{/* The ConfigMap of ivr's flows: the chart's, or ivr.existingConfigMap. */}}
{{- define "lianluo.flowsConfigMapName" -}}
{{- default (printf "%s-ivr-flows" (include "lianluo.fullname" .)) .Values.ivr.existingConfigMap }}
{{- end }}

{{/* The environment of one workload: ctx = dict "root" $ "w" workload. */}}
{{- define "lianluo.env" -}}
{{- $root := .root }}
{{- $w := .w }}
- name: HTTP_HOST
  value: "0.0.0.0"
- name: HTTP_PORT
  value: {{ $w.httpPort | quote }}
- name: LOG_LEVEL
  value: {{ $root.Values.logLevel | quote }}
{{- with $root.Values.tracing.otlpEndpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- if has "nats" $w.uses }}
- name: NATS_URL
  value: {{ include "lianluo.natsUrl" $root | quote }}
- name: NATS_NAMESPACE
  value: {{ $root.Values.natsNamespace | quote }}
{{- with $root.Values.natsCredentials.existingSecret }}
- name: NATS_USER
  valueFrom: {secretKeyRef: {name: {{ . | quote }}, key: user}}
- name: NATS_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ . | quote }}, key: password}}
{{- end }}
{{- end }}
{{- if has "redis" $w.uses }}
{{- if $root.Values.redis.enabled }}
- name: REDIS_MODE
  value: sentinel
- name: REDIS_SENTINELS
  value: {{ printf "%s:26379" (include "lianluo.dependencyName" (dict "root" $root "chart" "redis")) | quote }}
- name: REDIS_SENTINEL_NAME
  value: {{ $root.Values.redis.sentinel.masterSet | quote }}
- name: REDIS_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ default (include "lianluo.dependencyName" (dict "root" $root "chart" "redis")) $root.Values.redis.auth.existingSecret | quote }}, key: {{ $root.Values.redis.auth.existingSecretPasswordKey | quote }}}}
{{- else }}
{{- $redis := $root.Values.externalRedis }}
- name: REDIS_MODE
  value: {{ $redis.mode | quote }}
{{- if eq $redis.mode "standalone" }}
- name: REDIS_URL
  value: {{ required "externalRedis.url is required for mode standalone" $redis.url | quote }}
{{- else if eq $redis.mode "sentinel" }}
- name: REDIS_SENTINELS
  value: {{ join "," $redis.sentinels | quote }}
- name: REDIS_SENTINEL_NAME
  value: {{ $redis.sentinelName | quote }}
{{- else }}
- name: REDIS_CLUSTER_NODES
  value: {{ join "," $redis.clusterNodes | quote }}
{{- end }}
{{- with $redis.existingSecret }}
- name: REDIS_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ . | quote }}, key: {{ $redis.passwordKey | quote }}}}
{{- end }}
{{- end }}
{{- end }}
{{- if has "postgresql" $w.uses }}
{{- if $root.Values.postgresql.enabled }}
{{- $pg := $root.Values.postgresql.auth }}
- name: DATABASE_URL
  value: {{ printf "postgres://%s@%s:5432/%s" $pg.username (include "lianluo.dependencyName" (dict "root" $root "chart" "postgresql")) $pg.database | quote }}
- name: PGPASSWORD
  valueFrom: {secretKeyRef: {name: {{ default (include "lianluo.dependencyName" (dict "root" $root "chart" "postgresql")) $pg.existingSecret | quote }}, key: {{ $pg.secretKeys.userPasswordKey | quote }}}}
{{- else }}
{{- $pg := $root.Values.externalPostgresql }}
- name: DATABASE_URL
  value: {{ printf "postgres://%s@%s:%v/%s" $pg.username (required "externalPostgresql.host is required when postgresql.enabled is false" $pg.host) $pg.port $pg.database | quote }}
{{- with $pg.existingSecret }}
- name: PGPASSWORD
  valueFrom: {secretKeyRef: {name: {{ . | quote }}, key: {{ $pg.passwordKey | quote }}}}
{{- end }}
{{- end }}
{{- end }}
{{- if eq $w.component "media-gateway" }}
{{- $site := $w.siteConfig }}
- name: SITE
  value: {{ $site.name | quote }}
- name: ARI_URL
  value: {{ printf "http://%s:%v" (include "lianluo.asteriskName" (dict "root" $root "site" $site.name)) $site.ariPort | quote }}
- name: ARI_USER
  value: {{ $root.Values.asterisk.ari.user | quote }}
- name: ARI_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ include "lianluo.ariSecretName" $root | quote }}, key: {{ $root.Values.asterisk.ari.passwordKey | quote }}}}
- name: ARI_APP
  value: {{ $root.Values.asterisk.stasisApp | quote }}
- name: DEFAULT_TENANT
  value: {{ $root.Values.defaultTenant | quote }}
{{- end }}
{{- if has "recordings" $w.uses }}
{{- $rec := $root.Values.mediaGateway.recordings }}
- name: RECORDING_STORE
  value: {{ $rec.store | quote }}
{{- if eq $rec.store "local" }}
- name: RECORDING_DIR
  value: /var/lib/lianluo/recordings
{{- else }}
- name: S3_BUCKET
  value: {{ $rec.s3.bucket | quote }}
- name: S3_REGION
  value: {{ $rec.s3.region | quote }}
- name: S3_PREFIX
  value: {{ $rec.s3.prefix | quote }}
- name: S3_FORCE_PATH_STYLE
  value: {{ $rec.s3.forcePathStyle | quote }}
{{- with $rec.s3.endpoint }}
- name: S3_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- with $rec.s3.existingSecret }}
- name: S3_ACCESS_KEY_ID
  valueFrom: {secretKeyRef: {name: {{ . | quote }}, key: {{ $rec.s3.accessKeyIdKey | quote }}}}
- name: S3_SECRET_ACCESS_KEY
  valueFrom: {secretKeyRef: {name: {{ . | quote }}, key: {{ $rec.s3.secretAccessKeyKey | quote }}}}
{{- end }}
{{- end }}
{{- end }}
{{- if and (eq $w.component "acd") (include "lianluo.acdConfigured" $root) }}
- name: ACD_CONFIG_FILE
  value: {{ printf "%s/configuration.yaml" (include "lianluo.acdConfigurationDir" nil) | quote }}
{{- end }}
{{- if eq $w.component "ivr" }}
- name: FLOWS_DIR
  value: {{ include "lianluo.flowsDir" nil }}
{{- end }}
{{- if eq (default "none" $w.apiIdentity) "verify" }}
- name: SERVICE_AUTH_PUBLIC_KEYS
  valueFrom: {configMapKeyRef: {name: {{ include "lianluo.serviceAuthConfigMapName" $root | quote }}, key: {{ $root.Values.serviceAuth.publicKeysKey | quote }}}}
{{- else if eq (default "none" $w.apiIdentity) "sign" }}
- name: SERVICE_AUTH_PRIVATE_KEY
  valueFrom: {secretKeyRef: {name: {{ include "lianluo.serviceAuthSecretName" $root | quote }}, key: {{ $root.Values.serviceAuth.privateKeyKey | quote }}}}
{{- end }}
{{- if eq $w.component "api" }}
{{- include "lianluo.apiEnv" . }}
{{- end }}
{{- if eq $w.component "voicemail" }}
{{- /* Asterisk (host network, cluster DNS) fetches a take from here to play it back in review, at a signed URL. */}}
- name: MEDIA_BASE_URL
  value: {{ printf "http://%s-%s.%s.svc:%v" (include "lianluo.fullname" $root) $w.name $root.Release.Namespace $w.httpPort | quote }}
{{- end }}
{{- range $name := keys $w.env | sortAlpha }}
- name: {{ $name }}
  value: {{ get $w.env $name | toString | quote }}
{{- end }}
{{- end }}

{{/* Restricted container security: non-root, no privilege escalation, no capabilities. */}}
{{- define "lianluo.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- with . }}
  add: {{ toJson . }}
{{- end }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* Pods of a site run on the site's nodes. */}}
{{- define "lianluo.siteNodeSelector" -}}
{{- $selector := dict }}
{{- if .nodeLabel }}{{ $_ := set $selector .nodeLabel .name }}{{ end }}
{{- $selector = mergeOverwrite $selector .nodeSelector }}
{{- with $selector }}
nodeSelector: {{ toJson . }}
{{- end }}
{{- with .tolerations }}
tolerations: {{ toJson . }}
{{- end }}
{{- end }}

{{/* "true" when api runs the embedded provider with keys from values, written into the chart's Secret. */}}
{{- define "lianluo.apiOidcSecretRendered" -}}
{{- $oidc := .Values.api.oidc }}
{{- if and .Values.services.api.enabled (not .Values.api.externalIssuer.url) (not $oidc.existingSecret) $oidc.signingKeys }}true{{- end }}
{{- end }}

#!/usr/bin/env bash
# Builds the same generated corpus with Hugo (minimal templates: title, frontmatter as a
# list, table of contents, body) and with `opsbook build`, alternately, and prints wall
# time and peak memory of each run. Needs `hugo` (Debian: apt-get install hugo) and
# /usr/bin/time. Output goes to /dev/shm (a RAM disk) so the disk is not measured.
#
#   cargo build --release && bench/hugo-compare.sh /dev/shm/opsbook-bench/corpus-10k 3
set -euo pipefail
corpus=${1:?usage: hugo-compare.sh CORPUS [RUNS]}
runs=${2:-3}
opsbook=${OPSBOOK:-target/release/opsbook}
work=/dev/shm/opsbook-hugo-compare
rm -rf "$work"
mkdir -p "$work/site/layouts/_default" "$work/site/content"
for kind in escalation postmortems runbooks services slas teams pages; do
  if [ -d "$corpus/$kind" ]; then cp -r "$corpus/$kind" "$work/site/content/"; fi
done
cat >"$work/site/config.toml" <<'TOML'
baseURL = "/"
title = "bench"
disableKinds = ["taxonomy", "term", "RSS", "sitemap"]
relativeURLs = true
[markup.highlight]
noClasses = false
TOML
cat >"$work/site/layouts/_default/baseof.html" <<'HTML'
<!doctype html><html><head><title>{{ .Title }}</title></head><body><nav><a href="/">home</a></nav><main>{{ block "main" . }}{{ end }}</main></body></html>
HTML
cat >"$work/site/layouts/_default/single.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1><dl>{{ range $k, $v := .Params }}<dt>{{ $k }}</dt><dd>{{ $v }}</dd>{{ end }}</dl>{{ .TableOfContents }}{{ .Content }}{{ end }}
HTML
cat >"$work/site/layouts/_default/list.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
HTML
cp "$work/site/layouts/_default/list.html" "$work/site/layouts/index.html"
# Warm the inputs (page cache) once with each tool before measuring.
hugo --quiet -s "$work/site" -d "$work/hugo-out" >/dev/null 2>&1
"$opsbook" build "$corpus" -o "$work/opsbook-out" --allow-errors -q >/dev/null 2>&1 || true
hugo version | head -1
for i in $(seq "$runs"); do
  /usr/bin/time -f "run $i  hugo     %e s  %M KB peak" hugo --quiet -s "$work/site" -d "$work/hugo-out" 2>&1 | tail -1
  /usr/bin/time -f "run $i  opsbook  %e s  %M KB peak" "$opsbook" build "$corpus" -o "$work/opsbook-out" --allow-errors -q 2>&1 | tail -1
done

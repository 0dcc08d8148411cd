#!/usr/bin/env bash
# Copies the CRDs generated from the API types (crds/yaml, drift-checked there) into this chart's
# crds/ folder. Helm installs that folder before the templates and, by its convention, never
# upgrades or deletes what is in it; `kubectl apply --server-side -f crds/yaml` upgrades them.
#
#   charts/mesokube/sync-crds.sh          copy (and remove copies whose source is gone)
#   charts/mesokube/sync-crds.sh --check  change nothing; exit 1 and show the difference on drift
set -euo pipefail
chart="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source_dir="$(cd "$chart/../../crds/yaml" && pwd)"
target_dir="$chart/crds"

case "${1:-}" in
  --check)
    if ! diff -r "$source_dir" "$target_dir"; then
      echo "sync-crds.sh: $target_dir differs from $source_dir; run charts/mesokube/sync-crds.sh" >&2
      exit 1
    fi
    ;;
  "")
    mkdir -p "$target_dir"
    for copy in "$target_dir"/*.yaml; do
      if [[ -e "$copy" && ! -e "$source_dir/$(basename "$copy")" ]]; then rm -- "$copy"; fi
    done
    cp -- "$source_dir"/*.yaml "$target_dir"/
    ;;
  *)
    echo "usage: $0 [--check]" >&2
    exit 2
    ;;
esac

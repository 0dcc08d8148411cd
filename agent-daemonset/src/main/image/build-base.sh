#!/usr/bin/env bash
# Builds the agent's base image without Docker: Debian bookworm (mmdebstrap, from the host's own
# apt sources) with the packages in ./packages (crun, runc, skopeo, umoci, util-linux, bash,
# ca-certificates), plus a Java runtime made with jlink from the build's JDK (modules in
# ./jre-modules), assembled into an OCI image with umoci. The agent's Jib build
# (quarkus.jib.base-jvm-image) puts the application on top of it.
#
#   build-base.sh                        build or reuse; print the image as oci:LAYOUT:TAG
#   build-base.sh [--insecure] DEST      and copy it with skopeo to DEST, for example
#       docker://127.0.0.1:5000/mesokube/agent-base:bookworm-jre25   (a registry; --insecure: plain HTTP)
#       docker-daemon:mesokube/agent-base:bookworm-jre25             (a local Docker engine)
#     DEST without a transport is a registry image (docker://).
#
# The result is cached under ${MESOKUBE_CACHE:-~/.cache/mesokube}/agent-base, keyed by this
# script, ./packages, ./jre-modules and the JDK's release; a re-run with the same inputs only copies
# it. Debian updates do not change the key: delete the cache to pick them up. Needs root
# (mmdebstrap's root mode), mmdebstrap, umoci, skopeo, flock, and a JDK 25 with jlink
# ($MESOKUBE_JAVA_HOME, $JAVA_HOME or /usr/lib/jvm/*, as ./mvnw picks it).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
cache_root="${MESOKUBE_CACHE:-$HOME/.cache/mesokube}/agent-base"
tag=bookworm-jre25
suite=bookworm
java_home_in_image=/opt/java/openjdk

say() { printf 'agent-base: %s\n' "$*" >&2; }
die() { printf 'build-base.sh: %s\n' "$*" >&2; exit 1; }

insecure=false
dest=""
while (($#)); do
  case "$1" in
    --insecure) insecure=true ;;
    -h|--help) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) [[ -z "$dest" ]] || die "one destination only"; dest="$1" ;;
  esac
  shift
done
case "$dest" in
  ""|docker://*|docker-daemon:*|oci:*|oci-archive:*|docker-archive:*|dir:*) ;;
  *) dest="docker://$dest" ;;
esac

for tool in mmdebstrap umoci skopeo flock sha256sum; do
  command -v "$tool" >/dev/null || die "$tool is required (Debian package: ${tool/sha256sum/coreutils}${tool/flock/ (util-linux)})"
done
[[ "$(id -u)" == 0 ]] || die "run as root: mmdebstrap builds the root file system in root mode"

# The JDK: the one ./mvnw would pick (same feature release, same search order).
java_release="$(sed -n 's/^java.release=//p' "$root/.mvn/wrapper.properties")"
jdk=""
for candidate in "${MESOKUBE_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  [[ -n "$candidate" && -x "$candidate/bin/jlink" && -f "$candidate/release" ]] || continue
  if grep -q "^JAVA_VERSION=\"$java_release[.\"]" "$candidate/release"; then jdk="$candidate"; break; fi
done
[[ -n "$jdk" ]] || die "no JDK $java_release with jlink found (\$MESOKUBE_JAVA_HOME, \$JAVA_HOME, /usr/lib/jvm/*)"

list() { sed 's/#.*//; s/[[:space:]]//g; /^$/d' "$1"; }
key="$( { cat "${BASH_SOURCE[0]}" "$here/packages" "$here/jre-modules";
          grep -E '^(IMPLEMENTOR|JAVA_RUNTIME_VERSION|JAVA_VERSION)=' "$jdk/release"; } |
        sha256sum | cut -c1-16)"
entry="$cache_root/$key"
layout="$entry/layout"

copy_out() {
  if [[ -z "$dest" ]]; then
    echo "oci:$layout:$tag"
    return
  fi
  local t0=$SECONDS flags=()
  [[ "$insecure" == true ]] && flags+=(--dest-tls-verify=false)
  say "copying to $dest"
  # --insecure-policy: the host's signature policy does not govern an image we just built.
  skopeo --insecure-policy copy --quiet "${flags[@]}" "oci:$layout:$tag" "$dest"
  say "copied to $dest in $((SECONDS - t0)) s"
  echo "$dest"
}

# One caller at a time per cache: a second one waits, then finds the image in place; and no
# build removes an older entry while another caller copies it.
mkdir -p "$cache_root"
exec 9>"$cache_root/.lock"
flock 9
if [[ -f "$entry/done" ]]; then
  say "cached: $layout ($key)"
  copy_out
  exit 0
fi

start=$SECONDS
work="$cache_root/.work-$key"
rm -rf "$work" "$entry"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

# The host's own Debian sources for the suite (apt-sources.sh), or MESOKUBE_APT_SOURCES.
sources="$work/sources.list"
if [[ -n "${MESOKUBE_APT_SOURCES:-}" ]]; then
  cp "$MESOKUBE_APT_SOURCES" "$sources"
else
  "$here/apt-sources.sh" "$suite" >"$sources"
fi
[[ -s "$sources" ]] || die "no Debian $suite sources in the host's apt configuration (apt-get update first, or set MESOKUBE_APT_SOURCES)"

t0=$SECONDS
packages="$(list "$here/packages" | paste -sd, -)"
say "root file system: Debian $suite (minbase) with $packages (mmdebstrap)"
# No /dev nodes in the layer: the runtime makes /dev, and the agent refuses layers with devices.
# No documentation, manuals or translations (copyright files stay). The merged-usr hook sets up
# the merged /usr itself, so that apt does not install usrmerge (and with it all of perl).
if ! mmdebstrap --mode=root --variant=minbase --format=tar --skip=output/dev \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --include="$packages" \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/lintian/*' \
    "$suite" "$work/rootfs.tar" "$sources" >"$work/mmdebstrap.log" 2>&1; then
  tail -n 30 "$work/mmdebstrap.log" >&2
  die "mmdebstrap failed (sources: $(paste -sd';' "$sources"))"
fi
say "root file system: $(du -h "$work/rootfs.tar" | cut -f1) in $((SECONDS - t0)) s"

t0=$SECONDS
modules="$(list "$here/jre-modules" | paste -sd, -)"
say "Java runtime: jlink from $jdk ($(sed -n 's/^JAVA_RUNTIME_VERSION=//p' "$jdk/release" | tr -d '"')): $modules"
mkdir -p "$work/jre$(dirname "$java_home_in_image")"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=zip-6 --output "$work/jre$java_home_in_image"
"$work/jre$java_home_in_image/bin/java" -version >/dev/null 2>&1 || die "the jlinked runtime does not start"
tar -C "$work/jre" --numeric-owner --owner=0 --group=0 -cf "$work/jre.tar" ./opt
say "Java runtime: $(du -sh "$work/jre$java_home_in_image" | cut -f1) in $((SECONDS - t0)) s"

t0=$SECONDS
say "OCI image: umoci"
umoci init --layout "$work/layout"
umoci new --image "$work/layout:$tag"
umoci raw add-layer --image "$work/layout:$tag" --history.created_by "mmdebstrap $suite: $packages" \
  "$work/rootfs.tar"
umoci raw add-layer --image "$work/layout:$tag" --history.created_by "jlink: $modules" \
  "$work/jre.tar"
umoci config --image "$work/layout:$tag" --os linux --architecture "$(dpkg --print-architecture)" \
  --author mesokube --config.user root --config.workingdir / \
  --config.env "PATH=$java_home_in_image/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --config.env "JAVA_HOME=$java_home_in_image" --config.env LANG=C.UTF-8 \
  --config.cmd bash --config.label "io.mesokube.agent-base.key=$key"
umoci gc --layout "$work/layout"
mkdir -p "$entry"
mv "$work/layout" "$layout"
touch "$entry/done"
say "OCI image: $(du -sh "$layout" | cut -f1) in $((SECONDS - t0)) s"

# Older keys are older inputs: they will not be asked for again.
for old in "$cache_root"/*/; do
  [[ "$old" == "$entry/" ]] || rm -rf "$old"
done
say "built in $((SECONDS - start)) s: $layout"
copy_out

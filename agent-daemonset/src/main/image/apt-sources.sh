#!/usr/bin/env bash
# Prints this host's own Debian sources for a suite (main, updates, security) as sources.list
# lines, read from apt, so that whatever mirror the machine uses is used by mmdebstrap too (the
# agent's base image, e2e/fresh). Empty when apt knows none (run apt-get update first).
#
#   apt-sources.sh bookworm
set -euo pipefail
suite="${1:?usage: apt-sources.sh SUITE}"
apt-cache policy | awk -v suite="$suite" '
  /^ *[0-9]+ [a-z]+:\/\// { uri = $2; split($3, sc, "/"); dist = sc[1]; comp = sc[2]; next }
  /^ *release / {
    if (uri != "" && $0 ~ /o=Debian,/ && (dist == suite || index(dist, suite "-") == 1))
      print "deb " uri " " dist " " comp
    uri = ""
  }' | sort -u

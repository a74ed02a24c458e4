#!/usr/bin/env bash
# Installs everything deadpeer needs to build, test and run, from Debian packages only.
# Idempotent: packages already present are not reinstalled and apt's lists are refreshed
# only when something is missing. Run as root (fresh containers often have no sudo).
set -euo pipefail

build_pkgs=(
  build-essential cmake ninja-build pkg-config
  libnl-3-dev libnl-route-3-dev libnl-nf-3-dev libnftables-dev
  libspdlog-dev libfmt-dev libboost-dev libboost-filesystem-dev
  libgtest-dev libgmock-dev libtomlplusplus-dev nlohmann-json3-dev libcli11-dev
)
# Runtime: the daemons under test; iproute2/nftables/procps are only used by tests to cross-check
# kernel state (the harness itself never shells out to them).
run_pkgs=(openssh-server openssh-client dropbear-bin iproute2 nftables procps)
# Reports: Chart.js is inlined into the HTML report; chromium (headless) and xmllint only check
# the HTML and JUnit reports in tests (report_browser_test, reports_test) and skip when absent.
report_pkgs=(libjs-chart.js chromium libxml2-utils)

if [ "$(id -u)" != 0 ]; then
  echo "install-deps: must run as root (it installs Debian packages)" >&2
  exit 1
fi

missing=()
for p in "${build_pkgs[@]}" "${run_pkgs[@]}" "${report_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # openssh-server's postinst starts a host sshd where an init system runs; policy-rc.d stops
  # that, so installing never opens a port on the host.
  policy=/usr/sbin/policy-rc.d
  created_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod 755 "$policy"; created_policy=1
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
  [ $created_policy = 1 ] && rm -f "$policy"
else
  echo "install-deps: all packages present"
fi

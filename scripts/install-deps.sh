#!/usr/bin/env bash
# Installs every system package Lifeline's tests, demo and benchmarks need, then the npm packages.
# Idempotent: safe to run on a fresh Debian 12 machine or on one that already has everything.
set -euo pipefail
cd "$(dirname "$0")/.."

# nftables: the harness injects packet loss and one-way cuts with nft (works where the kernel has no netem);
# coreutils' stty configures serial ttys; socat makes the pty pairs that stand in for null-modem cables.
# heartbeat (3.0.6) and tcpdump also record the interop fixtures (scripts/record-heartbeat-fixtures.ts); stress-ng
# loads the machine in the load tests; pacemaker, corosync, cluster-glue, fence-agents, openipmi and ipmitool are the
# agents and tools for the CRM and fencing work (Pacemaker's own binaries as references, fence_ipmilan against
# ipmi_sim); chromium is the headless browser for checks of the demo's web page.
# dpkg-dev, lintian, man-db, systemd: build and inspect the .deb (packaging/); openssh-*: lifeline propagate's tests
# (sshd runs only inside a test namespace, with keys made by the test; policy-rc.d keeps the packaged one from starting,
# and a machine's own running sshd is left alone: it may be how the administrator is logged in).
DEBS=(iproute2 iputils-ping iputils-arping socat tcpdump heartbeat pacemaker pacemaker-cli-utils corosync cluster-glue
  resource-agents fence-agents openipmi ipmitool keepalived stress-ng chromium procps psmisc util-linux nftables coreutils
  dpkg-dev lintian man-db systemd openssh-server openssh-client)

# One dpkg-query for the whole list: fast when everything is there already.
missing=()
installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${DEBS[@]}" 2>/dev/null | awk '/ install ok installed$/ {print $1}' || true)
for p in "${DEBS[@]}"; do
  grep -qx "$p" <<<"$installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  # Packages such as heartbeat and keepalived try to start their service on install;
  # on a test machine nothing may run in the host's network namespace, so forbid it.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Make sure no packaged service runs in the host namespace (policy-rc.d above stops new installs starting one).
# Daemons that tests start inside their own namespaces are left alone.
for svc in heartbeat keepalived pacemaker corosync; do
  systemctl stop "$svc" 2>/dev/null || true
done

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# git does not keep mode 600, and authkeys readable by others is refused (as heartbeat refuses it).
chmod 600 examples/*/authkeys

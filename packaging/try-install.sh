#!/bin/bash
# Installs a built lifeline .deb for real with dpkg, in a private mount namespace whose /usr, /etc and /var are
# overlays over the machine's own: the machine sees none of it, and everything vanishes when the script ends.
# usage: unshare --mount --propagation private bash packaging/try-install.sh PACKAGE.deb  (root; prints a report)
set -euo pipefail
deb=$(readlink -f "$1")
ovl=$(mktemp -d /tmp/lk-ovl.XXXXXX)
# The mounts die with the namespace; the empty directory is the only trace on the machine, removed here.
trap 'umount -l /usr /etc /var 2>/dev/null; umount -l "$ovl" 2>/dev/null; rmdir "$ovl"' EXIT
mount -t tmpfs lk-ovl "$ovl"
for d in usr etc var; do
  mkdir -p "$ovl/$d.up" "$ovl/$d.work"
  mount -t overlay "lk-ovl-$d" -o "lowerdir=/$d,upperdir=$ovl/$d.up,workdir=$ovl/$d.work" "/$d"
done
# The package is installed in the overlay only; heartbeat (which it replaces) is removed there by dpkg itself.
echo "== dpkg -i"
DEBIAN_FRONTEND=noninteractive dpkg -i "$deb" 2>&1
echo "== dpkg -s"; dpkg-query -W -f='${Status} ${Version}\n' lifeline
echo "== heartbeat"; dpkg-query -W -f='${Status}\n' heartbeat 2>&1 || true
echo "== version"; lifeline version
echo "== which"; command -v lifeline cl_status hb_standby hb_takeover
echo "== man"; for p in lifeline.8 ha.cf.5 haresources.5 authkeys.5 cl_status.1 hb_standby.8 hb_takeover.8; do man -w "${p%.*}" | sed 's/^/  /'; done
echo "== help-vs-man"; MANWIDTH=200 man lifeline 2>/dev/null | grep -c -- '--force' || true
echo "== enabled"; ls /etc/systemd/system/multi-user.target.wants/ 2>/dev/null | grep lifeline || echo none
echo "== verify"; systemd-analyze verify /lib/systemd/system/lifeline.service 2>&1 && echo "verify ok"
echo "== check"
# As the administrator does: an example into /etc/ha.d (the overlay's), a fresh key, then the start-up check.
cp /usr/share/doc/lifeline/examples/web-server/ha.cf /usr/share/doc/lifeline/examples/web-server/haresources /etc/ha.d/
lifeline keygen --force >/dev/null
lifeline check --node-name node1.example.com | tail -1
echo "== resource.d"; /etc/ha.d/resource.d/IPaddr 2>&1 || echo "exit $?"
echo "== remove"; dpkg -r lifeline >/dev/null 2>&1; [ -e /usr/sbin/lifeline ] && echo "still there" || echo "removed"
[ -e /etc/ha.d/resource.d/IPaddr ] && echo "conffiles kept" || echo "conffiles gone"
dpkg --purge lifeline >/dev/null 2>&1; [ -e /etc/ha.d/resource.d/IPaddr ] && echo "purge left conffiles" || echo "purged"

#!/usr/bin/env bash
# Makes a busybox root filesystem tar from Debian's busybox-static, for `berth import busybox-rootfs.tar busybox:latest`.
# Usage: contrib/busybox-rootfs.sh [OUTPUT.tar]   (default: busybox-rootfs.tar)
set -euo pipefail
out="${1:-busybox-rootfs.tar}"
[ -x /bin/busybox ] || { echo "busybox-rootfs: /bin/busybox missing: apt-get install busybox-static" >&2; exit 1; }
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
chmod 755 "$root"
mkdir -p "$root"/{bin,etc,root,tmp,var/spool/mail,home,proc,sys,dev,usr/bin,usr/sbin,sbin}
chmod 1777 "$root/tmp"
cp /bin/busybox "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
cat > "$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
sync:x:4:100:sync:/bin:/bin/sync
mail:x:8:8:mail:/var/spool/mail:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
operator:x:37:37:Operator:/var:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
PASSWD
cat > "$root/etc/group" <<'GROUP'
root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
wheel:x:10:root
mail:x:12:
www-data:x:33:
users:x:100:
nogroup:x:65534:
GROUP
tmp="$out.tmp.$$"
tar --numeric-owner --owner=0 --group=0 -C "$root" -cf "$tmp" .
mv "$tmp" "$out"

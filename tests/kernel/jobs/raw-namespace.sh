#!/bin/sh
# A namespace that is not fsdax: mounting -o dax must not pass as DAX.
i=0
while [ ! -e /sys/bus/nd/devices/region0 ] && [ "$i" -lt 50 ]; do
	i=$((i + 1))
	sleep 0.2
done
ndctl create-namespace -f -e namespace0.0 -m raw >/dev/null 2>&1 ||
	gdie "could not make a raw namespace"
fs_mount ext4
echo "mounted a raw namespace as DAX"

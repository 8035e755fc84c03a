# shellcheck shell=bash
# setns-collectd - tests/kernels/initrd.sh: the initramfs of a test VM, for
# vm-run (x86-64) and arm64, which source it: busybox, the kernel modules
# that mount the root (each after those it depends on, uncompressed, for
# busybox's insmod, their order in /modules) and an /init.
#
# initrd_build OUT BUSYBOX INIT: the cpio archive OUT from BUSYBOX, the
# modules INITRD_MODULES names, found under MODDIR (the kernel's
# /lib/modules/<version>), and what the function INIT prints as /init.
# False, saying why on stderr, when a module is missing.

initrd_module_path() {
	local name=$1
	find "$MODDIR/kernel" -name "$name.ko*" -o -name "${name//_/-}.ko*" | head -n1
}

# Uncompressed: Debian compresses the modules of later kernels (.ko.xz).
initrd_copy_module() {
	case $1 in
	*.ko) cat "$1" ;;
	*.ko.xz) xz -dc "$1" ;;
	*.ko.zst) zstd -dcq "$1" ;;
	*.ko.gz) gzip -dc "$1" ;;
	*) return 1 ;;
	esac >"$2"
}

initrd_is_builtin() {
	sed 's/-/_/g' "$MODDIR/modules.builtin" 2>/dev/null | grep -q "/${1//-/_}\.ko$"
}

# initrd_add_module NAME: NAME into $STAGE, after everything it depends on.
initrd_add_module() {
	local name=${1//-/_} path dep
	[[ -z ${SEEN[$name]:-} ]] || return 0
	SEEN[$name]=1
	path=$(initrd_module_path "$name")
	if [[ -z $path ]]; then
		initrd_is_builtin "$name" && return 0
		echo "initrd: module $name not found in $MODDIR" >&2
		return 1
	fi
	initrd_copy_module "$path" "$STAGE/modules.d/$name.ko" ||
		{ echo "initrd: cannot unpack $path" >&2; return 1; }
	for dep in $(tr '\0' '\n' <"$STAGE/modules.d/$name.ko" | sed -n 's/^depends=//p' | tr , ' '); do
		initrd_add_module "$dep" || return 1
	done
	ORDER+=("$name")
}

initrd_build() {
	local out=$1 busybox=$2 init=$3 m STAGE
	STAGE=$(mktemp -d) || return 1
	mkdir -p "$STAGE"/{bin,dev,proc,sys,modules.d}
	cp "$busybox" "$STAGE/bin/busybox" || { rm -rf "$STAGE"; return 1; }
	declare -gA SEEN=()
	ORDER=()
	for m in "${INITRD_MODULES[@]}"; do
		initrd_add_module "$m" || { rm -rf "$STAGE"; return 1; }
	done
	printf '%s\n' "${ORDER[@]}" >"$STAGE/modules"
	"$init" >"$STAGE/init"
	chmod 0755 "$STAGE/init"
	(cd "$STAGE" && find . | cpio -o -H newc -R 0:0 --quiet) >"$out.tmp.$$" &&
		mv "$out.tmp.$$" "$out"
	local rc=$?
	rm -rf "$STAGE"
	return "$rc"
}

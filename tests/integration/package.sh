# shellcheck shell=bash
# setns-collectd - tests/integration/package.sh
#
# What deb.sh and distro.sh share: collectd-setns_<version>_amd64.deb
# built by dpkg-buildpackage from a clean copy of the source, and kept in
# $BUILDDIR/deb/ under the sha256 of that copy, so that distro.sh installs
# the package deb.sh checked instead of building it a second time; either
# test builds it when the other has not.

PKG_CACHE=$BUILDDIR/deb
# The version configure.ac gives the package (debian/rules checks that
# debian/changelog says the same).
PKG_VERSION=$(awk -F'[][]' '/^AC_INIT/ { print $4 }' "$SRCDIR/configure.ac")
PKG_DEB=collectd-setns_${PKG_VERSION}_amd64.deb

# pkg_source DIR: the source as a fresh clone has it, nothing generated:
# the files git tracks, as the work tree has them (uncommitted changes in,
# build directories out). Outside git, the release tarball's tree (make
# distdir).
pkg_source() {
  local f
  mkdir -p "$1"
  PKG_FROM=git
  if git -C "$SRCDIR" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (set -o pipefail
      (cd "$SRCDIR" && git ls-files -z --cached |
        while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
        tar -c --null -T -) | tar -x -C "$1") || fail "could not copy the tracked files to $1"
  else
    PKG_FROM=tarball
    make -s -C "$BUILDDIR" distdir distdir="$1" >/dev/null || fail "make distdir failed"
  fi
}

# pkg_key DIR: the sha256 of the tree's paths and contents.
pkg_key() {
  (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-64
}

# pkg_build DIR: dpkg-buildpackage -us -uc -b in DIR (the .deb lands in
# its parent), logged to DIR.build.log. Build-Depends missing is a failure:
# scripts/common.sh installs them.
pkg_build() {
  (cd "$1" && dpkg-checkbuilddeps) || fail "build dependencies missing (scripts/common.sh's PACKAGES)"
  # as from a shell: make check's own variables (TESTS=...) must not reach
  # the package's make through the environment
  (cd "$1" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
    dpkg-buildpackage -us -uc -b) > "$1.build.log" 2>&1 ||
    { tail -30 "$1.build.log"; fail "dpkg-buildpackage failed (log above)"; }
}

# pkg_store DIR KEY: keeps the build of DIR in the cache, in place of any
# other.
pkg_store() {
  rm -rf "$PKG_CACHE"
  mkdir -p "$PKG_CACHE"
  cp "$(dirname "$1")"/collectd-setns_"$PKG_VERSION"_amd64.* "$PKG_CACHE/"
  echo "$2" > "$PKG_CACHE/key"
}

# pkg_deb: PKG_FILE, the .deb of this source, built unless the cache has
# it.
pkg_deb() {
  local key
  pkg_source "$T/pkg/src"
  key=$(pkg_key "$T/pkg/src")
  PKG_FILE=$PKG_CACHE/$PKG_DEB
  if [ "$(cat "$PKG_CACHE/key" 2>/dev/null)" = "$key" ] && [ -f "$PKG_FILE" ]; then
    echo "  $PKG_DEB of this source: the one in $PKG_CACHE"
    return 0
  fi
  echo "  building $PKG_DEB"
  pkg_build "$T/pkg/src"
  pkg_store "$T/pkg/src" "$key"
}

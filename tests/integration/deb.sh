#!/bin/bash
# setns-collectd - tests/integration/deb.sh
#
# dpkg-buildpackage -us -uc -b from a clean copy of the source (nothing
# generated: the build runs autoreconf), then the package as dpkg and
# lintian see it: exactly setns.so in collectd's plugin directory, the
# drop-in as a conffile, the graphite-web events module (contrib/), the
# docs and the man page collectd-setns(5), which man renders without a
# warning; a dependency on the collectd-core whose headers it was built
# with; no lintian error or warning. The build runs the unit
# tests and none of the integration tests, and `debian/rules clean` leaves
# the tree as it was. The .deb is kept for distro.sh (package.sh).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/package.sh"

require dpkg-buildpackage dpkg-deb lintian git

SRC=$T/pkg/src
pkg_source "$SRC"
key=$(pkg_key "$SRC")
(cd "$SRC" && find . | sort) > "$T/tree.before"
echo "dpkg-buildpackage -us -uc -b, version $PKG_VERSION:"
pkg_build "$SRC"
DEB=$T/pkg/$PKG_DEB
[ -f "$DEB" ] || fail "no $PKG_DEB (built: $(cd "$T/pkg" && echo *.deb))"
grep -q '^ *dh_autoreconf\b' "$SRC.build.log" || bad "the build did not run autoreconf"

# The unit tests ran, and nothing else.
unit=$(awk '/^UNIT_TESTS =/, /[^\\]$/' "$SRCDIR/Makefile.am" | grep -o 'tests/test_[a-z_]*' | wc -l)
expect "unit tests passed in the build" "$(grep -c '^PASS: tests/test_' "$SRC.build.log")" "$unit"
expect "other tests run by the build" \
  "$(grep -cE '^(PASS|FAIL|SKIP|ERROR|XFAIL|XPASS): ' "$SRC.build.log" | awk -v u="$unit" '{ print $1 - u }')" 0

echo "dpkg -c:"
examples=$(cd "$SRCDIR/conf.d/examples" && ls *.conf)
want=$(printf '%s\n' ./ ./etc/ ./etc/collectd/ ./etc/collectd/collectd.conf.d/ \
    ./etc/collectd/collectd.conf.d/setns.conf \
    ./usr/ ./usr/lib/ ./usr/lib/collectd/ ./usr/lib/collectd/setns.so \
    ./usr/share/ ./usr/share/collectd-setns/ \
    ./usr/share/collectd-setns/setns_graphite_events.py \
    ./usr/share/doc/ ./usr/share/doc/collectd-setns/ \
    ./usr/share/doc/collectd-setns/README.md.gz ./usr/share/doc/collectd-setns/changelog.gz \
    ./usr/share/doc/collectd-setns/copyright ./usr/share/doc/collectd-setns/docs/
  # the cookbooks, compressed over 4 KiB as dh_compress does
  for d in $(cd "$SRCDIR/docs" && ls *.md *.png | LC_ALL=C sort); do
    f=./usr/share/doc/collectd-setns/docs/$d
    [[ $d == *.md && $(stat -c %s "$SRCDIR/docs/$d") -gt 4096 ]] && f=$f.gz
    echo "$f"
  done
  echo ./usr/share/doc/collectd-setns/examples/
  for e in $examples; do echo "./usr/share/doc/collectd-setns/examples/$e"; done
  printf '%s\n' ./usr/share/man/ ./usr/share/man/man5/ ./usr/share/man/man5/collectd-setns.5.gz)
got=$(dpkg -c "$DEB" | awk '{ print $6 }')
if [ "$got" = "$want" ]; then echo "  $(echo "$got" | wc -l) paths, as they should be"
else bad "dpkg -c: $(diff <(echo "$want") <(echo "$got") | grep '^[<>]' | paste -sd' ')"; fi
expect "setns.so" "$(dpkg -c "$DEB" | awk '$6 == "./usr/lib/collectd/setns.so" { print $1, $2 }')" \
  "-rw-r--r-- root/root"
expect "setns.conf" "$(dpkg -c "$DEB" | awk '$6 ~ /setns.conf$/ { print $1, $2 }')" "-rw-r--r-- root/root"
mkdir "$T/x" && dpkg-deb -x "$DEB" "$T/x"
cmp -s "$T/x/etc/collectd/collectd.conf.d/setns.conf" "$SRCDIR/conf.d/setns.conf" ||
  bad "the packaged setns.conf is not conf.d/setns.conf"
expect "symbols setns.so exports" \
  "$(nm -D --defined-only "$T/x/usr/lib/collectd/setns.so" | awk '{ print $3 }' | paste -sd,)" \
  module_register

echo "man collectd-setns:"
page=$T/x/usr/share/man/man5/collectd-setns.5.gz
MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$page" > "$T/man.txt" 2> "$T/man.err" ||
  bad "man -l $page failed: $(head -3 "$T/man.err")"
expect "man's warnings" "$(cat "$T/man.err")" ""
expect "its NAME" "$(sed -n '/^NAME/{n;p;q}' "$T/man.txt" | sed 's/^ *//')" \
  "collectd-setns - Documentation of collectd's setns plugin"
echo "  $(wc -l < "$T/man.txt") lines"

echo "dpkg -I:"
expect "Package" "$(dpkg-deb -f "$DEB" Package)" collectd-setns
expect "Version" "$(dpkg-deb -f "$DEB" Version)" "$PKG_VERSION"
expect "conffiles" "$(dpkg-deb -I "$DEB" conffiles)" /etc/collectd/collectd.conf.d/setns.conf
collectd=$(dpkg-query -W -f='${Version}' collectd-dev | sed 's/^[0-9]*://; s/-[^-]*$//')
next=$(echo "$collectd" | awk -F. '{ print $1 "." $2 + 1 }')
depends=$(dpkg-deb -f "$DEB" Depends)
echo "  Depends: $depends"
expect "Depends on collectd-core" "$(echo "$depends" | tr ',' '\n' | sed 's/^ *//' | grep '^collectd-core' | paste -sd,)" \
  "collectd-core (>= $collectd),collectd-core (<< $next~)"
# every library setns.so needs, by the package that has it
for lib in $(objdump -p "$T/x/usr/lib/collectd/setns.so" | awk '$1 == "NEEDED" { print $2 }'); do
  p=$(dpkg -S "*x86_64-linux-gnu/$lib" 2>/dev/null | head -1 | cut -d: -f1)
  [ -n "$p" ] || { bad "no package has $lib"; continue; }
  [[ ", $depends," == *", $p "* ]] && echo "  $lib: $p" || bad "Depends lacks $p, which has $lib"
done

echo "lintian:"
# lintian exits 0 unless it finds an error, or fails itself (2)
lintian --pedantic -I "$T/pkg/collectd-setns_${PKG_VERSION}_amd64.changes" "$DEB" > "$T/lintian.out" 2>&1
rc=$?
grep -v 'running with root privileges' "$T/lintian.out" | sed 's/^/  /'
expect "lintian's exit status" "$rc" 0
expect "lintian errors and warnings" "$(grep -cE '^[EW]: ' "$T/lintian.out")" 0

echo "debian/rules clean:"
(cd "$SRC" && fakeroot debian/rules clean) > "$T/clean.log" 2>&1 || bad "debian/rules clean failed"
if [ "$PKG_FROM" = git ]; then
  expect "files left or lost by build and clean" \
    "$(diff "$T/tree.before" <(cd "$SRC" && find . | sort) | grep '^[<>]' | paste -sd' ')" ""
else # dh_autoreconf_clean removes the generated files a tarball ships
  echo "  a release tarball's tree: its generated files are gone, as for any"
fi

[ ${#FAILURES[@]} != 0 ] || pkg_store "$SRC" "$key"
finish "$PKG_DEB: $(echo "$got" | grep -c '[^/]$') files, conffile, man page, Depends on collectd-core $collectd, no lintian error or warning"

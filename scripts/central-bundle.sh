#!/usr/bin/env bash
# Makes the Maven Central bundle from a finished -Prelease build: each published module's pom, jar, sources
# and Javadoc jars, their .asc signatures (when signed) and .md5/.sha1 checksums, in the Maven repository
# layout (dev/ladle/<artifactId>/<version>/...), zipped as target/ladle-<version>-central-bundle.zip: the
# file the Central Portal's "Publish Component" upload takes. Nothing is uploaded.
#
# ladle-release runs it in the verify phase of `./ladle mvn -Prelease verify`, after every published module:
#   scripts/central-bundle.sh VERSION GPG_SKIP OUTPUT_TIMESTAMP
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=${1:?version}
gpg_skip=${2:?true or false}
timestamp=${3:?project.build.outputTimestamp}

# The published modules (ladle-examples, ladle-bench and ladle-release are not):
#   directory      artifactId     packaging  file the pom is published from       build file name (finalName)
published=(
  ".             ladle-parent   pom        pom.xml                              ladle-parent-$version"
  "ladle-bom     ladle-bom      pom        pom.xml                              ladle-bom-$version"
  "ladle-server  ladle-server   jar        pom.xml                              ladle-server-$version"
  "ladle-jackson ladle-jackson  jar        pom.xml                              ladle-jackson-$version"
  "ladle-micrometer ladle-micrometer jar   pom.xml                              ladle-micrometer-$version"
  "ladle-junit   ladle-junit    jar        pom.xml                              ladle-junit-$version"
  "ladle-httpd   ladle-httpd    jar        target/dependency-reduced-pom.xml    ladle-httpd"
)

say() { echo "central-bundle: $*"; }
fail() { echo "central-bundle: $*" >&2; exit 1; }

stage="$root/target/central-bundle"
zip="$root/target/ladle-$version-central-bundle.zip"
rm -rf "$stage" "$zip"

# copy FROM TO [SIGNATURE]: one file of the bundle, its signature when signed (FROM.asc unless given), and
# its checksums
copy() {
  local from=$1 to=$2 asc=${3:-$1.asc}
  [ -f "$from" ] || fail "missing ${from#"$root"/} (build with -Prelease, from the root)"
  cp "$from" "$to"
  if [ "$gpg_skip" != true ]; then
    [ -f "$asc" ] || fail "missing signature ${asc#"$root"/}"
    cp "$asc" "$to.asc"
  fi
  printf '%s' "$(md5sum < "$to" | cut -d' ' -f1)" > "$to.md5"
  printf '%s' "$(sha1sum < "$to" | cut -d' ' -f1)" > "$to.sha1"
}

for row in "${published[@]}"; do
  read -r dir artifact packaging pom final <<< "$row"
  out="$stage/dev/ladle/$artifact/$version"
  mkdir -p "$out"
  target="$root/$dir/target"
  # the gpg plugin signs the artifact files where they are, and the pom as its copy target/<finalName>.pom
  if [ "$gpg_skip" != true ] && ! cmp -s "$target/$final.pom" "$root/$dir/$pom"; then
    fail "${dir}/target/$final.pom, the pom signed, is not ${dir}/$pom, the pom published"
  fi
  copy "$root/$dir/$pom" "$out/$artifact-$version.pom" "$target/$final.pom.asc"
  if [ "$packaging" = jar ]; then
    copy "$target/$final.jar" "$out/$artifact-$version.jar"
    copy "$target/$final-sources.jar" "$out/$artifact-$version-sources.jar"
    copy "$target/$final-javadoc.jar" "$out/$artifact-$version-javadoc.jar"
  fi
done

# the core stays a named module
unzip -Z1 "$stage/dev/ladle/ladle-server/$version/ladle-server-$version.jar" | grep -x module-info.class >/dev/null \
  || fail "ladle-server's jar has no module-info.class"

# the same build gives the same zip: fixed entry times, sorted entries, no extra attributes
find "$stage" -exec touch -d "$timestamp" {} +
(cd "$stage" && find dev | LC_ALL=C sort | TZ=UTC zip -q -X -@ "$zip")

files=$(unzip -Z1 "$zip" | grep -vc '/$')
say "${zip#"$root"/}: ${#published[@]} modules, $files files"
unzip -Z1 "$zip" | grep -v '/$' | sed 's/^/  /'
if [ "$gpg_skip" = true ]; then
  say "signing skipped: no key (pass -Dgpg.keyname=KEY_ID to sign); Central refuses an unsigned bundle"
else
  say "signed: every pom and jar has its .asc"
fi
case "$version" in
  *-SNAPSHOT) say "$version is a snapshot: Central takes release versions only (set one before releasing)" ;;
esac

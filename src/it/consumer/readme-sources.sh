#!/usr/bin/env bash
# Cuts the README into this project's sources, so what is compiled and run is what the README shows:
# every ```java block becomes <its public class>.java, under guice/ when it imports Guice, else under
# plain/; the first ```yaml block with a providers: list (the configuration file the Guice example
# reads) becomes llm.yaml.
# A java block without a public class fails the build: each example must be a whole program that a
# newcomer can copy as it is.
# Usage: readme-sources.sh README.md OUTPUT_DIR
set -euo pipefail
readme=$1
out=$2
rm -rf "$out"
mkdir -p "$out/plain" "$out/guice"
awk -v out="$out" '
  function fail(msg) { print "readme-sources: README.md line " NR ": " msg > "/dev/stderr"; failed = 1; exit 1 }
  !fence && /^```java[ \t]*$/ { fence = "java"; buf = ""; start = NR; next }
  !fence && /^```yaml[ \t]*$/ { fence = "yaml"; ybuf = ""; next }
  !fence && /^```/ { fence = "other"; next }
  fence && /^```[ \t]*$/ {
    if (fence == "java") {
      if (!match(buf, /public[ \t]+(final[ \t]+)?class[ \t]+[A-Za-z_][A-Za-z0-9_]*/))
        fail("the java block starting at line " start " has no public class")
      decl = substr(buf, RSTART, RLENGTH)
      n = split(decl, words, /[ \t]+/)
      name = words[n]
      if (name in seen) fail("two java blocks declare class " name)
      seen[name] = 1
      dir = (buf ~ /import[ \t]+com\.google\.inject\./) ? "guice" : "plain"
      file = out "/" dir "/" name ".java"
      printf "%s", buf > file
      close(file)
      count++
    } else if (fence == "yaml" && !yamls && ybuf ~ /(^|\n)providers:/) {
      printf "%s", ybuf > (out "/llm.yaml")
      close(out "/llm.yaml")
      yamls++
    }
    fence = ""
    next
  }
  fence == "java" { buf = buf $0 "\n"; next }
  fence == "yaml" { ybuf = ybuf $0 "\n"; next }
  END {
    if (failed) exit 1
    if (fence) { print "readme-sources: unclosed ``` block" > "/dev/stderr"; exit 1 }
    if (count == 0) { print "readme-sources: no java block in the README" > "/dev/stderr"; exit 1 }
    if (!yamls) { print "readme-sources: no yaml block with providers: in the README" > "/dev/stderr"; exit 1 }
    print "readme-sources: " count " java blocks from the README"
  }
' "$readme"

#!/bin/sh
# Runs the factory benchmark against the compiled classes: bench/run.sh (from the project root).
set -e
mvn -B -q -o compile
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=runtime
java -cp "target/classes:$(cat target/bench.cp)" bench/FactoryBench.java

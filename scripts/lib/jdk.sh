# Sourced by the scripts: finds a JDK >= 22 (FFM is final there) and exports
# JAVA_HOME and PATH, or fails with a message that says what to install.

_jdk_major() {
    # Prints the feature version of the JDK at $1, or nothing.
    local release="$1/release"
    [ -x "$1/bin/java" ] || return 0
    if [ -f "$release" ]; then
        sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
    else
        "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1
    fi
}

find_jdk() {
    local candidate major
    for candidate in "${SANDBOX_JAVA_HOME:-}" "${JAVA_HOME:-}" \
        /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-2[2-9]* /usr/lib/jvm/*-2[2-9]* \
        /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home \
        "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
        [ -n "$candidate" ] && [ -d "$candidate" ] || continue
        major=$(_jdk_major "$candidate")
        if [ -n "$major" ] && [ "$major" -ge 22 ]; then
            export JAVA_HOME="$candidate"
            export PATH="$JAVA_HOME/bin:$PATH"
            # Maven 3.8's bundled Guava uses sun.misc.Unsafe; JDK 24+ warns about it at every start.
            if [ "$major" -ge 24 ] && [[ "${MAVEN_OPTS:-}" != *sun-misc-unsafe* ]]; then
                export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
            fi
            return 0
        fi
    done
    echo "error: ku0 sandbox needs a JDK 22 or newer (FFM API); none was found." >&2
    echo "       Install one (e.g. Temurin 25) and set JAVA_HOME or SANDBOX_JAVA_HOME to it." >&2
    return 1
}

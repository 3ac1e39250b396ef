# Sourced by the scripts: finds a JDK and exports JAVA_HOME and PATH, or fails with a message
# that says what to install. Building needs JDK 22+ (the FFM binding is compiled for 22); the
# library and the CLI run on JDK 17+ (JNI there, FFM on 22+).

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

_jdk_candidates() {
    # JAVA_HOME_<N>_<ARCH>: where actions/setup-java puts each JDK it installs.
    printf '%s\n' "${SANDBOX_JAVA_HOME:-}" "${JAVA_HOME:-}" \
        "${JAVA_HOME_25_X64:-}" "${JAVA_HOME_25_ARM64:-}" "${JAVA_HOME_17_X64:-}" "${JAVA_HOME_17_ARM64:-}" \
        /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-2[2-9]* /usr/lib/jvm/*-2[2-9]* \
        /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home \
        "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"
}

# jdk_home MIN [MAX]: prints the first candidate JDK whose feature version is in [MIN, MAX].
jdk_home() {
    local min="$1" max="${2:-999}" candidate major
    while IFS= read -r candidate; do
        [ -n "$candidate" ] && [ -d "$candidate" ] || continue
        major=$(_jdk_major "$candidate")
        if [ -n "$major" ] && [ "$major" -ge "$min" ] && [ "$major" -le "$max" ]; then
            echo "$candidate"
            return 0
        fi
    done < <(_jdk_candidates)
    return 1
}

# find_jdk [MIN]: exports JAVA_HOME and PATH for a JDK >= MIN (default 22, what building needs).
find_jdk() {
    local min="${1:-22}" home major
    if ! home=$(jdk_home "$min"); then
        if [ "$min" -ge 22 ]; then
            echo "error: building ku0 sandbox needs a JDK 22 or newer (its FFM binding is compiled for 22);" >&2
            echo "       none was found. Install one (e.g. Temurin 25) and set JAVA_HOME or SANDBOX_JAVA_HOME to it." >&2
        else
            echo "error: ku0 sandbox needs a JDK $min or newer; none was found (older JDKs cannot load its classes)." >&2
            echo "       Install one (JDK 17, 21 or 25) and set JAVA_HOME or SANDBOX_JAVA_HOME to it." >&2
        fi
        return 1
    fi
    export JAVA_HOME="$home"
    export PATH="$JAVA_HOME/bin:$PATH"
    major=$(_jdk_major "$home")
    # Maven 3.8's bundled Guava uses sun.misc.Unsafe; JDK 24+ warns about it at every start.
    if [ "$major" -ge 24 ] && [[ "${MAVEN_OPTS:-}" != *sun-misc-unsafe* ]]; then
        export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
    fi
    return 0
}

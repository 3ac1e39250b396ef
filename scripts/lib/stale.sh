# Sourced by scripts/sandbox: whether the CLI JAR is older than the sources it is built from,
# without walking the source tree on every start.
#
# After a build, stamp_sources writes STAMP: every source file and every directory below the
# source roots, one path a line. sources_stale then compares each listed path with the JAR
# using bash's own -nt (a stat each, no process started, no directory read): an edited file is
# newer than the JAR, and a file added, removed or renamed makes its directory newer. Only when
# STAMP is missing (a JAR built by Maven directly) does it walk the tree with find.

# The inputs of the CLI JAR, relative to the checkout root.
_source_roots() {
    local r=$1
    printf '%s\n' "$r/pom.xml" "$r"/{policies,bindings,bindings-ffm,java-api,cli,native}/pom.xml \
        "$r"/policies "$r"/{bindings,bindings-ffm,java-api,cli}/src/main \
        "$r"/integrations/pom.xml "$r"/integrations/{sandbox-agent-core,sandbox-mcp}/{pom.xml,src/main} \
        "$r"/native/Cargo.toml "$r"/native/Cargo.lock "$r"/native/sandbox-{core,ffi,exec}/src
}

# _find_sources ROOT [TEST...]: prints the source files and directories that pass the find TESTs.
_find_sources() {
    local root=$1 roots=() r
    shift
    # Only those that exist, so that find's status means what it says.
    while IFS= read -r r; do [ -e "$r" ] && roots+=("$r"); done < <(_source_roots "$root")
    # policies/ itself (a new preset file changes it), not its build output below.
    find "${roots[@]}" \( -path "$root/policies/*" -a ! -path "$root/policies/*.json" -prune \) \
        -o \( -type f -o -type d \) "$@" -print 2>/dev/null
}

# stamp_sources ROOT STAMP: records the source files and directories (written atomically).
stamp_sources() {
    local root=$1 stamp=$2
    _find_sources "$root" > "$stamp.tmp.$$" && mv -f "$stamp.tmp.$$" "$stamp"
}

# sources_stale ROOT JAR STAMP: succeeds when a source is newer than JAR (or JAR is missing).
sources_stale() {
    local root=$1 jar=$2 stamp=$3 paths p
    [ -f "$jar" ] || return 0
    if [ ! -f "$stamp" ] || [ "$stamp" -ot "$jar" ]; then
        # No list for this JAR: walk once, and list the sources for the next starts when fresh.
        if _find_sources "$root" -newer "$jar" | grep . >/dev/null; then
            return 0
        fi
        stamp_sources "$root" "$stamp"
        return 1
    fi
    mapfile -t paths < "$stamp"
    for p in "${paths[@]}"; do
        [[ $p -nt $jar ]] && return 0
    done
    return 1
}

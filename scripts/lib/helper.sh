# Shared by the build scripts (source it; run the function from native/).

# Builds the release sandbox-exec helper and prints the directory it is in.
#
# The helper starts for every sandboxed command, so on Linux with the GNU C
# library it is linked statically (`-C target-feature=+crt-static`): no
# shared libraries to find, map and relocate, about 0.25 ms less per
# command (docs/exec.md, Overhead). The flag goes to the helper's own crate
# only (`cargo rustc`), where the static link happens: the dependency graph
# is the one compiled for the library (`target/release`, see
# scripts/build-native), not a second copy built with other RUSTFLAGS for
# an explicit target. Host name lookups of the static
# helper use /etc/hosts and DNS only. Falls back to the dynamic build, with a
# warning, when the static C library is missing (libc6-dev on Debian and
# Ubuntu, glibc-static on Fedora).
build_release_helper() {
    local host dir=${CARGO_TARGET_DIR:-target}
    host=$(rustc -vV | sed -n 's/^host: //p')
    case "$host" in
        *-linux-gnu)
            if cargo rustc --release --locked -p sandbox-exec --bin sandbox-exec \
                -- -C target-feature=+crt-static >&2; then
                echo "$dir/release"
                return
            fi
            echo "warning: the static build of sandbox-exec failed; using the dynamic one (slower to start)" >&2
            ;;
    esac
    cargo build --release --locked -p sandbox-exec >&2
    echo "$dir/release"
}

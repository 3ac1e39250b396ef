# Shared by the cross-platform scripts (source it; run the functions from native/).
#
# Everything the other platforms need is installed here, from the registries,
# when missing: the Rust targets (rustup), the cross linkers and runners
# (Debian packages: MinGW-w64 for Windows, the aarch64 GNU toolchain for
# Linux arm64, qemu-user and wine to run what was built) and, for macOS, a
# Python virtual environment with the `ziglang` wheel. Whatever cannot be
# installed stops the build with the reason: a platform is never skipped.
#
# macOS (aarch64-apple-darwin) links with Rust's own rust-lld in ld64
# flavour against a minimal SDK made from the wheel's libSystem.tbd
# (scripts/lib/macos-sdk.py); zig compiles the few assembly files of
# dependencies (psm). zig as the linker also works but exports thousands of
# symbols from the dylib.

cross_root=${cross_root:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
# Kept between builds: the venv and the SDK take a minute to make.
cross_dir=${SANDBOX_CROSS_DIR:-$cross_root/native/target/cross}
# The wheel's version is fixed: its libSystem.tbd is the macOS SDK the dylib is linked against.
ziglang_version=0.17.1

cross_die() {
    echo "error: $*" >&2
    exit 1
}

# The Rust target triple of a classifier.
cross_triple() {
    case "$1" in
        linux-x86_64) echo x86_64-unknown-linux-gnu ;;
        linux-aarch_64) echo aarch64-unknown-linux-gnu ;;
        osx-aarch_64) echo aarch64-apple-darwin ;;
        windows-x86_64) echo x86_64-pc-windows-gnu ;;
        *) cross_die "no cross build for classifier '$1' (known: linux-x86_64 linux-aarch_64 osx-aarch_64 windows-x86_64)" ;;
    esac
}

# Installs Debian packages (apt-get, as root or through sudo), or stops with the reason.
cross_install_packages() {
    command -v apt-get >/dev/null ||
        cross_die "missing Debian packages $* (or their equivalents) and no apt-get to install them; install them and run again"
    local sudo=()
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null || cross_die "installing $* needs root; install them and run again"
        sudo=(sudo)
    fi
    echo "installing Debian packages: $*" >&2
    if ! ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >&2; then
        # A fresh machine may have no package lists yet.
        ${sudo[@]+"${sudo[@]}"} apt-get update >&2 || cross_die "apt-get update failed; cannot install $*"
        ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >&2 ||
            cross_die "apt-get could not install $*"
    fi
}

# Makes sure the given commands exist, as "command:debian-package" pairs, installing the packages of
# those missing.
cross_need_commands() {
    local pair missing=()
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    cross_install_packages "${missing[@]}"
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null || cross_die "${pair#*:} was installed but '${pair%%:*}' is still not found"
    done
}

# Makes sure the given Debian packages are installed (files that no command names, such as a
# cross C library).
cross_need_packages() {
    local pkg missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] || cross_install_packages "${missing[@]}"
}

cross_need_rust_target() {
    local triple=$1
    rustup target list --installed 2>/dev/null | grep -x "$triple" >/dev/null && return 0
    command -v rustup >/dev/null || cross_die "the Rust target $triple is missing and there is no rustup to add it"
    echo "adding the Rust target $triple" >&2
    rustup target add "$triple" >&2 || cross_die "rustup could not add the target $triple"
}

# The LLVM tools of the Rust toolchain (llvm-nm, llvm-readobj, llvm-objdump) used by the checks:
# one version, whatever the system has. Prints their directory.
cross_llvm_tools() {
    local dir
    dir="$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin"
    if [ ! -x "$dir/llvm-readobj" ]; then
        command -v rustup >/dev/null || cross_die "the Rust component llvm-tools is missing and there is no rustup to add it"
        rustup component add llvm-tools >&2 || cross_die "rustup could not add the component llvm-tools"
    fi
    [ -x "$dir/llvm-readobj" ] || cross_die "llvm-tools installed but $dir/llvm-readobj not found"
    echo "$dir"
}

# The ziglang wheel in a venv, and the macOS SDK made from it. Prints zig's path.
cross_zig() {
    local venv=$cross_dir/zig-venv zig
    if [ ! -x "$venv/bin/python" ]; then
        cross_need_commands python3:python3 >&2
        python3 -m venv "$venv" >&2 || cross_die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
    fi
    if ! "$venv/bin/python" -m pip show ziglang 2>/dev/null | grep -qx "Version: $ziglang_version"; then
        echo "installing ziglang $ziglang_version into $venv" >&2
        "$venv/bin/python" -m pip install --quiet "ziglang==$ziglang_version" >&2 ||
            cross_die "pip could not install ziglang==$ziglang_version"
    fi
    zig=$("$venv/bin/python" -c 'import ziglang, os; print(os.path.join(os.path.dirname(ziglang.__file__), "zig"))')
    [ -x "$zig" ] || cross_die "the ziglang wheel has no zig executable at $zig"
    echo "$zig"
}

# Sets the environment cargo needs to build for a classifier other than the host's,
# installing what is missing.
cross_env() {
    local classifier=$1 triple
    triple=$(cross_triple "$classifier")
    cross_need_rust_target "$triple"
    case "$classifier" in
        linux-x86_64)
            ;;
        linux-aarch_64)
            # libc6-dev-arm64-cross brings the static C library of the helper's static link.
            cross_need_commands aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu
            cross_need_packages libc6-dev-arm64-cross
            export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
            export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar
            ;;
        windows-x86_64)
            cross_need_commands x86_64-w64-mingw32-gcc:gcc-mingw-w64-x86-64
            export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
            export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar
            ;;
        osx-aarch_64)
            local zig sdk=$cross_dir/macos-sdk
            zig=$(cross_zig)
            if [ ! -f "$sdk/usr/lib/libSystem.tbd" ] || [ "$cross_root/scripts/lib/macos-sdk.py" -nt "$sdk/usr/lib/libSystem.tbd" ]; then
                rm -rf "$sdk"
                python3 "$cross_root/scripts/lib/macos-sdk.py" "$(dirname "$zig")/lib/libc/darwin/libSystem.tbd" "$sdk" ||
                    cross_die "could not make the macOS SDK from the ziglang wheel"
            fi
            # zig as the C compiler (assembly of psm): cc-rs passes Apple's -arch and version
            # flags, which zig spells as its -target.
            mkdir -p "$cross_dir/bin"
            cat > "$cross_dir/bin/cc-aarch64-apple-darwin" <<EOF
#!/usr/bin/env bash
args=()
skip=0
for a in "\$@"; do
    if [ \$skip = 1 ]; then skip=0; continue; fi
    case "\$a" in
        -arch|-target) skip=1 ;;
        --target=*|-mmacosx-version-min=*) ;;
        *) args+=("\$a") ;;
    esac
done
exec "$zig" cc -target aarch64-macos.11.0 "\${args[@]}"
EOF
            chmod +x "$cross_dir/bin/cc-aarch64-apple-darwin"
            printf '#!/bin/sh\nexec "%s" ar "$@"\n' "$zig" > "$cross_dir/bin/ar-zig"
            chmod +x "$cross_dir/bin/ar-zig"
            export SDKROOT=$sdk MACOSX_DEPLOYMENT_TARGET=11.0
            export CC_aarch64_apple_darwin=$cross_dir/bin/cc-aarch64-apple-darwin AR_aarch64_apple_darwin=$cross_dir/bin/ar-zig
            export CARGO_TARGET_AARCH64_APPLE_DARWIN_LINKER=rust-lld
            export CARGO_TARGET_AARCH64_APPLE_DARWIN_RUSTFLAGS="-C linker-flavor=ld64.lld"
            ;;
    esac
}

# Runs Linux arm64 programs here: qemu-user, with the cross C library for dynamically linked ones.
cross_qemu_env() {
    cross_need_commands qemu-aarch64:qemu-user
    export QEMU_LD_PREFIX=/usr/aarch64-linux-gnu
}

# Runs Windows programs here: wine in a prefix of its own, with a ProcessPrng stub DLL (wine 8.0
# lacks that function, which Rust's standard library imports; scripts/lib/wine/) found first.
cross_wine_env() {
    cross_need_commands wine:wine x86_64-w64-mingw32-gcc:gcc-mingw-w64-x86-64
    local src=$cross_root/scripts/lib/wine dlls=$cross_dir/wine-dlls
    mkdir -p "$dlls"
    if [ ! -f "$dlls/bcryptprimitives.dll" ] || [ "$src/bcryptprimitives.c" -nt "$dlls/bcryptprimitives.dll" ]; then
        x86_64-w64-mingw32-gcc -O2 -shared -o "$dlls/bcryptprimitives.dll" \
            "$src/bcryptprimitives.c" "$src/bcryptprimitives.def" -ladvapi32 ||
            cross_die "could not build the ProcessPrng stub DLL for wine"
    fi
    export WINEPREFIX=$cross_dir/wine-prefix WINEDEBUG=-all WINEPATH=$dlls
    # The stub before wine's own DLL; no prompts to install Mono or Gecko into the prefix.
    export WINEDLLOVERRIDES="bcryptprimitives=n,b;mscoree=;mshtml="
    if [ ! -f "$WINEPREFIX/system.reg" ]; then
        echo "making the wine prefix $WINEPREFIX" >&2
        wine wineboot --init >&2 2>/dev/null || cross_die "wine could not make its prefix in $WINEPREFIX"
        wineserver -w 2>/dev/null || true
    fi
}

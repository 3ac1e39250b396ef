#!/usr/bin/env python3
"""Checks the native artifacts of every platform laid out by scripts/build-native.

Usage: check-native.py NATIVE_DIR LLVM_BIN HEADER JNI_SOURCE CLASSIFIER...

NATIVE_DIR is <out>/META-INF/native. For each classifier: the library and the helper exist, their
.sha256 files hold their SHA-256; the file is of the platform's format and architecture; the
library exports exactly the C header's functions plus the JNI exports of the Java class that
declares them, nothing else; the libraries each file loads are the system's only (Linux: the
GNU C library; macOS: /usr/lib and /System; Windows: the system DLLs), the Linux helper has none
(static); Mach-O files have an arm64 build version for macOS with minos 11.0 and a valid ad-hoc
code signature (each page's SHA-256 as recorded). Every failure is listed; the exit status is 1
if there was one.
"""
import hashlib
import os
import re
import struct
import subprocess
import sys

FILES = {
    "linux": ("libsandbox_rs.so", "sandbox-exec"),
    "osx": ("libsandbox_rs.dylib", "sandbox-exec"),
    "windows": ("sandbox_rs.dll", "sandbox-exec.exe"),
}
# ELF e_machine, Mach-O cputype, PE machine of each architecture.
ELF_MACHINE = {"x86_64": 62, "aarch_64": 183}
MACHO_CPU = {"aarch_64": 0x0100000C, "x86_64": 0x01000007}
PE_MACHINE = {"x86_64": 0x8664, "aarch_64": 0xAA64}
# What the library may load on Linux: the GNU C library and the unwinder.
LINUX_LIBS = {"libc.so.6", "libm.so.6", "libgcc_s.so.1", "libpthread.so.0", "libdl.so.2", "librt.so.1",
              "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1"}
# What the library and the helper may import on Windows: DLLs of every Windows install
# (bcryptprimitives: Rust's random numbers since Windows 10). MinGW's own DLLs
# (libgcc_s_seh-1, libwinpthread-1) are not among them and would not be found.
WINDOWS_DLLS = {"kernel32.dll", "ntdll.dll", "advapi32.dll", "ws2_32.dll", "userenv.dll", "bcrypt.dll",
                "bcryptprimitives.dll", "msvcrt.dll", "ucrtbase.dll", "shell32.dll", "ole32.dll"}
MACHO_MINOS = (11, 0)


class Checker:
    def __init__(self, llvm_bin):
        self.llvm_bin = llvm_bin
        self.failures = []
        self.passed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
            print(f"  ok    {what}")
        else:
            self.failures.append(what)
            print(f"  FAIL  {what}")
        return ok

    def tool(self, name, *args):
        r = subprocess.run([os.path.join(self.llvm_bin, name), *args], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"{name} {' '.join(args)} failed: {r.stderr.strip()}")
        return r.stdout


def header_functions(path):
    text = open(path, encoding="utf-8").read()
    names = re.findall(r"^[A-Za-z_][\w \*]*?\b(sandbox_\w+)\s*\(", text, flags=re.M)
    if not names:
        sys.exit(f"error: no function declarations found in {path}")
    return set(names)


def jni_exports(path):
    text = open(path, encoding="utf-8").read()
    package = re.search(r"^package\s+([\w.]+)\s*;", text, flags=re.M).group(1)
    cls = os.path.splitext(os.path.basename(path))[0]
    methods = re.findall(r"\bnative\s+[\w\[\]<>]+\s+(\w+)\s*\(", text)
    if not methods:
        sys.exit(f"error: no native methods found in {path}")
    for m in methods:
        if "_" in m or not m.isascii():
            sys.exit(f"error: JNI name mangling of '{m}' is not handled by this check; extend it")
    prefix = "Java_" + package.replace(".", "_") + "_" + cls + "_"
    return {prefix + m for m in methods}


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --- ELF ---------------------------------------------------------------------------------------

def check_elf(c, path, arch, is_lib, expected):
    data = open(path, "rb").read(64)
    if not c.check(data[:4] == b"\x7fELF" and data[4] == 2, f"{path}: 64-bit ELF"):
        return
    machine = struct.unpack_from("<H", data, 18)[0]
    c.check(machine == ELF_MACHINE[arch], f"{path}: ELF machine {machine} is {arch} ({ELF_MACHINE[arch]})")
    needed = re.findall(r"^\s+(\S+)\s*$", c.tool("llvm-readobj", "--needed-libs", path).split("NeededLibraries [", 1)[-1], re.M)
    needed = [n for n in needed if n != "]"]
    if is_lib:
        extra = sorted(set(needed) - LINUX_LIBS)
        c.check(not extra, f"{path}: loads only the C library ({', '.join(needed)})" + (f"; not allowed: {extra}" if extra else ""))
        out = c.tool("llvm-nm", "-D", "--defined-only", "--extern-only", path)
        exported = {line.split()[-1].split("@")[0] for line in out.splitlines() if line.strip()}
        compare_exports(c, path, exported, expected)
    else:
        headers = c.tool("llvm-readobj", "--program-headers", path)
        c.check(not needed and "PT_INTERP" not in headers,
                f"{path}: statically linked (no interpreter, no shared libraries; has {needed or 'none'})")


def compare_exports(c, path, exported, expected):
    missing = sorted(expected - exported)
    extra = sorted(exported - expected)
    detail = ""
    if missing:
        detail += f"; missing: {missing}"
    if extra:
        detail += f"; not in the header or JNI class: {extra[:20]}{' ...' if len(extra) > 20 else ''} ({len(extra)})"
    c.check(not missing and not extra,
            f"{path}: exports exactly the header's {len([e for e in expected if not e.startswith('Java_')])} "
            f"functions and {len([e for e in expected if e.startswith('Java_')])} JNI exports{detail}")


# --- Mach-O ------------------------------------------------------------------------------------

LC_ID_DYLIB, LC_LOAD_DYLIB, LC_LOAD_WEAK_DYLIB, LC_REEXPORT_DYLIB = 0xD, 0xC, 0x80000018, 0x8000001F
LC_CODE_SIGNATURE, LC_BUILD_VERSION = 0x1D, 0x32
CS_ADHOC, CS_LINKER_SIGNED = 0x2, 0x20000


def check_macho(c, path, arch, is_lib, expected):
    data = open(path, "rb").read()
    magic, cputype, _sub, filetype, ncmds, _size, _flags = struct.unpack_from("<7I", data, 0)
    if not c.check(magic == 0xFEEDFACF, f"{path}: 64-bit Mach-O (not fat)"):
        return
    c.check(cputype == MACHO_CPU[arch], f"{path}: Mach-O cputype {cputype:#x} is {arch} ({MACHO_CPU[arch]:#x})")
    c.check(filetype == (6 if is_lib else 2), f"{path}: Mach-O file type {filetype} is {'dylib (6)' if is_lib else 'executable (2)'}")
    off = 32
    dylibs, build, sig, ident = [], None, None, None
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<2I", data, off)
        if cmd in (LC_LOAD_DYLIB, LC_LOAD_WEAK_DYLIB, LC_REEXPORT_DYLIB, LC_ID_DYLIB):
            name_off = struct.unpack_from("<I", data, off + 8)[0]
            name = data[off + name_off:off + size].split(b"\0", 1)[0].decode()
            if cmd == LC_ID_DYLIB:
                ident = name
            else:
                dylibs.append(name)
        elif cmd == LC_BUILD_VERSION:
            build = struct.unpack_from("<4I", data, off + 8)  # platform, minos, sdk, ntools
        elif cmd == LC_CODE_SIGNATURE:
            sig = struct.unpack_from("<2I", data, off + 8)  # dataoff, datasize
        off += size
    if c.check(build is not None, f"{path}: has LC_BUILD_VERSION"):
        platform, minos = build[0], build[1]
        minos_t = (minos >> 16, (minos >> 8) & 0xFF)
        c.check(platform == 1, f"{path}: build platform {platform} is macOS (1)")
        c.check(minos_t == MACHO_MINOS, f"{path}: minos {minos_t[0]}.{minos_t[1]} is {MACHO_MINOS[0]}.{MACHO_MINOS[1]}")
    foreign = [d for d in dylibs if not (d.startswith("/usr/lib/") or d.startswith("/System/Library/"))]
    c.check(dylibs and not foreign, f"{path}: loads only system libraries ({', '.join(dylibs)})" + (f"; not allowed: {foreign}" if foreign else ""))
    if is_lib:
        c.check(ident == "@rpath/libsandbox_rs.dylib", f"{path}: install name {ident} is @rpath/libsandbox_rs.dylib")
        out = c.tool("llvm-nm", "--extern-only", "--defined-only", path)
        exported = set()
        for line in out.splitlines():
            name = line.split()[-1]
            exported.add(name[1:] if name.startswith("_") else name)
        compare_exports(c, path, exported, expected)
    if c.check(sig is not None, f"{path}: has a code signature"):
        check_code_signature(c, path, data, *sig)


def check_code_signature(c, path, data, dataoff, datasize):
    blob = data[dataoff:dataoff + datasize]
    magic, _length, count = struct.unpack_from(">3I", blob, 0)
    if not c.check(magic == 0xFADE0CC0, f"{path}: signature is an embedded signature superblob"):
        return
    cd = None
    for i in range(count):
        slot, offset = struct.unpack_from(">2I", blob, 12 + 8 * i)
        if slot == 0:  # CSSLOT_CODEDIRECTORY
            cd = offset
    if not c.check(cd is not None, f"{path}: signature has a code directory"):
        return
    (cd_magic, _len, _version, flags, hash_off, ident_off, _nspecial, ncode, code_limit, hash_size, hash_type,
     _platform, page_log2) = struct.unpack_from(">9I4B", blob, cd)
    if not c.check(cd_magic == 0xFADE0C02, f"{path}: code directory magic"):
        return
    ident = blob[cd + ident_off:].split(b"\0", 1)[0].decode(errors="replace")
    c.check(flags & CS_ADHOC, f"{path}: signature is ad hoc (flags {flags:#x}, identifier {ident})")
    c.check(hash_type == 2 and hash_size == 32, f"{path}: code directory hashes are SHA-256")
    c.check(code_limit == dataoff, f"{path}: signature covers the file up to itself ({code_limit} == {dataoff})")
    page = 1 << page_log2
    bad = []
    for i in range(ncode):
        start = i * page
        h = hashlib.sha256(data[start:min(start + page, code_limit)]).digest()
        if h != blob[cd + hash_off + 32 * i:cd + hash_off + 32 * (i + 1)]:
            bad.append(i)
    c.check(ncode == (code_limit + page - 1) // page and not bad,
            f"{path}: all {ncode} page hashes of the signature match the file" + (f"; wrong pages: {bad[:10]}" if bad else ""))


# --- PE ----------------------------------------------------------------------------------------

def check_pe(c, path, arch, is_lib, expected):
    data = open(path, "rb").read(4096)
    pe = struct.unpack_from("<I", data, 0x3C)[0] if data[:2] == b"MZ" else None
    if not c.check(pe is not None and data[pe:pe + 4] == b"PE\0\0", f"{path}: PE file"):
        return
    machine = struct.unpack_from("<H", data, pe + 4)[0]
    characteristics = struct.unpack_from("<H", data, pe + 22)[0]
    c.check(machine == PE_MACHINE[arch], f"{path}: PE machine {machine:#x} is {arch} ({PE_MACHINE[arch]:#x})")
    c.check(bool(characteristics & 0x2000) == is_lib, f"{path}: {'a DLL' if is_lib else 'an executable, not a DLL'}")
    imports = re.findall(r"^\s*Name: (\S+)$", c.tool("llvm-readobj", "--coff-imports", path), re.M)
    dlls = sorted({d.lower() for d in imports if d.lower().endswith(".dll")})
    foreign = [d for d in dlls if d not in WINDOWS_DLLS and not d.startswith("api-ms-win-")]
    c.check(dlls and not foreign, f"{path}: imports only system DLLs ({', '.join(dlls)})" + (f"; not allowed: {foreign}" if foreign else ""))
    if is_lib:
        out = c.tool("llvm-readobj", "--coff-exports", path)
        exported = set(re.findall(r"^\s*Name: (\S+)$", out, re.M))
        compare_exports(c, path, exported, expected)


def main():
    if len(sys.argv) < 6:
        sys.exit(__doc__)
    native, llvm_bin, header, jni_source = sys.argv[1:5]
    classifiers = sys.argv[5:]
    expected = header_functions(header) | jni_exports(jni_source)
    c = Checker(llvm_bin)
    for classifier in classifiers:
        print(f"{classifier}:")
        os_name, arch = classifier.split("-", 1)
        d = os.path.join(native, classifier)
        for i, name in enumerate(FILES[os_name]):
            path = os.path.join(d, name)
            if not c.check(os.path.isfile(path), f"{path} exists"):
                continue
            sha_path = path + ".sha256"
            if c.check(os.path.isfile(sha_path), f"{sha_path} exists"):
                recorded = open(sha_path, encoding="ascii").read().strip()
                c.check(recorded == sha256_file(path), f"{sha_path} matches the file")
            check = {"linux": check_elf, "osx": check_macho, "windows": check_pe}[os_name]
            try:
                check(c, path, arch, i == 0, expected)
            except (RuntimeError, struct.error, ValueError, IndexError) as e:
                c.check(False, f"{path}: could not be read: {e}")
    print(f"native checks: {c.passed} passed, {len(c.failures)} failed")
    if c.failures:
        for f in c.failures:
            print(f"error: {f}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()

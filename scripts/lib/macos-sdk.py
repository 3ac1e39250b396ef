#!/usr/bin/env python3
"""Makes the minimal macOS SDK that links the arm64 library and helper with rust-lld (ld64 flavour).

Usage: macos-sdk.py LIBSYSTEM_TBD SDK_DIR

LIBSYSTEM_TBD is the text stub of libSystem that the `ziglang` wheel ships. Its target lists
name arm64e, arm64e.x1 and Mac Catalyst slices that lld does not parse, and no plain arm64 for
most libraries: every list is rewritten to the macOS slices lld knows, arm64e read as arm64
(the same symbols; arm64e only adds pointer authentication). libc and libm are libSystem, as in
Apple's SDK; libiconv (which the `libc` crate links) gets a stub of its three functions.
"""
import os
import re
import sys

KNOWN = {"x86_64-macos", "arm64-macos"}


def rewrite_targets(match):
    items = [t.strip() for t in match.group(2).split(",") if t.strip()]
    out = []
    for t in items:
        if t in ("arm64e-macos", "arm64e.x1-macos"):
            t = "arm64-macos"
        if t in KNOWN and t not in out:
            out.append(t)
    if not out:
        # A section for other platforms only; keep it parseable but unused by arm64.
        out = ["x86_64-macos"]
    return match.group(1) + "[ " + ", ".join(out) + " ]"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: macos-sdk.py LIBSYSTEM_TBD SDK_DIR")
    src, sdk = sys.argv[1], sys.argv[2]
    with open(src, encoding="utf-8") as f:
        text = f.read()
    text, n = re.subn(r"(targets:\s*)\[([^\]]*)\]", rewrite_targets, text, flags=re.S)
    if n == 0 or "'/usr/lib/libSystem.B.dylib'" not in text:
        sys.exit(f"error: {src} does not look like libSystem's text stub (no target lists or install name)")
    lib = os.path.join(sdk, "usr", "lib")
    os.makedirs(lib, exist_ok=True)
    for name in ("libSystem.tbd", "libc.tbd", "libm.tbd"):
        with open(os.path.join(lib, name), "w", encoding="utf-8") as f:
            f.write(text)
    with open(os.path.join(lib, "libiconv.tbd"), "w", encoding="utf-8") as f:
        f.write(
            "--- !tapi-tbd\n"
            "tbd-version:     4\n"
            "targets:         [ arm64-macos ]\n"
            "install-name:    '/usr/lib/libiconv.2.dylib'\n"
            "current-version: 7\n"
            "compatibility-version: 7\n"
            "exports:\n"
            "  - targets:         [ arm64-macos ]\n"
            "    symbols:         [ _iconv, _iconv_close, _iconv_open ]\n"
            "...\n"
        )
    # The SDK's version, which the linker records next to minos.
    with open(os.path.join(sdk, "SDKSettings.json"), "w", encoding="utf-8") as f:
        f.write('{"Version": "11.0", "CanonicalName": "macosx11.0"}\n')


if __name__ == "__main__":
    main()

package dev.ku0.sandbox.bindings;

/**
 * The JNI exports of {@code libsandbox_rs} ({@code native/sandbox-ffi/src/jni_exports.rs}), one
 * {@code native} method per C function. A test compares these declarations with the Rust exports.
 * Used through {@link JniBinding}; see {@link NativeBinding} for the conventions.
 */
final class JniNative {
    static {
        NativeLibrary.Loaded lib = NativeLibrary.load();
        try {
            System.load(lib.library().toString());
        } catch (UnsatisfiedLinkError e) {
            UnsatisfiedLinkError err = new UnsatisfiedLinkError("cannot load the ku0 sandbox native library "
                    + lib.library() + " (" + lib.source() + ") through JNI: " + e.getMessage()
                    + ". Use the sandbox-native JAR for this platform (" + NativeLibrary.platformClassifier()
                    + ") of the same release as sandbox-bindings.");
            err.initCause(e);
            throw err;
        }
        int v = abiVersion();
        if (v != NativeBinding.ABI_VERSION) {
            throw new UnsatisfiedLinkError("native library " + lib.library() + " has C ABI version " + v
                    + " but these bindings need " + NativeBinding.ABI_VERSION
                    + "; use the sandbox-native JAR of the same release as sandbox-bindings");
        }
    }

    private JniNative() {}

    static native int abiVersion();

    static native int engineNew(byte[] policy, byte[] workspace, byte[] home, long[] out);

    static native void engineFree(long engine);

    static native int checkFile(long engine, byte[] path, int operation, byte[] other, long size, int[] out, byte[] text);

    static native int checkNetwork(long engine, byte[] url, byte[] method, byte[] addresses, int[] out, byte[] text);

    static native int checkCommand(long engine, byte[] command, int[] out, byte[] text);

    static native int analyzeCommand(long engine, byte[] command, byte[] buf, long[] needed);

    static native int fileAuthorize(long engine, byte[] path, int operation, byte[] other, long size, long[] outAuth,
                                    int[] out, byte[] text);

    static native void fileAuthorizationFree(long auth);

    static native int fileOpenRead(long engine, long auth, long[] outFile, int[] out, byte[] text);

    static native int fileRead(long file, byte[] buf, long[] outRead);

    static native void fileClose(long file);

    static native int fileWrite(long engine, long auth, byte[] data, int[] out, byte[] text);

    static native int fileCreateDir(long engine, long auth, int[] out, byte[] text);

    static native int fileDelete(long engine, long auth, int[] out, byte[] text);

    static native int fileRename(long engine, long auth, int[] out, byte[] text);

    static native int fileList(long engine, long auth, byte[] buf, long[] needed, int[] out, byte[] text);

    static native int networkTarget(byte[] base, byte[] url, byte[] buf, long[] needed);

    static native int lastErrorCode();

    static native byte[] lastErrorMessage();

    static native byte[] decisionCodeName(int code);

    static native int selftestPanic();
}

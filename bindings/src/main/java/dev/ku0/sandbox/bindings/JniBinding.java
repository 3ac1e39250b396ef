package dev.ku0.sandbox.bindings;

import java.nio.charset.StandardCharsets;

/** The native boundary through JNI (JDK 17+): each method calls the {@link JniNative} export of the same name. */
public final class JniBinding implements NativeBinding {
    static final JniBinding INSTANCE = new JniBinding();

    private JniBinding() {}

    /** Loads the library and checks its ABI version; throws {@link UnsatisfiedLinkError} with what to do. */
    static JniBinding load() {
        JniNative.abiVersion();
        return INSTANCE;
    }

    @Override public String name() { return "jni"; }

    @Override public int abiVersion() { return JniNative.abiVersion(); }

    @Override
    public int engineNew(byte[] policy, byte[] workspace, byte[] home, long[] out) {
        return JniNative.engineNew(policy, workspace, home, out);
    }

    @Override public void engineFree(long engine) { JniNative.engineFree(engine); }

    @Override
    public int checkFile(long engine, byte[] path, int operation, byte[] other, long size, int[] out, byte[] text) {
        return JniNative.checkFile(engine, path, operation, other, size, out, text);
    }

    @Override
    public int checkNetwork(long engine, byte[] url, byte[] method, byte[] addresses, int[] out, byte[] text) {
        return JniNative.checkNetwork(engine, url, method, addresses, out, text);
    }

    @Override
    public int checkCommand(long engine, byte[] command, int[] out, byte[] text) {
        return JniNative.checkCommand(engine, command, out, text);
    }

    @Override
    public int analyzeCommand(long engine, byte[] command, byte[] buf, long[] needed) {
        return JniNative.analyzeCommand(engine, command, buf, needed);
    }

    @Override
    public int fileAuthorize(long engine, byte[] path, int operation, byte[] other, long size, long[] outAuth,
                             int[] out, byte[] text) {
        return JniNative.fileAuthorize(engine, path, operation, other, size, outAuth, out, text);
    }

    @Override public void fileAuthorizationFree(long auth) { JniNative.fileAuthorizationFree(auth); }

    @Override
    public int fileOpenRead(long engine, long auth, long[] outFile, int[] out, byte[] text) {
        return JniNative.fileOpenRead(engine, auth, outFile, out, text);
    }

    @Override public int fileRead(long file, byte[] buf, long[] outRead) { return JniNative.fileRead(file, buf, outRead); }

    @Override public void fileClose(long file) { JniNative.fileClose(file); }

    @Override
    public int fileWrite(long engine, long auth, byte[] data, int[] out, byte[] text) {
        return JniNative.fileWrite(engine, auth, data, out, text);
    }

    @Override
    public int fileCreateDir(long engine, long auth, int[] out, byte[] text) {
        return JniNative.fileCreateDir(engine, auth, out, text);
    }

    @Override
    public int fileDelete(long engine, long auth, int[] out, byte[] text) {
        return JniNative.fileDelete(engine, auth, out, text);
    }

    @Override
    public int fileRename(long engine, long auth, int[] out, byte[] text) {
        return JniNative.fileRename(engine, auth, out, text);
    }

    @Override
    public int fileList(long engine, long auth, byte[] buf, long[] needed, int[] out, byte[] text) {
        return JniNative.fileList(engine, auth, buf, needed, out, text);
    }

    @Override
    public int networkTarget(byte[] base, byte[] url, byte[] buf, long[] needed) {
        return JniNative.networkTarget(base, url, buf, needed);
    }

    @Override public int lastErrorCode() { return JniNative.lastErrorCode(); }

    @Override
    public String lastErrorMessage() {
        return new String(JniNative.lastErrorMessage(), StandardCharsets.UTF_8);
    }

    @Override
    public String decisionCodeName(int code) {
        byte[] name = JniNative.decisionCodeName(code);
        return name == null ? null : new String(name, StandardCharsets.UTF_8);
    }

    @Override public int selftestPanic() { return JniNative.selftestPanic(); }
}

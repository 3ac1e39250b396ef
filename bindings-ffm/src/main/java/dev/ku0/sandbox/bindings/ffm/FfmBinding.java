package dev.ku0.sandbox.bindings.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ku0.sandbox.bindings.Bindings;
import dev.ku0.sandbox.bindings.NativeBinding;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * The native boundary through FFM (JDK 22+): each method copies its arrays into a confined arena,
 * calls the {@link SandboxNative} downcall of the same name and copies the results back. The
 * network check is a critical downcall straight on the Java arrays (no copy).
 */
public final class FfmBinding implements NativeBinding {
    private static final FfmBinding INSTANCE = new FfmBinding(0);
    private static final long DECISION_SIZE = SandboxNative.DECISION.byteSize();
    private static final long ALIGN = SandboxNative.DECISION.byteAlignment();

    private FfmBinding(int unused) {}

    /**
     * For {@link java.util.ServiceLoader} ({@code META-INF/services} names this class, which is how
     * the module path resolves this JAR): loads the library like {@link #load()}; every instance
     * calls the same library.
     */
    public FfmBinding() {
        SandboxNative.ensureLoaded();
    }

    /**
     * Loads the library and checks its ABI version (called by {@link Bindings}).
     *
     * @return the binding; every call returns the same instance
     * @throws UnsatisfiedLinkError when the library is missing or has another ABI version
     */
    public static FfmBinding load() {
        SandboxNative.ensureLoaded();
        return INSTANCE;
    }

    @Override public String name() { return "ffm"; }

    @Override public int abiVersion() { return SandboxNative.abiVersion(); }

    private static long len(byte[] b) {
        return b == null ? 0 : b.length;
    }

    /** One native block for a call's inputs, decision struct, text and extra room. */
    private static SegmentAllocator scratch(Arena a, long bytes) {
        return SegmentAllocator.slicingAllocator(a.allocate(bytes + DECISION_SIZE + 8 * ALIGN, ALIGN));
    }

    /** {@code b} in native memory; NULL for absent or empty (the C ABI takes NULL with length 0). */
    private static MemorySegment in(SegmentAllocator s, byte[] b) {
        return b == null || b.length == 0 ? MemorySegment.NULL : s.allocateFrom(JAVA_BYTE, b);
    }

    /** Copies the decision struct and, when it fits, its text back to the Java arrays. */
    private static void back(MemorySegment d, MemorySegment text, int[] out, byte[] textOut) {
        int[] fixed = d.toArray(JAVA_INT);
        System.arraycopy(fixed, 0, out, 0, 4);
        long need = (long) fixed[2] + fixed[3];
        if (need > 0 && need <= textOut.length) {
            MemorySegment.copy(text, JAVA_BYTE, 0, textOut, 0, (int) need);
        }
    }

    private static MemorySegment handle(long h) {
        return MemorySegment.ofAddress(h);
    }

    @Override
    public int engineNew(byte[] policy, byte[] workspace, byte[] home, long[] out) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment o = a.allocate(ADDRESS);
            int status = SandboxNative.engineNew(in(a, policy), len(policy), in(a, workspace), len(workspace),
                    in(a, home), len(home), o);
            out[0] = o.get(ADDRESS, 0).address();
            return status;
        }
    }

    @Override public void engineFree(long engine) { SandboxNative.engineFree(handle(engine)); }

    @Override
    public int checkFile(long engine, byte[] path, int operation, byte[] other, long size, int[] out, byte[] text) {
        try (Arena a = Arena.ofConfined()) {
            SegmentAllocator s = scratch(a, len(path) + len(other) + text.length);
            MemorySegment p = in(s, path);
            MemorySegment o = in(s, other);
            MemorySegment d = s.allocate(SandboxNative.DECISION);
            MemorySegment t = s.allocate(text.length);
            int status = SandboxNative.checkFile(handle(engine), p, len(path), operation, o, len(other), size, d, t,
                    text.length);
            back(d, t, out, text);
            return status;
        }
    }

    @Override
    public int checkNetwork(long engine, byte[] url, byte[] method, byte[] addresses, int[] out, byte[] text) {
        // A critical downcall: the heap arrays go straight to the library.
        return SandboxNative.checkNetwork(handle(engine), heap(url), len(url), heap(method), len(method),
                heap(addresses), len(addresses), MemorySegment.ofArray(out), MemorySegment.ofArray(text), text.length);
    }

    private static MemorySegment heap(byte[] b) {
        return b == null || b.length == 0 ? MemorySegment.NULL : MemorySegment.ofArray(b);
    }

    @Override
    public int checkCommand(long engine, byte[] command, int[] out, byte[] text) {
        try (Arena a = Arena.ofConfined()) {
            SegmentAllocator s = scratch(a, len(command) + text.length);
            MemorySegment c = in(s, command);
            MemorySegment d = s.allocate(SandboxNative.DECISION);
            MemorySegment t = s.allocate(text.length);
            int status = SandboxNative.checkCommand(handle(engine), c, len(command), d, t, text.length);
            back(d, t, out, text);
            return status;
        }
    }

    @Override
    public int analyzeCommand(long engine, byte[] command, byte[] buf, long[] needed) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocate(JAVA_LONG);
            MemorySegment b = a.allocate(Math.max(1, buf.length));
            int status = SandboxNative.analyzeCommand(handle(engine), in(a, command), len(command), b, buf.length, n);
            needed[0] = n.get(JAVA_LONG, 0);
            copyBack(b, buf, needed[0]);
            return status;
        }
    }

    private static void copyBack(MemorySegment from, byte[] to, long n) {
        if (n > 0 && n <= to.length) MemorySegment.copy(from, JAVA_BYTE, 0, to, 0, (int) n);
    }

    @Override
    public int fileAuthorize(long engine, byte[] path, int operation, byte[] other, long size, long[] outAuth,
                             int[] out, byte[] text) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment o = a.allocate(ADDRESS);
            MemorySegment d = a.allocate(SandboxNative.DECISION);
            MemorySegment t = a.allocate(text.length);
            int status = SandboxNative.fileAuthorize(handle(engine), in(a, path), len(path), operation, in(a, other),
                    len(other), size, o, d, t, text.length);
            outAuth[0] = o.get(ADDRESS, 0).address();
            back(d, t, out, text);
            return status;
        }
    }

    @Override public void fileAuthorizationFree(long auth) { SandboxNative.fileAuthorizationFree(handle(auth)); }

    @Override
    public int fileOpenRead(long engine, long auth, long[] outFile, int[] out, byte[] text) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocate(ADDRESS);
            MemorySegment size = a.allocate(JAVA_LONG);
            MemorySegment d = a.allocate(SandboxNative.DECISION);
            MemorySegment t = a.allocate(text.length);
            int status = SandboxNative.fileOpenRead(handle(engine), handle(auth), f, size, d, t, text.length);
            outFile[0] = f.get(ADDRESS, 0).address();
            outFile[1] = size.get(JAVA_LONG, 0);
            back(d, t, out, text);
            return status;
        }
    }

    @Override
    public int fileRead(long file, byte[] buf, long[] outRead) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocate(JAVA_LONG);
            MemorySegment b = a.allocate(Math.max(1, buf.length));
            int status = SandboxNative.fileRead(handle(file), b, buf.length, n);
            outRead[0] = n.get(JAVA_LONG, 0);
            copyBack(b, buf, outRead[0]);
            return status;
        }
    }

    @Override public void fileClose(long file) { SandboxNative.fileClose(handle(file)); }

    @Override
    public int fileWrite(long engine, long auth, byte[] data, int[] out, byte[] text) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment d = a.allocate(SandboxNative.DECISION);
            MemorySegment t = a.allocate(text.length);
            int status = SandboxNative.fileWrite(handle(engine), handle(auth), in(a, data), len(data), d, t, text.length);
            back(d, t, out, text);
            return status;
        }
    }

    @FunctionalInterface
    private interface AuthOp {
        int call(MemorySegment engine, MemorySegment auth, MemorySegment out, MemorySegment text, long cap);
    }

    private static int authOp(AuthOp op, long engine, long auth, int[] out, byte[] text) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment d = a.allocate(SandboxNative.DECISION);
            MemorySegment t = a.allocate(text.length);
            int status = op.call(handle(engine), handle(auth), d, t, text.length);
            back(d, t, out, text);
            return status;
        }
    }

    @Override
    public int fileCreateDir(long engine, long auth, int[] out, byte[] text) {
        return authOp(SandboxNative::fileCreateDir, engine, auth, out, text);
    }

    @Override
    public int fileDelete(long engine, long auth, int[] out, byte[] text) {
        return authOp(SandboxNative::fileDelete, engine, auth, out, text);
    }

    @Override
    public int fileRename(long engine, long auth, int[] out, byte[] text) {
        return authOp(SandboxNative::fileRename, engine, auth, out, text);
    }

    @Override
    public int fileList(long engine, long auth, byte[] buf, long[] needed, int[] out, byte[] text) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocate(JAVA_LONG);
            MemorySegment b = a.allocate(Math.max(1, buf.length));
            MemorySegment d = a.allocate(SandboxNative.DECISION);
            MemorySegment t = a.allocate(text.length);
            int status = SandboxNative.fileList(handle(engine), handle(auth), b, buf.length, n, d, t, text.length);
            needed[0] = n.get(JAVA_LONG, 0);
            copyBack(b, buf, needed[0]);
            back(d, t, out, text);
            return status;
        }
    }

    @Override
    public int networkTarget(byte[] base, byte[] url, byte[] buf, long[] needed) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocate(JAVA_LONG);
            MemorySegment b = a.allocate(Math.max(1, buf.length));
            int status = SandboxNative.networkTarget(in(a, base), len(base), in(a, url), len(url), b, buf.length, n);
            needed[0] = n.get(JAVA_LONG, 0);
            copyBack(b, buf, needed[0]);
            return status;
        }
    }

    @Override public int lastErrorCode() { return SandboxNative.lastErrorCode(); }

    @Override public String lastErrorMessage() { return SandboxNative.lastError().message(); }

    @Override public String decisionCodeName(int code) { return SandboxNative.decisionCodeName(code); }

    @Override public int selftestPanic() { return SandboxNative.selftestPanic(); }
}

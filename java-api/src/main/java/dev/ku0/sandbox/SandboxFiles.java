package dev.ku0.sandbox;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ku0.sandbox.bindings.SandboxNative;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The enforcing file operations of a {@link SandboxManager}: read, write, create, create a
 * directory, delete, list and move, done by the native library so that a change of the file
 * system between the check and the operation cannot lead them elsewhere.
 *
 * <p>Each operation takes two steps. {@link #authorize(FileAccess)} checks the access and binds
 * the decision to the physical paths the check judged (links resolved, no {@code ..}). The
 * operation then walks exactly those paths from a held handle on the matched root, one component
 * at a time, without following links, and checks the opened descriptors (their identity and real
 * path) against the policy before it reads or changes anything. A link or a blocked directory
 * swapped in after the check makes the operation throw {@link SandboxViolationException} with
 * {@link DecisionCode#PATH_CHANGED} (or the code of the entry it would have reached); nothing is
 * read or written. Details: {@code docs/filesystem.md}.
 *
 * <pre>{@code
 * SandboxFiles files = sandbox.files();
 * try (SandboxFiles.Authorization a = files.authorize(FileAccess.of("src/Main.java", FileOperation.READ))) {
 *     byte[] content = files.readAllBytes(a);
 * }
 * }</pre>
 *
 * <p>Refusals are recorded in the manager's violation log. Failures that are not refusals (not
 * found, already exists, not empty, I/O) throw {@link SandboxException} with code {@code IO}.
 * The operations need Linux; elsewhere they throw {@link SandboxException} with code
 * {@code UNSUPPORTED}.
 */
public final class SandboxFiles {
    private static final Cleaner CLEANER = Cleaner.create();
    /** Room for a decision's reason and rule; paths are at most 4 KiB, reasons name two of them. */
    private static final int TEXT_CAPACITY = 16 * 1024;
    private static final int LIST_CAPACITY = 64 * 1024;
    private static final int READ_CHUNK = 64 * 1024;

    private final SandboxManager manager;

    SandboxFiles(SandboxManager manager) {
        this.manager = manager;
    }

    /**
     * Checks {@code access} and returns an authorization bound to the paths that were judged.
     * Close it when done (a forgotten one is freed when garbage-collected). An authorization is
     * immutable, may be used from any thread and more than once; each use verifies the file
     * system again.
     *
     * @throws SandboxViolationException when the policy refuses the access (recorded as a violation)
     */
    public Authorization authorize(FileAccess access) {
        Objects.requireNonNull(access, "access");
        MemorySegment engine = manager.engineHandle();
        byte[] path = Utf8.encode(access.path());
        byte[] other = access.other() == null ? null : Utf8.encode(access.other());
        if (path == null || (access.other() != null && other == null)) {
            throw refused(Decision.deny(DecisionCode.INVALID_PATH, "path is not valid Unicode (unpaired surrogate)"),
                    SandboxManager.fileAction(access));
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = SandboxManager.bytes(a, path);
            MemorySegment o = other == null ? MemorySegment.NULL : SandboxManager.bytes(a, other);
            long olen = other == null ? 0 : other.length;
            MemorySegment outAuth = a.allocate(ADDRESS);
            MemorySegment out = a.allocate(SandboxNative.DECISION);
            MemorySegment text = a.allocate(TEXT_CAPACITY);
            int status = SandboxNative.fileAuthorize(engine, p, path.length, access.operation().number(), o, olen,
                    access.size(), outAuth, out, text, TEXT_CAPACITY);
            if (status == SandboxException.Code.DENIED.number()) throw refused(decision(out, text, true), SandboxManager.fileAction(access));
            if (status != SandboxNative.OK) throw SandboxManager.nativeError(status);
            return new Authorization(access, decision(out, text, false), outAuth.get(ADDRESS, 0));
        }
    }

    /**
     * Opens the regular file a {@link FileOperation#READ} authorization allowed. The stream reads
     * the very file that was verified; use it from one thread and close it.
     *
     * @throws SandboxViolationException when the file system no longer matches what was authorized
     */
    public InputStream openRead(Authorization auth) {
        require(auth, EnumSet.of(FileOperation.READ));
        MemorySegment engine = manager.engineHandle();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment outFile = a.allocate(ADDRESS);
            MemorySegment outSize = a.allocate(JAVA_LONG);
            MemorySegment out = a.allocate(SandboxNative.DECISION);
            MemorySegment text = a.allocate(TEXT_CAPACITY);
            int status = SandboxNative.fileOpenRead(engine, auth.handle(), outFile, outSize, out, text, TEXT_CAPACITY);
            check(status, out, text, auth);
            return new NativeFileInputStream(outFile.get(ADDRESS, 0));
        }
    }

    /** Reads the whole file a {@link FileOperation#READ} authorization allowed. */
    public byte[] readAllBytes(Authorization auth) {
        try (InputStream in = openRead(auth)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new SandboxException(SandboxException.Code.IO, SandboxManager.fileAction(auth.access()) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code data} where a {@link FileOperation#WRITE} authorization (file created or
     * replaced, missing parent directories created) or a {@link FileOperation#CREATE}
     * authorization (the file must not exist) allowed, bounded by {@code limits.max_file_size}.
     * The file is truncated only after the opened descriptor was verified.
     */
    public void write(Authorization auth, byte[] data) {
        Objects.requireNonNull(data, "data");
        require(auth, EnumSet.of(FileOperation.WRITE, FileOperation.CREATE));
        MemorySegment engine = manager.engineHandle();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment d = SandboxManager.bytes(a, data);
            MemorySegment out = a.allocate(SandboxNative.DECISION);
            MemorySegment text = a.allocate(TEXT_CAPACITY);
            int status = SandboxNative.fileWrite(engine, auth.handle(), d, data.length, out, text, TEXT_CAPACITY);
            check(status, out, text, auth);
        }
    }

    /** Creates the directory (and missing parents) a {@link FileOperation#CREATE_DIR} authorization allowed. */
    public void createDirectory(Authorization auth) {
        require(auth, EnumSet.of(FileOperation.CREATE_DIR));
        simple(auth, (engine, h, out, text) -> SandboxNative.fileCreateDir(engine, h, out, text, TEXT_CAPACITY));
    }

    /** Deletes the file, link (never its target) or empty directory a {@link FileOperation#DELETE} authorization allowed. */
    public void delete(Authorization auth) {
        require(auth, EnumSet.of(FileOperation.DELETE));
        simple(auth, (engine, h, out, text) -> SandboxNative.fileDelete(engine, h, out, text, TEXT_CAPACITY));
    }

    /** Moves the entry a {@link FileOperation#RENAME} authorization allowed; the destination must not exist. */
    public void move(Authorization auth) {
        require(auth, EnumSet.of(FileOperation.RENAME));
        simple(auth, (engine, h, out, text) -> SandboxNative.fileRename(engine, h, out, text, TEXT_CAPACITY));
    }

    /**
     * Lists the directory a {@link FileOperation#LIST} authorization allowed, sorted by name.
     * Entries the policy would not let the caller read (blocked, protected, hidden when hidden
     * files are off) are left out.
     */
    public List<DirectoryEntry> list(Authorization auth) {
        require(auth, EnumSet.of(FileOperation.LIST));
        MemorySegment engine = manager.engineHandle();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment needed = a.allocate(JAVA_LONG);
            MemorySegment out = a.allocate(SandboxNative.DECISION);
            MemorySegment text = a.allocate(TEXT_CAPACITY);
            long cap = LIST_CAPACITY;
            MemorySegment buf = a.allocate(cap);
            int status = SandboxNative.fileList(engine, auth.handle(), buf, cap, needed, out, text, TEXT_CAPACITY);
            while (status == SandboxManager.STATUS_BUFFER_TOO_SMALL) {
                // The directory grew between the calls, or the first buffer was too small.
                cap = Math.max(needed.get(JAVA_LONG, 0), cap * 2);
                buf = a.allocate(cap);
                status = SandboxNative.fileList(engine, auth.handle(), buf, cap, needed, out, text, TEXT_CAPACITY);
            }
            check(status, out, text, auth);
            byte[] records = buf.asSlice(0, needed.get(JAVA_LONG, 0)).toArray(JAVA_BYTE);
            List<DirectoryEntry> entries = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < records.length; i++) {
                if (records[i] == 0) {
                    String name = new String(records, start + 1, i - start - 1, StandardCharsets.UTF_8);
                    entries.add(new DirectoryEntry(name, DirectoryEntry.Kind.fromLetter((char) records[start])));
                    start = i + 1;
                }
            }
            return List.copyOf(entries);
        }
    }

    /** A file access the policy allowed, bound to the physical paths that were judged. */
    public static final class Authorization implements AutoCloseable {
        private final FileAccess access;
        private final Decision decision;
        private final Arena arena;
        private final MemorySegment handle;
        private final Cleaner.Cleanable cleanable;

        private Authorization(FileAccess access, Decision decision, MemorySegment raw) {
            this.access = access;
            this.decision = decision;
            this.arena = Arena.ofShared();
            this.handle = raw.reinterpret(arena, SandboxNative::fileAuthorizationFree);
            this.cleanable = CLEANER.register(this, new SandboxManager.ArenaCloser(arena));
        }

        /** The access that was authorized. */
        public FileAccess access() {
            return access;
        }

        /** The allow decision (its reason names the physical path, its rule the root that allowed it). */
        public Decision decision() {
            return decision;
        }

        MemorySegment handle() {
            if (!arena.scope().isAlive()) throw new IllegalStateException("this authorization is closed");
            return handle;
        }

        /** Frees the native authorization. Closing twice is harmless. */
        @Override
        public void close() {
            cleanable.clean();
        }
    }

    /** A stream over a file opened by the native library; closing it closes the file. */
    private static final class NativeFileInputStream extends InputStream {
        private final Arena arena = Arena.ofShared();
        private final MemorySegment file;
        private final MemorySegment buffer;
        private final MemorySegment count;
        private final Cleaner.Cleanable cleanable;
        private boolean closed;

        NativeFileInputStream(MemorySegment raw) {
            this.file = raw.reinterpret(arena, SandboxNative::fileClose);
            this.buffer = arena.allocate(READ_CHUNK);
            this.count = arena.allocate(JAVA_LONG);
            this.cleanable = CLEANER.register(this, new SandboxManager.ArenaCloser(arena));
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (closed) throw new IOException("stream closed");
            if (len == 0) return 0;
            int status = SandboxNative.fileRead(file, buffer, Math.min(len, READ_CHUNK), count);
            if (status != SandboxNative.OK) {
                throw new IOException(SandboxManager.nativeError(status).getMessage());
            }
            int n = (int) count.get(JAVA_LONG, 0);
            if (n == 0) return -1;
            MemorySegment.copy(buffer, JAVA_BYTE, 0, b, off, n);
            return n;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized void close() {
            closed = true;
            cleanable.clean();
        }
    }

    @FunctionalInterface
    private interface Call {
        int call(MemorySegment engine, MemorySegment auth, MemorySegment out, MemorySegment text);
    }

    private void simple(Authorization auth, Call call) {
        MemorySegment engine = manager.engineHandle();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(SandboxNative.DECISION);
            MemorySegment text = a.allocate(TEXT_CAPACITY);
            check(call.call(engine, auth.handle(), out, text), out, text, auth);
        }
    }

    private static void require(Authorization auth, Set<FileOperation> ops) {
        Objects.requireNonNull(auth, "auth");
        if (!ops.contains(auth.access().operation())) {
            throw new IllegalArgumentException("an authorization for " + auth.access().operation().jsonName()
                    + " cannot be used for " + ops.iterator().next().jsonName());
        }
    }

    /** A refusal throws (and is recorded); other failures become a {@link SandboxException}. */
    private void check(int status, MemorySegment out, MemorySegment text, Authorization auth) {
        if (status == SandboxNative.OK) return;
        if (status == SandboxException.Code.DENIED.number()) throw refused(decision(out, text, true), SandboxManager.fileAction(auth.access()));
        throw SandboxManager.nativeError(status);
    }

    private SandboxViolationException refused(Decision d, String action) {
        manager.recordFileRefusal(d, action);
        return new SandboxViolationException(action, d);
    }

    /**
     * Decodes a decision. Its text is written only when it fits; a refusal's reason is also the
     * thread's last error, which is read right after the call.
     */
    private static Decision decision(MemorySegment out, MemorySegment text, boolean refusal) {
        long need = (long) SandboxNative.reasonLength(out) + SandboxNative.ruleLength(out);
        if (need <= TEXT_CAPACITY) return SandboxManager.decode(out, text);
        String reason = refusal ? SandboxNative.lastError().message() : "allowed";
        return new Decision(Verdict.fromNative(SandboxNative.verdict(out)),
                DecisionCode.fromNumber(SandboxNative.code(out)), reason, null);
    }

}

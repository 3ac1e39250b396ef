package dev.ku0.sandbox;

import dev.ku0.sandbox.bindings.NativeBinding;
import java.io.IOException;
import java.io.InputStream;
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
 * found, already exists, not empty, I/O) throw {@link SandboxException} with code {@code NOT_FOUND},
 * {@code ALREADY_EXISTS}, {@code NOT_EMPTY} or {@code IO}.
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
     * @param access the file access
     * @return the authorization; close it when done
     * @throws SandboxViolationException when the policy refuses the access (recorded as a violation)
     */
    public Authorization authorize(FileAccess access) {
        Objects.requireNonNull(access, "access");
        NativeBinding nb = manager.binding();
        NativeHandle engine = manager.engine();
        byte[] path = Utf8.encode(access.path());
        byte[] other = access.other() == null ? null : Utf8.encode(access.other());
        if (path == null || (access.other() != null && other == null)) {
            throw refused(Decision.deny(DecisionCode.INVALID_PATH, "path is not valid Unicode (unpaired surrogate)"),
                    SandboxManager.fileAction(access));
        }
        long[] outAuth = new long[1];
        int[] out = new int[4];
        byte[] text = new byte[TEXT_CAPACITY];
        Decision refusal;
        long h = engine.acquire();
        try {
            int status = nb.fileAuthorize(h, path, access.operation().number(), other, access.size(), outAuth, out, text);
            if (status == SandboxException.Code.DENIED.number()) {
                refusal = decision(nb, out, text, true);
            } else if (status != NativeBinding.OK) {
                throw SandboxManager.nativeError(nb, status);
            } else {
                return new Authorization(access, decision(nb, out, text, false), nb, outAuth[0]);
            }
        } finally {
            engine.release();
        }
        throw refused(refusal, SandboxManager.fileAction(access));
    }

    /**
     * Opens the regular file a {@link FileOperation#READ} authorization allowed. The stream reads
     * the very file that was verified; use it from one thread and close it.
     *
     * @param auth the authorization the native library gave for the access
     * @return a stream of the file's bytes; close it when done
     * @throws SandboxViolationException when the file system no longer matches what was authorized
     */
    public InputStream openRead(Authorization auth) {
        require(auth, EnumSet.of(FileOperation.READ));
        long[] outFile = new long[2];
        run(auth, (nb, e, a, out, text) -> nb.fileOpenRead(e, a, outFile, out, text));
        return new NativeFileInputStream(manager.binding(), outFile[0]);
    }

    /**
     * Reads the whole file a {@link FileOperation#READ} authorization allowed.
     *
     * @param auth the authorization the native library gave for the access
     * @return the file's content
     */
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
     *
     * @param auth the authorization the native library gave for the access
     * @param data the bytes to write
     */
    public void write(Authorization auth, byte[] data) {
        Objects.requireNonNull(data, "data");
        require(auth, EnumSet.of(FileOperation.WRITE, FileOperation.CREATE));
        run(auth, (nb, e, a, out, text) -> nb.fileWrite(e, a, data, out, text));
    }

    /**
     * Creates the directory (and missing parents) a {@link FileOperation#CREATE_DIR} authorization allowed.
     *
     * @param auth the authorization the native library gave for the access
     */
    public void createDirectory(Authorization auth) {
        require(auth, EnumSet.of(FileOperation.CREATE_DIR));
        run(auth, NativeBinding::fileCreateDir);
    }

    /**
     * Deletes the file, link (never its target) or empty directory a {@link FileOperation#DELETE} authorization allowed.
     *
     * @param auth the authorization the native library gave for the access
     */
    public void delete(Authorization auth) {
        require(auth, EnumSet.of(FileOperation.DELETE));
        run(auth, NativeBinding::fileDelete);
    }

    /**
     * Moves the entry a {@link FileOperation#RENAME} authorization allowed; the destination must not exist.
     *
     * @param auth the authorization the native library gave for the access
     */
    public void move(Authorization auth) {
        require(auth, EnumSet.of(FileOperation.RENAME));
        run(auth, NativeBinding::fileRename);
    }

    /**
     * Lists the directory a {@link FileOperation#LIST} authorization allowed, sorted by name.
     * Entries the policy would not let the caller read (blocked, protected, hidden when hidden
     * files are off) are left out.
     *
     * @param auth the authorization the native library gave for the access
     * @return the entries, sorted by name
     */
    public List<DirectoryEntry> list(Authorization auth) {
        require(auth, EnumSet.of(FileOperation.LIST));
        long[] needed = new long[1];
        byte[][] buf = {new byte[LIST_CAPACITY]};
        run(auth, (nb, e, a, out, text) -> {
            int status = nb.fileList(e, a, buf[0], needed, out, text);
            while (status == SandboxManager.STATUS_BUFFER_TOO_SMALL) {
                // The directory grew between the calls, or the first buffer was too small.
                buf[0] = new byte[Math.toIntExact(Math.max(needed[0], 2L * buf[0].length))];
                status = nb.fileList(e, a, buf[0], needed, out, text);
            }
            return status;
        });
        byte[] records = buf[0];
        int end = (int) needed[0];
        List<DirectoryEntry> entries = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < end; i++) {
            if (records[i] == 0) {
                String name = new String(records, start + 1, i - start - 1, StandardCharsets.UTF_8);
                entries.add(new DirectoryEntry(name, DirectoryEntry.Kind.fromLetter((char) records[start])));
                start = i + 1;
            }
        }
        return List.copyOf(entries);
    }

    /** A file access the policy allowed, bound to the physical paths that were judged. */
    public static final class Authorization implements AutoCloseable {
        private final FileAccess access;
        private final Decision decision;
        private final NativeHandle handle;
        private final Cleaner.Cleanable cleanable;

        private Authorization(FileAccess access, Decision decision, NativeBinding nb, long raw) {
            this.access = access;
            this.decision = decision;
            this.handle = new NativeHandle(raw, nb::fileAuthorizationFree, "authorization");
            this.cleanable = CLEANER.register(this, handle);
        }

        /** {@return the access that was authorized} */
        public FileAccess access() {
            return access;
        }

        /** {@return the allow decision (its reason names the physical path, its rule the root that allowed it)} */
        public Decision decision() {
            return decision;
        }

        NativeHandle handle() {
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
        private final NativeBinding nb;
        private final NativeHandle file;
        private final byte[] buffer = new byte[READ_CHUNK];
        private final long[] count = new long[1];
        private final Cleaner.Cleanable cleanable;
        private boolean closed;

        NativeFileInputStream(NativeBinding nb, long raw) {
            this.nb = nb;
            this.file = new NativeHandle(raw, nb::fileClose, "stream");
            this.cleanable = CLEANER.register(this, file);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (closed) throw new IOException("stream closed");
            if (len == 0) return 0;
            int want = Math.min(len, READ_CHUNK);
            // The library fills a whole array: the caller's when it is exactly that, else ours.
            byte[] into = off == 0 && b.length == want ? b : want == READ_CHUNK ? buffer : new byte[want];
            long h = file.acquire();
            int n;
            try {
                int status = nb.fileRead(h, into, count);
                if (status != NativeBinding.OK) {
                    throw new IOException(SandboxManager.nativeError(nb, status).getMessage());
                }
                n = (int) count[0];
            } finally {
                file.release();
            }
            if (n == 0) return -1;
            if (into != b) System.arraycopy(into, 0, b, off, n);
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
        int call(NativeBinding nb, long engine, long auth, int[] out, byte[] text);
    }

    /** Runs an operation on an authorization: both handles held for the call; a refusal throws. */
    private void run(Authorization auth, Call call) {
        NativeBinding nb = manager.binding();
        NativeHandle engine = manager.engine();
        int[] out = new int[4];
        byte[] text = new byte[TEXT_CAPACITY];
        Decision refusal;
        long e = engine.acquire();
        try {
            long a = auth.handle().acquire();
            try {
                int status = call.call(nb, e, a, out, text);
                if (status == NativeBinding.OK) return;
                if (status != SandboxException.Code.DENIED.number()) throw SandboxManager.nativeError(nb, status);
                refusal = decision(nb, out, text, true);
            } finally {
                auth.handle().release();
            }
        } finally {
            engine.release();
        }
        throw refused(refusal, SandboxManager.fileAction(auth.access()));
    }

    private static void require(Authorization auth, Set<FileOperation> ops) {
        Objects.requireNonNull(auth, "auth");
        if (!ops.contains(auth.access().operation())) {
            throw new IllegalArgumentException("an authorization for " + auth.access().operation().jsonName()
                    + " cannot be used for " + ops.iterator().next().jsonName());
        }
    }

    private SandboxViolationException refused(Decision d, String action) {
        manager.recordFileRefusal(d, action);
        return new SandboxViolationException(action, d);
    }

    /**
     * Decodes a decision. Its text is written only when it fits; a refusal's reason is also the
     * thread's last error, which is read right after the call.
     */
    private static Decision decision(NativeBinding nb, int[] out, byte[] text, boolean refusal) {
        long need = (long) out[2] + out[3];
        if (need <= text.length) return SandboxManager.decode(out, text);
        String reason = refusal ? nb.lastErrorMessage() : "allowed";
        return new Decision(Verdict.fromNative(out[0]), DecisionCode.fromNumber(out[1]), reason, null);
    }
}

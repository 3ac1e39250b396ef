package dev.ku0.sandbox.bindings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The trusted record of a verified extraction: {@code <name>.verified} next to the extracted
 * file, holding the SHA-256 it was verified against and the file's identity at that time (device,
 * inode, size, modification and change time, owner, mode). A start that finds the file with the
 * same identity, the record and the file owned by this user and not writable by group or others,
 * and every directory from the cache to {@code /} safe, uses the file without hashing it again.
 *
 * <p>The change time ({@code ctime}) is the check that matters: no unprivileged process can set
 * it, and every write, rename over, {@code chmod} or restored modification time moves it forward.
 * A record is only written for a file whose last change is older than {@link #settleMillis}, so
 * that a change in the same clock tick as the verification (timestamps are coarse) cannot go
 * unseen. Anything unexpected means "no record": the caller then verifies the whole file, as
 * without a record. The record adds no trust beyond the directory's: whoever can write it (this
 * user, root) could replace the file itself.
 */
final class VerifiedRecord {
    /** The record's suffix next to the verified file. */
    static final String SUFFIX = ".verified";
    private static final String FORMAT = "ku0-sandbox-verified 1";
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    /** POSIX mode bits: write for group and others, and the sticky bit. */
    private static final int GROUP_OTHER_WRITE = 0022;
    private static final int STICKY = 01000;

    /**
     * How long a file must have been unchanged before a record vouches for it: longer than the
     * coarsest timestamp granularity of the file systems a cache directory is likely on (1 s).
     * Tests lower it.
     */
    static volatile long settleMillis = 2_000;

    private VerifiedRecord() {}

    /** The identity of a file as {@code lstat} sees it; {@code null} when unavailable. */
    record Identity(long dev, long ino, long size, long mtimeNanos, long ctimeNanos, int uid, int mode) {
        static Identity of(Path p) {
            try {
                Map<String, Object> a = Files.readAttributes(p,
                        "unix:dev,ino,size,lastModifiedTime,ctime,uid,mode,isRegularFile", NOFOLLOW);
                if (!Boolean.TRUE.equals(a.get("isRegularFile"))) return null;
                return new Identity((Long) a.get("dev"), (Long) a.get("ino"), (Long) a.get("size"),
                        nanos(a.get("lastModifiedTime")), nanos(a.get("ctime")), (Integer) a.get("uid"),
                        (Integer) a.get("mode"));
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
                return null;
            }
        }

        private static long nanos(Object t) {
            return ((FileTime) t).to(TimeUnit.NANOSECONDS);
        }

        String line() {
            return "dev=" + dev + " ino=" + ino + " size=" + size + " mtime=" + mtimeNanos + " ctime=" + ctimeNanos
                    + " uid=" + uid + " mode=" + Integer.toOctalString(mode);
        }
    }

    /**
     * Whether {@code file} is still the file verified against {@code sha256}: the record says so,
     * and the file, the record and the path to them pass the cheap checks. Never throws.
     */
    static boolean vouchesFor(Path file, String sha256) {
        Path recordPath = recordOf(file);
        int me = processUid();
        if (me < 0 || !safePath(file.getParent(), me)) return false;
        Identity rec = Identity.of(recordPath);
        if (rec == null || rec.uid() != me || (rec.mode() & GROUP_OTHER_WRITE) != 0 || rec.size() > 4096) {
            return false;
        }
        Identity now = Identity.of(file);
        if (now == null || now.uid() != me || (now.mode() & GROUP_OTHER_WRITE) != 0) return false;
        try {
            String text = Files.readString(recordPath, StandardCharsets.US_ASCII);
            return text.equals(content(sha256, now));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Records that {@code file} had the SHA-256 {@code sha256} with the identity {@code before}
     * (taken before it was hashed). Writes nothing when the file changed since, changed too
     * recently to be told apart from a later change, or is not private; a failure to write only
     * costs the next start a full verification.
     */
    static void write(Path file, String sha256, Identity before, long wallClockBeforeMillis) {
        try {
            Files.deleteIfExists(recordOf(file));
            int me = processUid();
            Identity after = Identity.of(file);
            if (before == null || !before.equals(after) || me < 0 || before.uid() != me
                    || (before.mode() & GROUP_OTHER_WRITE) != 0
                    || before.ctimeNanos() > TimeUnit.MILLISECONDS.toNanos(wallClockBeforeMillis - settleMillis)) {
                return;
            }
            Path dir = file.getParent();
            Path tmp = Files.createTempFile(dir, file.getFileName() + SUFFIX, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(tmp, content(sha256, before), StandardCharsets.US_ASCII);
                try {
                    Files.move(tmp, recordOf(file), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, recordOf(file), StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | RuntimeException e) {
            // No record: the next start verifies the whole file again.
        }
    }

    static Path recordOf(Path file) {
        return file.resolveSibling(file.getFileName() + SUFFIX);
    }

    private static String content(String sha256, Identity id) {
        return FORMAT + "\nsha256=" + sha256 + "\n" + id.line() + "\n";
    }

    /**
     * Every directory from {@code dir} up to {@code /} is owned by this user or root and is not
     * writable by group or others, unless sticky (like {@code /tmp}); {@code dir} itself must be
     * this user's and never group- or world-writable. Otherwise someone else could swap a part of
     * the path, and the record would vouch for nothing.
     */
    static boolean safePath(Path dir, int me) {
        Path d = dir.toAbsolutePath();
        boolean first = true;
        while (d != null) {
            try {
                Map<String, Object> a = Files.readAttributes(d, "unix:uid,mode,isDirectory", NOFOLLOW);
                if (!Boolean.TRUE.equals(a.get("isDirectory"))) return false;
                int uid = (Integer) a.get("uid");
                int mode = (Integer) a.get("mode");
                if (first) {
                    if (uid != me || (mode & GROUP_OTHER_WRITE) != 0) return false;
                } else if ((uid != me && uid != 0) || ((mode & GROUP_OTHER_WRITE) != 0 && (mode & STICKY) == 0)) {
                    return false;
                }
            } catch (IOException | RuntimeException e) {
                return false;
            }
            first = false;
            d = d.getParent();
        }
        return true;
    }

    /** This process's user id (the owner of {@code /proc/self} on Linux), or -1 where unknown. */
    static int processUid() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid instanceof Integer i ? i : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}

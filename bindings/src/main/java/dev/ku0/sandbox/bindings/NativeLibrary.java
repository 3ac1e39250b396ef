package dev.ku0.sandbox.bindings;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds and verifies the native library {@code sandbox_rs}; the bindings load it.
 *
 * <p>Order:
 * <ol>
 *   <li>the system property {@value #LIBRARY_PATH_PROPERTY}: an explicit path to the library file;</li>
 *   <li>the {@code sandbox-native} JAR on the class path, for one platform (with a classifier) or
 *       for all (without; it lists them in {@code META-INF/native/platforms}): from
 *       {@code META-INF/native/<classifier>/} of the running platform, the library and its {@code .sha256} are read,
 *       the hash is checked, and the file is extracted to a content-addressed directory
 *       ({@code <cache>/<sha256>/}) that must not be group- or world-writable; the extracted
 *       file's hash is checked again before it is loaded. After that full check a
 *       {@code VerifiedRecord} next to the file notes its identity; a later start that finds the
 *       same file (device, inode, size, times, owner, mode) on a path only this user or root can
 *       change uses it without reading or hashing the library again.</li>
 * </ol>
 * A missing platform fails with a message naming the classifier dependency to add.
 *
 * <p>The {@code sandbox-exec} helper is found the same way, next to the library, and is
 * never looked up on {@code PATH}.
 */
public final class NativeLibrary {
    /** System property: explicit path of the native library file. */
    public static final String LIBRARY_PATH_PROPERTY = "ku0.sandbox.library.path";
    /** System property: explicit path of the {@code sandbox-exec} helper. */
    public static final String HELPER_PATH_PROPERTY = "ku0.sandbox.helper.path";
    /** System property: where classifier-JAR files are extracted (default {@code ~/.cache/ku0-sandbox}). */
    public static final String CACHE_DIR_PROPERTY = "ku0.sandbox.cache.dir";

    /** The list of platforms in an all-platforms {@code sandbox-native} JAR, one classifier a line. */
    static final String PLATFORMS_INDEX = "META-INF/native/platforms";

    private static final Object LOCK = new Object();
    private static volatile Loaded loaded;

    private NativeLibrary() {}

    /**
     * The verified library file, ready to be loaded by a binding (FFM opens it with a symbol
     * lookup, JNI with {@link System#load}), and where it came from.
     *
     * @param library the absolute path of the verified library file
     * @param helper the verified {@code sandbox-exec} helper, empty where the platform has none
     * @param source where the library came from, for messages (the system property, or the
     *     class-path resource it was extracted from)
     */
    public record Loaded(Path library, Optional<Path> helper, String source) {}

    /**
     * The loaded library, loading it on first use.
     *
     * @return the verified library file, its helper and where they came from
     * @throws UnsatisfiedLinkError when no library for this platform is found or its checksum
     *     does not match; the message says which artifact to add
     */
    public static Loaded load() {
        Loaded l = loaded;
        if (l == null) {
            synchronized (LOCK) {
                l = loaded;
                if (l == null) {
                    l = doLoad();
                    loaded = l;
                }
            }
        }
        return l;
    }

    /**
     * The verified {@code sandbox-exec} helper next to the library, if the platform has one.
     *
     * @return the helper's absolute path, or empty where the platform has no helper
     */
    public static Optional<Path> helperPath() {
        return load().helper();
    }

    /**
     * The os-maven-plugin style classifier of this JVM's platform.
     *
     * @return the classifier, such as {@code linux-x86_64} or {@code osx-aarch_64}
     */
    public static String platformClassifier() {
        return classifier(System.getProperty("os.name"), System.getProperty("os.arch"));
    }

    static String classifier(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux"
                : os.startsWith("mac") || os.startsWith("darwin") ? "osx"
                : os.startsWith("windows") ? "windows"
                : os.replaceAll("[^a-z0-9]", "");
        String a = switch (arch) {
            case "amd64", "x86_64", "x64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch_64";
            default -> arch.replaceAll("[^a-z0-9_]", "");
        };
        return o + "-" + a;
    }

    static String libraryFileName(String classifier) {
        if (classifier.startsWith("windows")) return "sandbox_rs.dll";
        if (classifier.startsWith("osx")) return "libsandbox_rs.dylib";
        return "libsandbox_rs.so";
    }

    static String helperFileName(String classifier) {
        return classifier.startsWith("windows") ? "sandbox-exec.exe" : "sandbox-exec";
    }

    /**
     * Maven coordinates of the classifier JAR for a platform, for error messages.
     *
     * @param classifier the platform's classifier, such as {@code linux-x86_64}
     * @return {@code groupId:sandbox-native:version:classifier} of this release
     */
    public static String classifierCoordinates(String classifier) {
        Properties p = new Properties();
        try (InputStream in = NativeLibrary.class.getResourceAsStream("version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException ignored) {
            // Only used to word an error message.
        }
        return p.getProperty("groupId", "dev.ku0.sandbox") + ":sandbox-native:"
                + p.getProperty("version", "<version>") + ":" + classifier;
    }

    private static Loaded doLoad() {
        return loadFrom(NativeLibrary.class.getClassLoader(), platformClassifier(),
                System.getProperty(LIBRARY_PATH_PROPERTY));
    }

    /** The loading procedure, with its inputs explicit so that tests can drive it. */
    static Loaded loadFrom(ClassLoader cl, String classifier, String explicit) {
        if (explicit != null && !explicit.isBlank()) {
            Path lib = Path.of(explicit).toAbsolutePath();
            if (!Files.isRegularFile(lib)) {
                throw new UnsatisfiedLinkError("-D" + LIBRARY_PATH_PROPERTY + "=" + explicit
                        + " does not name a file; point it at " + libraryFileName(classifier) + " or remove it");
            }
            Optional<Path> helper = explicitHelper()
                    .or(() -> Optional.of(lib.resolveSibling(helperFileName(classifier))).filter(Files::isRegularFile));
            return new Loaded(lib, helper, "property " + LIBRARY_PATH_PROPERTY);
        }
        String base = "META-INF/native/" + classifier + "/";
        String libName = libraryFileName(classifier);
        if (cl.getResource(base + libName) == null) {
            Set<String> present = platformsOnClassPath(cl);
            String found = present.isEmpty() ? "" : " (the sandbox-native JAR there has the platforms "
                    + String.join(", ", present) + " only)";
            throw new UnsatisfiedLinkError("ku0 sandbox has no native library for platform " + classifier
                    + " on the class path" + found + ". Add the dependency " + classifierCoordinates(classifier)
                    + " (Maven: <artifactId>sandbox-native</artifactId> with <classifier>" + classifier
                    + "</classifier>), or set -D" + LIBRARY_PATH_PROPERTY + "=/path/to/" + libName + ".");
        }
        try {
            Path lib = extractVerified(cl, base, libName, null);
            Optional<Path> helper = explicitHelper();
            if (helper.isEmpty() && cl.getResource(base + helperFileName(classifier)) != null) {
                helper = Optional.of(extractVerified(cl, base, helperFileName(classifier), lib.getParent()));
            }
            // Check once more right before loading: the directory is ours, but be strict. The
            // record, when it still vouches for the file, stands for the full hash.
            String expected = readExpectedHash(cl, base + libName);
            if (!VerifiedRecord.vouchesFor(lib, expected)) verifyFile(lib, expected);
            return new Loaded(lib, helper,
                    "class path " + base + libName);
        } catch (IOException e) {
            UnsatisfiedLinkError err = new UnsatisfiedLinkError("cannot extract the ku0 sandbox native library: "
                    + e.getMessage() + " (set -D" + CACHE_DIR_PROPERTY + " to a private writable directory)");
            err.initCause(e);
            throw err;
        }
    }

    /**
     * The platforms that the all-platforms JARs on the class path declare in
     * {@value #PLATFORMS_INDEX}, sorted; empty when there is none.
     */
    static Set<String> platformsOnClassPath(ClassLoader cl) {
        Set<String> platforms = new TreeSet<>();
        try {
            Enumeration<URL> indexes = cl.getResources(PLATFORMS_INDEX);
            while (indexes.hasMoreElements()) {
                try (InputStream in = indexes.nextElement().openStream()) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                        if (!line.isBlank()) platforms.add(line.strip());
                    }
                }
            }
        } catch (IOException ignored) {
            // Only used to word an error message.
        }
        return platforms;
    }

    private static Optional<Path> explicitHelper() {
        String p = System.getProperty(HELPER_PATH_PROPERTY);
        return p == null || p.isBlank() ? Optional.empty() : Optional.of(Path.of(p).toAbsolutePath());
    }

    /**
     * Extract {@code base + name} into {@code <cache>/<sha256 of the library>/name}
     * after checking its SHA-256 against {@code name.sha256}. A file already there that a
     * {@code VerifiedRecord} still vouches for is used as it is; otherwise the JAR's bytes are
     * hashed, the file is (re)written when it differs, hashed again, and a new record is written.
     */
    private static Path extractVerified(ClassLoader cl, String base, String name, Path dirOrNull) throws IOException {
        String expected = readExpectedHash(cl, base + name);
        Path dir = dirOrNull != null ? dirOrNull : cacheRoot().resolve(expected);
        ensurePrivateDirectory(dir.getParent());
        ensurePrivateDirectory(dir);
        Path target = dir.resolve(name);
        if (VerifiedRecord.vouchesFor(target, expected)) {
            return target;
        }
        byte[] bytes;
        try (InputStream in = cl.getResourceAsStream(base + name)) {
            if (in == null) throw new IOException("resource " + base + name + " vanished");
            bytes = in.readAllBytes();
        }
        String actual = sha256(bytes);
        if (!actual.equals(expected)) {
            throw new UnsatisfiedLinkError("refusing to load " + base + name + ": its SHA-256 is " + actual
                    + " but the classifier JAR declares " + expected + "; the JAR is corrupt or was tampered with");
        }
        long clock = System.currentTimeMillis();
        VerifiedRecord.Identity before = VerifiedRecord.Identity.of(target);
        if (before == null || !sha256(Files.readAllBytes(target)).equals(expected)) {
            Path tmp = Files.createTempFile(dir, name, ".tmp");
            try {
                Files.write(tmp, bytes);
                if (supportsPosix(dir)) {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            clock = System.currentTimeMillis();
            before = VerifiedRecord.Identity.of(target);
            verifyFile(target, expected);
        }
        // Only after a full check, and only if the file did not change while it was hashed.
        VerifiedRecord.write(target, expected, before, clock);
        return target;
    }

    private static String readExpectedHash(ClassLoader cl, String resource) throws IOException {
        try (InputStream in = cl.getResourceAsStream(resource + ".sha256")) {
            if (in == null) {
                throw new UnsatisfiedLinkError("the classifier JAR has " + resource + " but no " + resource
                        + ".sha256; refusing to load an unverified library");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
            // The first word (sha256sum writes "<hash>  <name>"), read without a regex: this runs
            // on every start, and java.util.regex is dozens of classes to load.
            int end = 0;
            while (end < text.length() && " \t\n\u000B\f\r".indexOf(text.charAt(end)) < 0) end++;
            String hash = text.substring(0, end).toLowerCase(Locale.ROOT);
            if (!isHexSha256(hash)) {
                throw new UnsatisfiedLinkError(resource + ".sha256 does not hold a SHA-256 hex digest");
            }
            return hash;
        }
    }

    /** Whether {@code s} is 64 lower-case hex digits. */
    static boolean isHexSha256(String s) {
        if (s.length() != 64) return false;
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) return false;
        }
        return true;
    }

    /**
     * Fails unless the file at {@code path} has the SHA-256 {@code expected}.
     *
     * @param path the file to check
     * @param expected the expected SHA-256 as 64 lower-case hex digits
     * @throws IOException when the file cannot be read
     * @throws UnsatisfiedLinkError when the file's SHA-256 differs: the file must not be loaded
     */
    public static void verifyFile(Path path, String expected) throws IOException {
        String actual = sha256(Files.readAllBytes(path));
        if (!actual.equals(expected)) {
            throw new UnsatisfiedLinkError("refusing to use " + path + ": SHA-256 " + actual
                    + " differs from the expected " + expected);
        }
    }

    static Path cacheRoot() {
        String explicit = System.getProperty(CACHE_DIR_PROPERTY);
        if (explicit != null && !explicit.isBlank()) return Path.of(explicit).toAbsolutePath();
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("ku0-sandbox").toAbsolutePath();
    }

    /** Creates {@code dir} (mode 0700 where POSIX) and refuses one that others could write to. */
    static void ensurePrivateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            try {
                if (supportsPosix(dir.getParent())) {
                    Files.createDirectories(dir.getParent());
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(dir);
                }
            } catch (FileAlreadyExistsException raced) {
                // Another process created it; it is checked below like any existing directory.
            }
        }
        if (!supportsPosix(dir)) return;
        if (Files.isSymbolicLink(dir)) {
            throw new IOException("refusing the native cache directory " + dir + ": it is a symbolic link");
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
        if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException("refusing the native cache directory " + dir + ": it is group- or world-writable ("
                    + PosixFilePermissions.toString(perms) + "); run chmod go-w on it");
        }
    }

    private static boolean supportsPosix(Path p) {
        Path probe = p;
        while (probe != null && !Files.exists(probe)) probe = probe.getParent();
        return probe != null && Files.getFileAttributeView(probe, PosixFileAttributeView.class) != null;
    }

    /**
     * The SHA-256 of some bytes.
     *
     * @param bytes the bytes to hash, not {@code null}
     * @return the digest as 64 lower-case hex digits
     */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}

package dev.ku0.sandbox.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibraryTest {
    @TempDir
    Path tmp;

    @Test
    void loadsFromTheClassifierJarIntoAPrivateContentAddressedDirectory() throws IOException {
        NativeLibrary.Loaded loaded = NativeLibrary.load();
        assertTrue(loaded.source().startsWith("class path"), loaded.source());
        Path lib = loaded.library();
        String hash = NativeLibrary.sha256(Files.readAllBytes(lib));
        assertEquals(hash, lib.getParent().getFileName().toString(), "directory named by the library's SHA-256");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(lib.getParent())));
        assertEquals(NativeBinding.ABI_VERSION, Bindings.jni().abiVersion());
        assertTrue(loaded.helper().isPresent(), "sandbox-exec extracted next to the library");
        assertEquals(lib.getParent(), loaded.helper().get().getParent());
    }

    @Test
    void classifierNamesFollowOsMavenPlugin() {
        assertEquals("linux-x86_64", NativeLibrary.classifier("Linux", "amd64"));
        assertEquals("osx-aarch_64", NativeLibrary.classifier("Mac OS X", "aarch64"));
        assertEquals("windows-x86_64", NativeLibrary.classifier("Windows 11", "amd64"));
        assertEquals("sandbox_rs.dll", NativeLibrary.libraryFileName("windows-x86_64"));
        assertEquals("libsandbox_rs.dylib", NativeLibrary.libraryFileName("osx-aarch_64"));
    }

    @Test
    void missingPlatformNamesTheDependencyToAdd() throws IOException {
        try (URLClassLoader empty = new URLClassLoader(new URL[] {tmp.toUri().toURL()}, null)) {
            UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                    () -> NativeLibrary.loadFrom(empty, "plan9-mips", null));
            assertTrue(e.getMessage().contains("sandbox-native"), e.getMessage());
            assertTrue(e.getMessage().contains("<classifier>plan9-mips</classifier>"), e.getMessage());
        }
    }

    /** The all-platforms JAR (sandbox-native without classifier) from the test class path. */
    private static Path allPlatformsJar() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of)
                .filter(p -> p.getFileName().toString().matches("sandbox-native-\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\.jar"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("sandbox-native (all platforms) is not on the test class path"));
    }

    @Test
    void theAllPlatformsJarAloneProvidesThisPlatformsLibraryAndHelper() throws IOException {
        System.setProperty(NativeLibrary.CACHE_DIR_PROPERTY, tmp.resolve("cache").toString());
        try (URLClassLoader only = new URLClassLoader(new URL[] {allPlatformsJar().toUri().toURL()}, null)) {
            String platform = NativeLibrary.platformClassifier();
            assertTrue(NativeLibrary.platformsOnClassPath(only).contains(platform), "index lists " + platform);
            NativeLibrary.Loaded loaded = NativeLibrary.loadFrom(only, platform, null);
            assertTrue(loaded.source().contains("META-INF/native/" + platform + "/"), loaded.source());
            assertTrue(loaded.library().startsWith(tmp.resolve("cache")), "extracted into the cache: " + loaded.library());
            assertTrue(loaded.helper().isPresent(), "sandbox-exec extracted next to the library");
            // The same bytes as the classifier JAR's library, which this JVM loaded already.
            assertEquals(NativeLibrary.sha256(Files.readAllBytes(NativeLibrary.load().library())),
                    NativeLibrary.sha256(Files.readAllBytes(loaded.library())));
        } finally {
            System.clearProperty(NativeLibrary.CACHE_DIR_PROPERTY);
        }
    }

    @Test
    void aPlatformMissingFromTheAllPlatformsJarNamesThePlatformsThereAndTheArtifactToAdd() throws IOException {
        try (URLClassLoader only = new URLClassLoader(new URL[] {allPlatformsJar().toUri().toURL()}, null)) {
            UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                    () -> NativeLibrary.loadFrom(only, "plan9-mips", null));
            String m = e.getMessage();
            assertTrue(m.contains("no native library for platform plan9-mips"), m);
            assertTrue(m.contains("has the platforms " + NativeLibrary.platformClassifier()), m);
            assertTrue(m.contains(":sandbox-native:"), m);
            assertTrue(m.contains("<classifier>plan9-mips</classifier>"), m);
        }
    }

    @Test
    void aLibraryWhoseHashDiffersIsRefused() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("jar/META-INF/native/linux-x86_64"));
        Files.writeString(dir.resolve("libsandbox_rs.so"), "not the real library");
        Files.writeString(dir.resolve("libsandbox_rs.so.sha256"), "0".repeat(64) + "\n");
        System.setProperty(NativeLibrary.CACHE_DIR_PROPERTY, tmp.resolve("cache").toString());
        try (URLClassLoader cl = new URLClassLoader(new URL[] {tmp.resolve("jar").toUri().toURL()}, null)) {
            UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                    () -> NativeLibrary.loadFrom(cl, "linux-x86_64", null));
            assertTrue(e.getMessage().contains("tampered"), e.getMessage());
        } finally {
            System.clearProperty(NativeLibrary.CACHE_DIR_PROPERTY);
        }
    }

    @Test
    void theHashFileIsReadInTheFormsSha256sumWrites() throws Exception {
        // "<hash>  <name>", a tab, upper case, surrounding blank lines: the first word is the hash.
        String hash = NativeLibrary.sha256(LIB_BYTES);
        for (String text : List.of(hash + "\n", hash + "  " + LIB + "\n", hash.toUpperCase(Locale.ROOT) + "\t" + LIB,
                "\n " + hash + "\r\n")) {
            Path dir = Files.createDirectories(tmp.resolve("jar/META-INF/native/linux-x86_64"));
            Files.write(dir.resolve(LIB), LIB_BYTES);
            Files.writeString(dir.resolve(LIB + ".sha256"), text);
            withCache(() -> {
                try (URLClassLoader cl = new URLClassLoader(new URL[] {tmp.resolve("jar").toUri().toURL()}, null)) {
                    assertEquals(LIB, NativeLibrary.loadFrom(cl, "linux-x86_64", null).library().getFileName().toString(), text);
                }
            });
        }
    }

    @Test
    void aHashFileThatIsNotOneHashIsRefused() throws Exception {
        String hash = NativeLibrary.sha256(LIB_BYTES);
        for (String text : List.of("", hash.substring(1), hash + "0", hash.substring(1) + "g", hash.replace(hash.charAt(0), 'x'),
                "sha256:" + hash)) {
            Path dir = Files.createDirectories(tmp.resolve("jar/META-INF/native/linux-x86_64"));
            Files.write(dir.resolve(LIB), LIB_BYTES);
            Files.writeString(dir.resolve(LIB + ".sha256"), text);
            withCache(() -> {
                try (URLClassLoader cl = new URLClassLoader(new URL[] {tmp.resolve("jar").toUri().toURL()}, null)) {
                    UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                            () -> NativeLibrary.loadFrom(cl, "linux-x86_64", null), text);
                    assertTrue(e.getMessage().contains("does not hold a SHA-256 hex digest"), e.getMessage());
                }
            });
        }
    }

    @Test
    void aLibraryWithoutAHashIsRefused() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("jar/META-INF/native/linux-x86_64"));
        Files.writeString(dir.resolve("libsandbox_rs.so"), "x");
        try (URLClassLoader cl = new URLClassLoader(new URL[] {tmp.resolve("jar").toUri().toURL()}, null)) {
            UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                    () -> NativeLibrary.loadFrom(cl, "linux-x86_64", null));
            assertTrue(e.getMessage().contains("unverified"), e.getMessage());
        }
    }

    @Test
    void aWorldWritableCacheDirectoryIsRefused() throws IOException {
        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException e = assertThrows(IOException.class, () -> NativeLibrary.ensurePrivateDirectory(open));
        assertTrue(e.getMessage().contains("world-writable"), e.getMessage());
        Path fresh = tmp.resolve("fresh");
        NativeLibrary.ensurePrivateDirectory(fresh);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
    }

    /** A class loader over a directory laid out like a classifier JAR that counts reads of each resource. */
    private static final class CountingLoader extends URLClassLoader {
        final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();

        CountingLoader(Path root) throws IOException {
            super(new URL[] {root.toUri().toURL()}, null);
        }

        @Override
        public java.io.InputStream getResourceAsStream(String name) {
            reads.computeIfAbsent(name.substring(name.lastIndexOf('/') + 1), k -> new AtomicInteger()).incrementAndGet();
            return super.getResourceAsStream(name);
        }

        int reads(String file) {
            AtomicInteger n = reads.get(file);
            return n == null ? 0 : n.get();
        }
    }

    private static final String LIB = "libsandbox_rs.so";
    private static final String HELPER = "sandbox-exec";
    private static final byte[] LIB_BYTES = "the library, version one, padded to some length".getBytes(StandardCharsets.UTF_8);
    private static final byte[] HELPER_BYTES = "the helper, version one, padded to some length".getBytes(StandardCharsets.UTF_8);

    /** A fake classifier JAR (as a directory) with a library and a helper and their hashes. */
    private Path fakeJar() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("jar/META-INF/native/linux-x86_64"));
        Files.write(dir.resolve(LIB), LIB_BYTES);
        Files.writeString(dir.resolve(LIB + ".sha256"), NativeLibrary.sha256(LIB_BYTES) + "\n");
        Files.write(dir.resolve(HELPER), HELPER_BYTES);
        Files.writeString(dir.resolve(HELPER + ".sha256"), NativeLibrary.sha256(HELPER_BYTES) + "\n");
        return tmp.resolve("jar");
    }

    /**
     * Loads three times with a record that settles after 100 ms: the first extracts, the second
     * (after the settle time) verifies and records, the third uses the record and reads neither
     * file from the JAR. Returns the loader and the loaded files.
     */
    private NativeLibrary.Loaded loadUntilRecorded(CountingLoader cl) throws Exception {
        NativeLibrary.loadFrom(cl, "linux-x86_64", null);
        Thread.sleep(250);
        NativeLibrary.loadFrom(cl, "linux-x86_64", null);
        int libReads = cl.reads(LIB);
        int helperReads = cl.reads(HELPER);
        NativeLibrary.Loaded loaded = NativeLibrary.loadFrom(cl, "linux-x86_64", null);
        assertEquals(libReads, cl.reads(LIB), "a recorded library is not read from the JAR again");
        assertEquals(helperReads, cl.reads(HELPER), "a recorded helper is not read from the JAR again");
        return loaded;
    }

    /** Runs {@code body} with the cache in {@code tmp/cache} and a record settle time of 100 ms. */
    private void withCache(ThrowingRunnable body) throws Exception {
        long settle = VerifiedRecord.settleMillis;
        VerifiedRecord.settleMillis = 100;
        System.setProperty(NativeLibrary.CACHE_DIR_PROPERTY, tmp.resolve("cache").toString());
        try {
            body.run();
        } finally {
            System.clearProperty(NativeLibrary.CACHE_DIR_PROPERTY);
            VerifiedRecord.settleMillis = settle;
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Overwrites {@code file} in place with {@code bytes} (same size) and puts its modification time back. */
    private static void tamperInPlace(Path file, byte[] bytes) throws IOException {
        FileTime mtime = Files.getLastModifiedTime(file);
        assertEquals(Files.size(file), bytes.length, "same size, so that only the content differs");
        Files.write(file, bytes);
        Files.setLastModifiedTime(file, mtime);
    }

    private static byte[] sameSizeOther(byte[] original) {
        byte[] b = original.clone();
        b[0] ^= 0x20;
        return b;
    }

    @Test
    void aVerifiedExtractionIsReusedWithoutReadingOrHashingItAgain() throws Exception {
        Path jar = fakeJar();
        withCache(() -> {
            try (CountingLoader cl = new CountingLoader(jar)) {
                NativeLibrary.Loaded loaded = loadUntilRecorded(cl);
                assertTrue(Files.isRegularFile(VerifiedRecord.recordOf(loaded.library())), "record next to the library");
                assertEquals("rw-------", PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(VerifiedRecord.recordOf(loaded.library()))));
                assertTrue(Arrays.equals(LIB_BYTES, Files.readAllBytes(loaded.library())));
                assertTrue(Arrays.equals(HELPER_BYTES, Files.readAllBytes(loaded.helper().orElseThrow())));
            }
        });
    }

    @Test
    void aCachedLibraryChangedWithItsModificationTimeRestoredIsNotUsed() throws Exception {
        Path jar = fakeJar();
        withCache(() -> {
            try (CountingLoader cl = new CountingLoader(jar)) {
                Path lib = loadUntilRecorded(cl).library();
                tamperInPlace(lib, sameSizeOther(LIB_BYTES));
                int reads = cl.reads(LIB);
                NativeLibrary.Loaded again = NativeLibrary.loadFrom(cl, "linux-x86_64", null);
                assertTrue(cl.reads(LIB) > reads, "the record no longer vouches: the JAR's library is verified again");
                assertTrue(Arrays.equals(LIB_BYTES, Files.readAllBytes(again.library())),
                        "the changed content is replaced by the verified one, never used");
            }
        });
    }

    @Test
    void aCachedHelperChangedWithItsModificationTimeRestoredIsNotUsed() throws Exception {
        Path jar = fakeJar();
        withCache(() -> {
            try (CountingLoader cl = new CountingLoader(jar)) {
                Path helper = loadUntilRecorded(cl).helper().orElseThrow();
                tamperInPlace(helper, sameSizeOther(HELPER_BYTES));
                int reads = cl.reads(HELPER);
                NativeLibrary.Loaded again = NativeLibrary.loadFrom(cl, "linux-x86_64", null);
                assertTrue(cl.reads(HELPER) > reads, "the helper is verified again");
                assertTrue(Arrays.equals(HELPER_BYTES, Files.readAllBytes(again.helper().orElseThrow())));
            }
        });
    }

    @Test
    void aCachedLibraryReplacedByAnotherFileIsNotUsed() throws Exception {
        Path jar = fakeJar();
        withCache(() -> {
            try (CountingLoader cl = new CountingLoader(jar)) {
                Path lib = loadUntilRecorded(cl).library();
                FileTime mtime = Files.getLastModifiedTime(lib);
                Path other = Files.write(lib.resolveSibling("other"), sameSizeOther(LIB_BYTES));
                Files.setLastModifiedTime(other, mtime);
                Files.setPosixFilePermissions(other, Files.getPosixFilePermissions(lib));
                Files.move(other, lib, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                int reads = cl.reads(LIB);
                NativeLibrary.Loaded again = NativeLibrary.loadFrom(cl, "linux-x86_64", null);
                assertTrue(cl.reads(LIB) > reads, "a new inode is verified again");
                assertTrue(Arrays.equals(LIB_BYTES, Files.readAllBytes(again.library())));
            }
        });
    }

    @Test
    void aRecordedCacheDirectoryMadeWritableByOthersIsRefused() throws Exception {
        Path jar = fakeJar();
        withCache(() -> {
            try (CountingLoader cl = new CountingLoader(jar)) {
                Path dir = loadUntilRecorded(cl).library().getParent();
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
                UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                        () -> NativeLibrary.loadFrom(cl, "linux-x86_64", null));
                assertTrue(e.getMessage().contains("world-writable"), e.getMessage());
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                Files.setPosixFilePermissions(tmp.resolve("cache"), PosixFilePermissions.fromString("rwxrwx---"));
                e = assertThrows(UnsatisfiedLinkError.class, () -> NativeLibrary.loadFrom(cl, "linux-x86_64", null));
                assertTrue(e.getMessage().contains("group- or world-writable"), e.getMessage());
            }
        });
    }

    @Test
    void aRecordIsNotTrustedOnAPathOthersCanChange() throws Exception {
        Path jar = fakeJar();
        withCache(() -> {
            try (CountingLoader cl = new CountingLoader(jar)) {
                Path lib = loadUntilRecorded(cl).library();
                // Writable by others, not sticky: someone else could rename the cache away and put their own.
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
                int reads = cl.reads(LIB);
                NativeLibrary.loadFrom(cl, "linux-x86_64", null);
                assertTrue(cl.reads(LIB) > reads, "the library is verified in full on an unsafe path");
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
                // A record others could have written vouches for nothing either.
                Files.setPosixFilePermissions(VerifiedRecord.recordOf(lib), PosixFilePermissions.fromString("rw-rw-rw-"));
                reads = cl.reads(LIB);
                NativeLibrary.loadFrom(cl, "linux-x86_64", null);
                assertTrue(cl.reads(LIB) > reads, "a record writable by others is not trusted");
            }
        });
    }

    @Test
    void anExplicitPathThatIsNotAFileIsAClearError() {
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                () -> NativeLibrary.loadFrom(getClass().getClassLoader(), "linux-x86_64", tmp.resolve("nope.so").toString()));
        assertTrue(e.getMessage().contains(NativeLibrary.LIBRARY_PATH_PROPERTY), e.getMessage());
    }

    @Test
    void aPanicInTheJniGlueBecomesAJavaExceptionNotACrash() {
        NativeBinding jni = Bindings.jni();
        RuntimeException e = assertThrows(RuntimeException.class, jni::selftestPanic);
        assertTrue(e.getMessage().contains("panic"), e.getMessage());
        // The library is still usable afterwards.
        assertEquals(NativeBinding.ABI_VERSION, jni.abiVersion());
    }

    @Test
    void invalidPolicyReportsTheNativeMessageThroughJni() {
        NativeBinding jni = Bindings.jni();
        byte[] json = "{\"version\":\"1.0\"}".getBytes(StandardCharsets.UTF_8);
        byte[] ws = "/w".getBytes(StandardCharsets.UTF_8);
        long[] out = {-1};
        int status = jni.engineNew(json, ws, ws, out);
        assertEquals(2, status, "INVALID_POLICY");
        assertEquals(0, out[0], "no handle");
        NativeBinding.NativeError err = jni.lastError();
        assertEquals(2, err.code());
        assertTrue(err.message().contains("name: required field is missing"), err.message());
    }

    @Test
    void aNullEngineHandleIsAnErrorStatusNotACrash() {
        NativeBinding jni = Bindings.jni();
        int[] d = new int[4];
        int status = jni.checkCommand(0, "ls".getBytes(StandardCharsets.UTF_8), d, new byte[64]);
        assertTrue(status != NativeBinding.OK, "status " + status);
        assertTrue(jni.lastErrorMessage().contains("null"), jni.lastErrorMessage());
    }

    @Test
    void unknownBindingNameIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Bindings.select("panama", 25));
        assertTrue(e.getMessage().contains("ffm, jni or auto"), e.getMessage());
    }

    @Test
    void ffmIsRefusedBeforeJdk22AndMissingFfmClassesFallBackToJni() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Bindings.select("ffm", 17));
        if (Runtime.version().feature() < 22) {
            assertTrue(e.getMessage().contains("JDK 22"), e.getMessage());
        }
        // This module's tests run without sandbox-bindings-ffm: JDK 22+ falls back to JNI.
        assertEquals("jni", Bindings.select("auto", 25).name());
        assertEquals("jni", Bindings.select("auto", 17).name());
    }
}

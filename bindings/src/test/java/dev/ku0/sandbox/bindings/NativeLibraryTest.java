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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
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

package dev.ku0.sandbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The shaded CLI JAR keeps both bindings and runs on the test JDK: FFM forced on JDK 22+, and on
 * JDK 17 a forced FFM fails with a message that says what to do.
 */
class ShadedJarIT {
    private static Path jar() {
        return Launcher.repoRoot().resolve("cli/target/sandbox-cli.jar");
    }

    @Test
    void theShadedJarHoldsBothBindingsAndTheNativeAccessAttribute() throws IOException {
        try (JarFile j = new JarFile(jar().toFile())) {
            assertNotNull(j.getEntry("dev/ku0/sandbox/bindings/ffm/FfmBinding.class"), "FFM binding kept");
            assertNotNull(j.getEntry("dev/ku0/sandbox/bindings/JniNative.class"), "JNI binding kept");
            assertEquals("ALL-UNNAMED", j.getManifest().getMainAttributes().getValue("Enable-Native-Access"));
        }
    }

    private static Process run(String binding) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-Dku0.sandbox.binding=" + binding, "-jar", jar().toString(), "check", "--preset", "strict"))
                .redirectErrorStream(true).start();
    }

    @Test
    void eachBindingDecidesThroughTheShadedJar() throws Exception {
        boolean ffm = Runtime.version().feature() >= 22;
        for (String binding : ffm ? List.of("ffm", "jni") : List.of("jni", "ffm")) {
            Process p = run(binding);
            try (var in = p.getOutputStream()) {
                in.write("{\"type\":\"command\",\"command\":\"ls\"}\n".getBytes(StandardCharsets.UTF_8));
            }
            assertTrue(p.waitFor(2, TimeUnit.MINUTES), "finished");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (binding.equals("ffm") && !ffm) {
                assertTrue(p.exitValue() != 0, out);
                assertTrue(out.contains("JDK 22"), out);
            } else {
                assertEquals(0, p.exitValue(), binding + ": " + out);
                assertTrue(out.contains("\"decision\""), binding + ": " + out);
            }
        }
    }
}

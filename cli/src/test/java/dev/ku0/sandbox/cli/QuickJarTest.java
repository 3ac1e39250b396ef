package dev.ku0.sandbox.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick-path JAR: what it takes from the full JAR, byte for byte, and how it points back to it. */
class QuickJarTest {
    @TempDir
    Path dir;

    @Test
    void takesTheQuickPathsEntriesUnchangedAndNamesTheFullJarOnItsClassPath() throws IOException {
        Map<String, byte[]> full = new LinkedHashMap<>();
        for (String name : new String[] {
            "dev/ku0/sandbox/cli/Main.class", "dev/ku0/sandbox/cli/Main$DecisionLog.class",
            "dev/ku0/sandbox/cli/QuickCheck$Parser.class", "dev/ku0/sandbox/cli/SandboxCli.class",
            "dev/ku0/sandbox/bindings/NativeLibrary.class", "dev/ku0/sandbox/bindings/ffm/FfmBinding.class",
            "dev/ku0/sandbox/policies/workspace.json", "dev/ku0/sandbox/policies/policy.schema.json",
            "dev/ku0/sandbox/SandboxManager.class", "picocli/CommandLine.class",
            "com/fasterxml/jackson/core/JsonProcessingException.class",
            "com/fasterxml/jackson/core/JsonParser.class",
            "com/fasterxml/jackson/databind/ObjectMapper.class",
            "META-INF/native/linux-x86_64/libsandbox_rs.so", "META-INF/native/linux-x86_64/libsandbox_rs.so.sha256",
        }) {
            full.put(name, ("bytes of " + name).getBytes(StandardCharsets.UTF_8));
        }
        Path fullJar = dir.resolve("sandbox-cli.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(fullJar), new Manifest())) {
            for (Map.Entry<String, byte[]> e : full.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        Path quick = dir.resolve("sandbox-cli-quick.jar");
        QuickJar.write(fullJar, quick);

        try (JarFile jar = new JarFile(quick.toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertEquals("sandbox-cli.jar", main.getValue(Attributes.Name.CLASS_PATH));
            assertEquals("dev.ku0.sandbox.cli.Main", main.getValue(Attributes.Name.MAIN_CLASS));
            TreeSet<String> names = new TreeSet<>();
            jar.stream().filter(e -> !e.getName().startsWith("META-INF/MANIFEST")).forEach(e -> names.add(e.getName()));
            assertEquals(new TreeSet<>(java.util.List.of(
                    "dev/ku0/sandbox/cli/Main.class", "dev/ku0/sandbox/cli/Main$DecisionLog.class",
                    "dev/ku0/sandbox/cli/QuickCheck$Parser.class", "dev/ku0/sandbox/bindings/NativeLibrary.class",
                    "dev/ku0/sandbox/policies/workspace.json",
                    "com/fasterxml/jackson/core/JsonProcessingException.class",
                    "com/fasterxml/jackson/core/JsonParser.class",
                    "META-INF/native/linux-x86_64/libsandbox_rs.so",
                    "META-INF/native/linux-x86_64/libsandbox_rs.so.sha256")), names);
            for (String name : names) {
                try (var in = jar.getInputStream(jar.getEntry(name))) {
                    assertArrayEquals(full.get(name), in.readAllBytes(), name);
                }
            }
            // The argument parser and the policy model stay in the full JAR.
            assertNull(jar.getEntry("picocli/CommandLine.class"));
            assertNull(jar.getEntry("dev/ku0/sandbox/SandboxManager.class"));
        }
    }
}

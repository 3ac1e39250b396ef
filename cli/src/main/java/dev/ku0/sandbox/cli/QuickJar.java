package dev.ku0.sandbox.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Writes the JAR that {@code scripts/sandbox} starts the quick paths of {@code exec} and
 * {@code check} from: the classes those paths load, the presets and the native files, copied
 * byte for byte from the full JAR, and a manifest whose {@code Class-Path} names the full JAR
 * next to it. The JVM opens a JAR by reading its whole index, interpreted at start-up; the full
 * JAR's has some 5,000 entries (picocli, Jackson, the MCP server), this one's a few dozen. Any
 * class or resource missing here (the argument parser for {@code --help}, the Java policy model
 * and Jackson when a quick path hands over to the full one) is found in the full JAR, which the
 * JVM opens only then: the answers are the same, only the start is shorter. Run by the launcher
 * once per build; not a command of its own.
 */
final class QuickJar {
    /**
     * What the quick paths load, as entry-name prefixes: what {@code -Xlog:class+load} shows
     * for exec and check with a preset or a policy file.
     */
    static final String[] PREFIXES = {
        "dev/ku0/sandbox/cli/Main",
        "dev/ku0/sandbox/cli/PolicyOptions",
        "dev/ku0/sandbox/cli/ExecCommand",
        "dev/ku0/sandbox/cli/CheckCommand",
        "dev/ku0/sandbox/cli/QuickExec",
        "dev/ku0/sandbox/cli/QuickCheck",
        "dev/ku0/sandbox/cli/Training",
        "dev/ku0/sandbox/SandboxException",
        "dev/ku0/sandbox/SandboxViolationException",
        "dev/ku0/sandbox/HelperRun",
        "dev/ku0/sandbox/DecisionCode",
        "dev/ku0/sandbox/FileOperation",
        "dev/ku0/sandbox/bindings/Bindings",
        "dev/ku0/sandbox/bindings/Jni",
        "dev/ku0/sandbox/bindings/NativeBinding",
        "dev/ku0/sandbox/bindings/NativeLibrary",
        "dev/ku0/sandbox/bindings/VerifiedRecord",
        "dev/ku0/sandbox/bindings/version.properties",
        // Jackson's streaming parser, which reads a policy file's time limit (QuickExec.timeLimit),
        // and the exceptions that CheckCommand's BadRequest extends (the verifier loads them with it).
        "com/fasterxml/jackson/core/",
        "META-INF/native/",
    };

    private QuickJar() {}

    /**
     * Writes the quick JAR.
     *
     * @param args the full JAR and the quick JAR to write, in the same directory
     * @throws IOException when the full JAR cannot be read or the quick JAR written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) throw new IllegalArgumentException("usage: QuickJar FULL.jar QUICK.jar");
        write(Path.of(args[0]), Path.of(args[1]));
    }

    static void write(Path full, Path out) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        // Relative to this JAR's own location: the full JAR next to it.
        main.put(Attributes.Name.CLASS_PATH, full.getFileName().toString());
        main.putValue("Enable-Native-Access", "ALL-UNNAMED");
        try (JarFile in = new JarFile(full.toFile(), false);
             OutputStream file = Files.newOutputStream(out);
             JarOutputStream jar = new JarOutputStream(file, manifest)) {
            for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || !wanted(name)) continue;
                JarEntry copy = new JarEntry(name);
                copy.setTime(entry.getTime());
                jar.putNextEntry(copy);
                try (InputStream data = in.getInputStream(entry)) {
                    data.transferTo(jar);
                }
                jar.closeEntry();
            }
        }
    }

    static boolean wanted(String name) {
        // The presets only: the schemas are read by the full path alone.
        if (name.startsWith("dev/ku0/sandbox/policies/")) {
            return name.endsWith(".json") && !name.endsWith(".schema.json");
        }
        for (String p : PREFIXES) {
            if (name.startsWith(p)) return true;
        }
        return false;
    }
}

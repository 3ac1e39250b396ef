package dev.ku0.sandbox.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** The README's Java blocks, compiled as they are written, for the tests that run them. */
public final class ReadmeBlocks {
    private ReadmeBlocks() {}

    /** The checkout's root: {@code SANDBOX_REPO_ROOT}, else the nearest directory above with {@code policies/}. */
    public static Path repoRoot() {
        String env = System.getenv("SANDBOX_REPO_ROOT");
        Path p = env != null ? Path.of(env) : Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("policies"))) p = p.getParent();
        return p;
    }

    /** The source of the README block between {@code <!-- NAME:begin -->} and {@code <!-- NAME:end -->}. */
    public static String source(String name) throws Exception {
        String readme = Files.readString(repoRoot().resolve("README.md"));
        Matcher m = Pattern.compile("(?s)<!-- " + name + ":begin -->\\s*```java\\n(.*?)```\\s*<!-- " + name + ":end -->")
                .matcher(readme);
        assertTrue(m.find(), "README has a " + name + " block");
        return m.group(1);
    }

    /** Compiles the block {@code name} (its public class is {@code mainClass}) into {@code dir}. */
    public static Path compile(String name, String mainClass, Path dir) throws Exception {
        Path src = dir.resolve(mainClass + ".java");
        Files.writeString(src, source(name));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", dir.toString(), "-cp", System.getProperty("java.class.path"),
                src.toString());
        assertEquals(0, rc, "the README's " + name + " block compiles");
        return dir;
    }

    /** A class loader for the classes compiled into {@code dir}; close it. */
    public static URLClassLoader loader(Path dir) throws Exception {
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, ReadmeBlocks.class.getClassLoader());
    }

    /**
     * Compiles and runs the block's {@code main}, and checks that it prints, line by line, what the
     * block's {@code // comments} after each {@code System.out.println} say it prints.
     */
    public static List<String> run(String name, String mainClass, Path dir) throws Exception {
        compile(name, mainClass, dir);
        PrintStream old = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (URLClassLoader cl = loader(dir)) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            cl.loadClass(mainClass).getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(old);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        List<String> documented = source(name).lines().filter(l -> l.contains("System.out.println"))
                .map(l -> l.substring(l.lastIndexOf("//") + 2).trim()).toList();
        assertEquals(documented, lines);
        return lines;
    }
}

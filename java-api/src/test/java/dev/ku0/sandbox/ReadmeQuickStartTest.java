package dev.ku0.sandbox;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java quick start compiles and prints what the README says it prints. */
class ReadmeQuickStartTest {
    @TempDir
    Path tmp;

    @Test
    void quickStartCompilesAndRuns() throws Exception {
        String readme = Files.readString(PolicyTest.repoRoot().resolve("README.md"));
        Matcher m = Pattern.compile("(?s)<!-- quickstart:begin -->\\s*```java\\n(.*?)```\\s*<!-- quickstart:end -->")
                .matcher(readme);
        assertTrue(m.find(), "README has a quick start block");
        String source = m.group(1);
        Path src = tmp.resolve("QuickStart.java");
        Files.writeString(src, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", tmp.toString(), "-cp", System.getProperty("java.class.path"),
                src.toString());
        assertEquals(0, rc, "the quick start compiles");

        PrintStream old = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (URLClassLoader cl = new URLClassLoader(new URL[] {tmp.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            cl.loadClass("QuickStart").getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(old);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        // The expected values are the ones the README shows in its comments.
        List<String> documented = source.lines().filter(l -> l.contains("System.out.println"))
                .map(l -> l.substring(l.lastIndexOf("//") + 2).trim()).toList();
        assertEquals(documented, lines);
        assertEquals(List.of("false", "true", "DENY", "2"), lines);
    }
}

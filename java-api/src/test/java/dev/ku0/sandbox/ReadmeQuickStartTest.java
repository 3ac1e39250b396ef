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
        List<String> lines = runReadmeBlock("quickstart", "QuickStart");
        assertEquals(List.of("false", "true", "DENY", "2"), lines);
    }

    @Test
    @org.junit.jupiter.api.condition.EnabledOnOs(org.junit.jupiter.api.condition.OS.LINUX)
    void toolsExampleCompilesAndRuns() throws Exception {
        List<String> lines = runReadmeBlock("tools", "AgentTools");
        assertEquals(List.of("ship it", "BLOCKED_PATH", "SHIP IT"), lines);
    }

    /**
     * Compiles the README block between {@code <!-- NAME:begin -->} and {@code <!-- NAME:end -->},
     * runs its main class, and checks that it prints what the block's comments say it prints.
     */
    private List<String> runReadmeBlock(String name, String mainClass) throws Exception {
        String readme = Files.readString(PolicyTest.repoRoot().resolve("README.md"));
        Matcher m = Pattern.compile("(?s)<!-- " + name + ":begin -->\\s*```java\\n(.*?)```\\s*<!-- " + name + ":end -->")
                .matcher(readme);
        assertTrue(m.find(), "README has a " + name + " block");
        String source = m.group(1);
        Path src = tmp.resolve(mainClass + ".java");
        Files.writeString(src, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", tmp.toString(), "-cp", System.getProperty("java.class.path"),
                src.toString());
        assertEquals(0, rc, "the " + name + " block compiles");

        PrintStream old = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (URLClassLoader cl = new URLClassLoader(new URL[] {tmp.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            cl.loadClass(mainClass).getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(old);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        // The expected values are the ones the README shows in its comments.
        List<String> documented = source.lines().filter(l -> l.contains("System.out.println"))
                .map(l -> l.substring(l.lastIndexOf("//") + 2).trim()).toList();
        assertEquals(documented, lines);
        return lines;
    }
}

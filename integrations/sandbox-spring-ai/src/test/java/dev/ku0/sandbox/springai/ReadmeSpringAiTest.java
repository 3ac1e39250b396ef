package dev.ku0.sandbox.springai;

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

/** The README's Spring AI example compiles and prints what its comments say it prints. */
class ReadmeSpringAiTest {
    @TempDir
    Path tmp;

    @Test
    void theSpringAiExampleCompilesAndRuns() throws Exception {
        String source = readmeBlock("spring-ai");
        Path src = tmp.resolve("SpringAiTools.java");
        Files.writeString(src, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        // -parameters, as for any class with Spring AI tool methods or records read from JSON.
        int rc = javac.run(null, null, null, "-parameters", "-d", tmp.toString(),
                "-cp", System.getProperty("java.class.path"), src.toString());
        assertEquals(0, rc, "the spring-ai block compiles");

        PrintStream old = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (URLClassLoader cl = new URLClassLoader(new URL[] {tmp.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            cl.loadClass("SpringAiTools").getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(old);
        }
        List<String> printed = captured.toString(StandardCharsets.UTF_8).lines().toList();
        // The comment after each println is what it prints; one ending in "..." is a prefix.
        List<String> documented = source.lines().filter(l -> l.contains("System.out.println"))
                .map(l -> l.substring(l.indexOf("// ", l.lastIndexOf(");")) + 3).trim()).toList();
        assertEquals(documented.size(), printed.size(), String.join("\n", printed));
        for (int i = 0; i < documented.size(); i++) {
            String want = documented.get(i);
            String got = printed.get(i);
            if (want.endsWith("...")) {
                String prefix = want.substring(0, want.length() - 3);
                assertTrue(got.startsWith(prefix), "line " + (i + 1) + ": " + got + " does not start with " + prefix);
            } else {
                assertEquals(want, got, "line " + (i + 1));
            }
        }
    }

    private static String readmeBlock(String name) throws Exception {
        String readme = Files.readString(repoRoot().resolve("README.md"));
        Matcher m = Pattern.compile("(?s)<!-- " + name + ":begin -->\\s*```java\\n(.*?)```\\s*<!-- " + name + ":end -->")
                .matcher(readme);
        assertTrue(m.find(), "README has a " + name + " block");
        return m.group(1);
    }

    private static Path repoRoot() {
        String env = System.getenv("SANDBOX_REPO_ROOT");
        Path p = env != null ? Path.of(env) : Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("README.md"))) p = p.getParent();
        return p;
    }
}

package dev.ku0.sandbox.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ku0.sandbox.Corpus;
import dev.ku0.sandbox.Decision;
import dev.ku0.sandbox.FileAccess;
import dev.ku0.sandbox.FileOperation;
import dev.ku0.sandbox.FilesystemMode;
import dev.ku0.sandbox.FilesystemPolicy;
import dev.ku0.sandbox.Policies;
import dev.ku0.sandbox.Policy;
import dev.ku0.sandbox.SandboxException;
import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.SandboxViolationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of {@code paths.jsonl} through the Java API, on a fresh virtual root per case (see
 * {@link VirtualRoot}). Check cases go through {@link SandboxManager#evaluateFileAccess(FileAccess)};
 * {@code requires: enforce} cases are races done for real against {@link FileOperationsTool}: the
 * swap runs between the check and the operation, and the operation must fail without reading
 * what the swap exposed or changing any file.
 */
class PathsCorpusTest {
    private static final byte[] SECRET = "secret behind the swap\n".getBytes(StandardCharsets.UTF_8);

    @TestFactory
    Stream<DynamicTest> everyPathsCase() {
        return Corpus.read("paths.jsonl").stream().map(c -> DynamicTest.dynamicTest(
                c.get("id").asText() + ": " + c.path("why").asText(), () -> run(c)));
    }

    /**
     * {@code git_paths.jsonl}: every git indirection path is refused with {@code PROTECTED_PATH}, the
     * data git writes stays writable (the same table as the Rust test).
     */
    @TestFactory
    Stream<DynamicTest> everyGitPathsCase() {
        List<JsonNode> cases = Corpus.read("git_paths.jsonl");
        assertTrue(cases.size() >= 80, "git_paths.jsonl looks truncated: " + cases.size());
        return cases.stream().map(c -> DynamicTest.dynamicTest(
                c.get("id").asText() + ": " + c.path("why").asText(), () -> run(c)));
    }

    @Test
    void theCorpusHasRacesAndChecks() {
        List<JsonNode> cases = Corpus.read("paths.jsonl");
        assertTrue(cases.size() >= 90, "corpus looks truncated: " + cases.size());
        assertTrue(cases.stream().filter(c -> c.path("requires").asText().equals("enforce")).count() >= 2);
    }

    private static void run(JsonNode c) {
        String platform = c.get("platform").asText();
        // The Windows and macOS rules are pure functions tested by the Rust corpus test; the Java
        // API judges paths with the rules of the host it runs on.
        Assumptions.assumeTrue(platform.equals("any") || platform.equals("linux"),
                "platform " + platform + " cases run through the pure platform rules on the Rust side");
        if (c.path("requires").asText().equals("enforce")) {
            race(c);
        } else {
            check(c);
        }
    }

    private static Policy policy(JsonNode c, UnaryOperator<String> map) {
        JsonNode p = c.get("policy");
        return Policies.WORKSPACE.withFilesystem(new FilesystemPolicy(
                FilesystemMode.valueOf(p.get("mode").asText().toUpperCase(Locale.ROOT)),
                strings(p.get("allowed_paths")).stream().map(map).toList(),
                strings(p.get("blocked_paths")).stream().map(map).toList(),
                p.get("allow_symlinks").asBoolean(), p.get("allow_hidden_files").asBoolean()));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) array.forEach(s -> out.add(s.asText()));
        return out;
    }

    private static String other(JsonNode c) {
        if (c.hasNonNull("dest")) return c.get("dest").asText();
        if (c.hasNonNull("link_target")) return c.get("link_target").asText();
        return null;
    }

    private static SandboxManager manager(JsonNode c, VirtualRoot r) {
        return SandboxManager.builder(policy(c, r::map))
                .workspace(Path.of(r.map(c.get("workspace").asText())))
                .home(Path.of(r.map(c.get("env").get("home").asText())))
                .build();
    }

    private static void check(JsonNode c) {
        try (VirtualRoot r = new VirtualRoot()) {
            for (String line : VirtualRoot.BASELINE) r.apply(line);
            strings(c.get("setup")).forEach(r::apply);
            try (SandboxManager m = manager(c, r)) {
                String other = other(c);
                FileAccess access = new FileAccess(r.map(c.get("input").asText()),
                        FileOperation.fromName(c.get("operation").asText()), other == null ? null : r.map(other), -1);
                Decision d = m.evaluateFileAccess(access);
                String expected = c.get("expected").asText();
                assertTrue(Corpus.satisfies(expected, d.verdict(), false),
                        "expected " + expected + ", got " + d + " [" + c.path("why").asText() + "]");
                if (c.hasNonNull("code")) {
                    assertEquals(c.get("code").asText(), d.code().name(), "code of " + d);
                }
            }
        }
    }

    private static void race(JsonNode c) {
        try (VirtualRoot r = new VirtualRoot()) {
            List<String> races = new ArrayList<>();
            for (String line : VirtualRoot.BASELINE) r.apply(line);
            for (String line : strings(c.get("setup"))) {
                if (line.startsWith("race:")) races.add(line.substring("race:".length()).trim());
                else r.apply(line);
            }
            assertTrue(!races.isEmpty(), "an enforce case without a race line");
            FileOperation op = FileOperation.fromName(c.get("operation").asText());
            String input = r.map(c.get("input").asText());
            String other = other(c) == null ? null : r.map(other(c));
            AtomicReference<Map<String, String>> before = new AtomicReference<>();
            try (SandboxManager m = manager(c, r)) {
                FileOperationsTool tool = new FileOperationsTool(m, access -> {
                    for (String race : races) {
                        if (r.applyRace(race) == 0) throw new IllegalArgumentException("no known action in " + race);
                    }
                    plantSecret(op, input);
                    before.set(r.snapshot());
                });
                Object result;
                try {
                    result = perform(tool, op, input, other);
                } catch (SandboxViolationException | SandboxException refused) {
                    result = refused;
                }
                if (before.get() == null) fail("the check before the swap refused: " + result);
                String expected = c.get("expected").asText();
                if (expected.equals("deny")) {
                    assertTrue(result instanceof RuntimeException,
                            "the operation succeeded after the swap: " + describe(result));
                    assertEquals(before.get(), r.snapshot(), "the refused operation changed files");
                } else {
                    assertTrue(!(result instanceof RuntimeException), "expected the operation to work: " + result);
                }
            }
        }
    }

    /** Makes whatever a naive open of the path text now reaches exist, with content that must not come back. */
    private static void plantSecret(FileOperation op, String input) {
        if (op != FileOperation.READ) return;
        Path naive = Path.of(input);
        try {
            if (!Files.exists(naive)) {
                Files.createDirectories(naive.getParent());
                Files.write(naive, SECRET);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object perform(FileOperationsTool tool, FileOperation op, String path, String other) {
        return switch (op) {
            case READ -> tool.readBytes(path);
            case WRITE, CREATE -> {
                tool.write(path, "payload written after the swap\n");
                yield "written";
            }
            case CREATE_DIR -> {
                tool.createDirectory(path);
                yield "created";
            }
            case DELETE -> {
                tool.delete(path);
                yield "deleted";
            }
            case LIST -> tool.list(path);
            case RENAME -> {
                tool.move(path, other);
                yield "moved";
            }
            default -> throw new IllegalArgumentException("no tool operation for " + op.jsonName());
        };
    }

    private static String describe(Object result) {
        return result instanceof byte[] b ? "read " + new String(b, StandardCharsets.UTF_8) : String.valueOf(result);
    }
}

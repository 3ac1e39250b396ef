package dev.ku0.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The golden corpus shared with the Rust tests: {@code $SANDBOX_CORPUS_DIR} when set, else the
 * repository's {@code testdata/corpus}.
 */
public final class Corpus {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Corpus() {}

    public static Path dir() {
        String env = System.getenv("SANDBOX_CORPUS_DIR");
        if (env != null && !env.isBlank()) return Path.of(env);
        return PolicyTest.repoRoot().resolve("testdata/corpus");
    }

    /** Every case of {@code name} (e.g. {@code commands.jsonl}). */
    public static List<JsonNode> read(String name) {
        Path file = dir().resolve(name);
        // Tables the project owns (e.g. git_paths.jsonl) live only in testdata/corpus.
        if (!Files.isRegularFile(file)) file = PolicyTest.repoRoot().resolve("testdata/corpus").resolve(name);
        return readFile(file);
    }

    /** Every case of a project-owned corpus file, always read from this repository's {@code testdata/corpus}. */
    public static List<JsonNode> readOwn(String name) {
        return readFile(PolicyTest.repoRoot().resolve("testdata/corpus").resolve(name));
    }

    private static List<JsonNode> readFile(Path file) {
        try {
            List<JsonNode> out = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) out.add(JSON.readTree(line));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read corpus file " + file, e);
        }
    }

    /** Whether {@code actual} satisfies the case's {@code expected} ({@code ask} satisfies {@code deny} when allowed). */
    public static boolean satisfies(String expected, Verdict actual, boolean askCountsAsDeny) {
        return switch (expected) {
            case "allow" -> actual == Verdict.ALLOW;
            case "deny" -> actual == Verdict.DENY || (askCountsAsDeny && actual == Verdict.ASK);
            case "ask" -> actual == Verdict.ASK || actual == Verdict.DENY;
            default -> throw new IllegalArgumentException("unknown expectation " + expected);
        };
    }
}

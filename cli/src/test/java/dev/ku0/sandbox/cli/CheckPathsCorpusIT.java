package dev.ku0.sandbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ku0.sandbox.Decision;
import dev.ku0.sandbox.FileAccess;
import dev.ku0.sandbox.FileOperation;
import dev.ku0.sandbox.FilesystemMode;
import dev.ku0.sandbox.FilesystemPolicy;
import dev.ku0.sandbox.Policies;
import dev.ku0.sandbox.Policy;
import dev.ku0.sandbox.SandboxManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sandbox check} decides files as the Java API does: the {@code paths.jsonl} cases that
 * share the corpus's default policy, on one fixture with all their setup lines, go through the
 * real launcher and through {@link SandboxManager#evaluateFileAccess(FileAccess)}; every line
 * must agree, and meet the corpus expectation.
 */
class CheckPathsCorpusIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static List<JsonNode> corpus() throws IOException {
        String env = System.getenv("SANDBOX_CORPUS_DIR");
        Path repo = Launcher.repoRoot();
        Path dir = env != null && !env.isBlank() ? Path.of(env) : repo.resolve("testdata/corpus");
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("paths.jsonl"))) {
            if (!line.isBlank()) out.add(JSON.readTree(line));
        }
        return out;
    }

    @Test
    void cliAndJavaApiGiveTheSameFileDecisions() throws Exception {
        Path root = tmp.toRealPath();
        List<JsonNode> all = corpus();
        JsonNode defaultPolicy = all.stream().filter(c -> c.get("id").asText().equals("path-002")).findFirst()
                .orElseThrow().get("policy");
        Set<String> setup = new LinkedHashSet<>(List.of(
                "dir /ws/src", "file /ws/src/main.rs", "file /ws/README.md", "file /ws/.env",
                "file /ws/node_modules/.bin/tsc", "file /home/user/.ssh/id_rsa", "file /home/user/.aws/credentials",
                "file /home/user/.gitconfig", "file /etc/passwd", "dir /etc/ssh", "dir /etc/cron.d", "dir /tmp",
                "dir /ws/.git/hooks", "file /ws/config/.env", "file /ws/config/.env.example",
                "file /ws/certs/server.pem", "file /ws/docs/pem-guide.md"));
        // One fixture for all: take the cases whose setup lines agree with those taken so far.
        Map<String, String> byPath = new HashMap<>();
        setup.forEach(l -> byPath.put(setupPath(l), l));
        List<JsonNode> cases = new ArrayList<>();
        for (JsonNode c : all) {
            if (!c.get("policy").equals(defaultPolicy)
                    || !List.of("any", "linux").contains(c.get("platform").asText())
                    || c.path("requires").asText().equals("enforce")) {
                continue;
            }
            List<String> lines = strings(c.get("setup"));
            boolean compatible = lines.stream().allMatch(l -> (l.startsWith("dir ") || l.startsWith("file ")
                    || l.startsWith("symlink ")) && byPath.getOrDefault(setupPath(l), l).equals(l));
            if (!compatible) continue;
            lines.forEach(l -> byPath.put(setupPath(l), l));
            setup.addAll(lines);
            cases.add(c);
        }
        assertTrue(cases.size() >= 40, "too few cases share the default policy: " + cases.size());
        for (String line : setup) apply(root, line);

        JsonNode p = defaultPolicy;
        Policy policy = Policies.WORKSPACE.withFilesystem(new FilesystemPolicy(
                FilesystemMode.valueOf(p.get("mode").asText().toUpperCase(Locale.ROOT)), List.of(),
                strings(p.get("blocked_paths")).stream().map(s -> map(root, s)).toList(),
                p.get("allow_symlinks").asBoolean(), p.get("allow_hidden_files").asBoolean()));
        Path policyFile = tmp.resolve("policy.json");
        Files.writeString(policyFile, policy.toJson());

        StringBuilder input = new StringBuilder();
        List<FileAccess> accesses = new ArrayList<>();
        for (JsonNode c : cases) {
            String other = c.hasNonNull("dest") ? c.get("dest").asText()
                    : c.hasNonNull("link_target") ? c.get("link_target").asText() : null;
            FileAccess a = new FileAccess(map(root, c.get("input").asText()),
                    FileOperation.fromName(c.get("operation").asText()), other == null ? null : map(root, other), -1);
            accesses.add(a);
            ObjectNode req = JSON.createObjectNode().put("type", "file").put("path", a.path())
                    .put("operation", a.operation().jsonName()).put("id", c.get("id").asText());
            if (a.other() != null) req.put(a.operation() == FileOperation.RENAME ? "dest" : "link_target", a.other());
            input.append(JSON.writeValueAsString(req)).append('\n');
        }
        Path ws = root.resolve("ws");
        Path home = root.resolve("home/user");
        Launcher.Result r = Launcher.run(input.toString(), "check", "--policy", policyFile.toString(),
                "--workspace", ws.toString(), "--home", home.toString());
        assertEquals(0, r.exit(), r.stderr());
        List<String> lines = r.lines();
        assertEquals(cases.size(), lines.size());
        try (SandboxManager m = SandboxManager.builder(policy).workspace(ws).home(home).build()) {
            for (int i = 0; i < cases.size(); i++) {
                JsonNode c = cases.get(i);
                JsonNode cli = JSON.readTree(lines.get(i));
                Decision api = m.evaluateFileAccess(accesses.get(i));
                String id = c.get("id").asText();
                assertEquals(id, cli.get("id").asText());
                assertEquals(api.verdict().name().toLowerCase(Locale.ROOT), cli.get("decision").asText(), id);
                assertEquals(api.code().name(), cli.get("code").asText(), id);
                assertEquals(api.reason(), cli.get("reason").asText(), id);
                assertEquals(c.get("expected").asText(), cli.get("decision").asText(), id + ": " + cli);
            }
        }
    }

    /** The path a setup line creates. */
    private static String setupPath(String line) {
        String rest = line.split(" ", 2)[1];
        int arrow = rest.indexOf(" -> ");
        return (arrow < 0 ? rest : rest.substring(0, arrow)).trim();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(s -> out.add(s.asText()));
        return out;
    }

    /** The corpus's virtual root: absolute paths (not /dev, /proc, /sys) go under {@code root}. */
    private static String map(Path root, String p) {
        if (p.startsWith("file://")) return "file://" + map(root, p.substring("file://".length()));
        if (!p.startsWith("/")) return p;
        for (String sys : new String[] {"/dev", "/proc", "/sys"}) {
            if (p.equals(sys) || p.startsWith(sys + "/")) return p;
        }
        return root + p;
    }

    private static void apply(Path root, String line) throws IOException {
        String[] verbRest = line.split(" ", 2);
        String rest = verbRest[1].trim();
        switch (verbRest[0]) {
            case "dir" -> Files.createDirectories(Path.of(map(root, rest)));
            case "file" -> {
                Path f = Path.of(map(root, rest));
                Files.createDirectories(f.getParent());
                Files.writeString(f, "content of " + rest + "\n");
            }
            case "symlink" -> {
                String[] lt = rest.split(" -> ", 2);
                Path l = Path.of(map(root, lt[0].trim()));
                Files.createDirectories(l.getParent());
                Files.createSymbolicLink(l, Path.of(map(root, lt[1].trim())));
            }
            default -> throw new IllegalArgumentException("unexpected setup line for the default policy: " + line);
        }
    }
}

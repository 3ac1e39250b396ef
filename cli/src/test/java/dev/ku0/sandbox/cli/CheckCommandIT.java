package dev.ku0.sandbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ku0.sandbox.Decision;
import dev.ku0.sandbox.FileOperation;
import dev.ku0.sandbox.Policies;
import dev.ku0.sandbox.SandboxManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real launcher, end to end: JSON Lines in, one decision line out per input line. */
class CheckCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private List<JsonNode> check(String input, String... args) throws Exception {
        Launcher.Result r = Launcher.run(input, args);
        assertEquals(0, r.exit(), r.stderr());
        return r.lines().stream().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new AssertionError("not a JSON line: " + l);
            }
        }).toList();
    }

    @Test
    void strictPresetDecidesTheSeedCases() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws/src"));
        Files.writeString(ws.resolve("main.rs"), "fn main() {}");
        Path home = Files.createDirectories(tmp.resolve("home/.ssh"));
        Files.writeString(home.resolve("id_rsa"), "secret");
        String input = String.join("\n",
                "{\"type\":\"command\",\"command\":\"sudo rm -rf /\"}",
                "{\"type\":\"file\",\"path\":\"~/.ssh/id_rsa\",\"operation\":\"read\"}",
                "{\"type\":\"file\",\"path\":\"src/main.rs\",\"operation\":\"read\"}",
                "{\"type\":\"command\",\"command\":\"git status\"}") + "\n";
        List<JsonNode> out = check(input, "check", "--preset", "strict", "--workspace", tmp.resolve("ws").toString(),
                "--home", tmp.resolve("home").toString());
        assertEquals(4, out.size());
        assertEquals("deny", out.get(0).get("decision").asText());
        assertEquals("deny", out.get(1).get("decision").asText());
        assertEquals("BLOCKED_PATH", out.get(1).get("code").asText());
        assertEquals("allow", out.get(2).get("decision").asText(), out.get(2).toString());
        assertEquals("allow", out.get(3).get("decision").asText(), out.get(3).toString());
        for (JsonNode n : out) {
            assertEquals(List.of("decision", "code", "reason", "rule"), iterator(n));
        }
    }

    @Test
    void malformedLinesAreRefusedAndTheStreamGoesOn() throws Exception {
        String input = String.join("\n",
                "not json",
                "{\"type\":\"file\",\"path\":\"x\"}",
                "{\"type\":\"teleport\"}",
                "[1,2]",
                "",
                "{\"type\":\"file\",\"path\":\"x\",\"operation\":\"chmod\"}",
                "{\"type\":\"network\",\"url\":\"https://github.com\",\"addresses\":[\"not-an-ip\"]}",
                "{\"type\":\"command\",\"command\":\"ls\",\"extra\":1}",
                "{\"type\":\"command\",\"command\":\"git status\",\"id\":\"last\"}") + "\n";
        List<JsonNode> out = check(input, "check", "--workspace", tmp.toString());
        assertEquals(9, out.size(), "one line out per line in");
        for (int i = 0; i < 8; i++) {
            assertEquals("deny", out.get(i).get("decision").asText(), out.get(i).toString());
            assertEquals("BAD_REQUEST", out.get(i).get("code").asText(), out.get(i).toString());
        }
        assertEquals("allow", out.get(8).get("decision").asText());
        assertEquals("last", out.get(8).get("id").asText());
    }

    @Test
    void givesTheSameDecisionsAsTheJavaApi() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        List<String> paths = List.of("a.txt", "../outside", "~/.aws/credentials", "/etc/passwd", ".env", "/dev/null");
        StringBuilder input = new StringBuilder();
        for (String p : paths) {
            input.append("{\"type\":\"file\",\"path\":").append(JSON.writeValueAsString(p))
                    .append(",\"operation\":\"write\"}\n");
        }
        List<JsonNode> out = check(input.toString(), "check", "--preset", "workspace", "--workspace", ws.toString(),
                "--home", tmp.resolve("home").toString());
        try (SandboxManager m = SandboxManager.builder(Policies.WORKSPACE).workspace(ws).home(tmp.resolve("home")).build()) {
            for (int i = 0; i < paths.size(); i++) {
                Decision d = m.evaluateFileAccess(paths.get(i), FileOperation.WRITE);
                assertEquals(d.verdict().jsonName(), out.get(i).get("decision").asText(), paths.get(i));
                assertEquals(d.code().name(), out.get(i).get("code").asText(), paths.get(i));
            }
        }
    }

    @Test
    void aBadPolicyFileIsAClearErrorNotADecision() throws Exception {
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, Policies.STRICT.toJson().replace("\"allow_symlinks\"", "\"allow_symlink\""));
        Launcher.Result r = Launcher.run("{\"type\":\"command\",\"command\":\"ls\"}\n", "check", "--policy", bad.toString());
        assertEquals(2, r.exit());
        assertTrue(r.stderr().contains("filesystem.allow_symlink: unknown field (did you mean \"allow_symlinks\"?)"), r.stderr());
        assertEquals("", r.stdout());

        Launcher.Result lint = Launcher.run("", "lint", bad.toString());
        assertEquals(1, lint.exit());
        assertTrue(lint.stdout().startsWith("invalid: " + bad), lint.stdout());
    }

    private static List<String> iterator(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

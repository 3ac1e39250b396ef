package dev.ku0.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every case of {@code commands.jsonl} through {@link SandboxManager#evaluateCommand}, with the same
 * filesystem part as the Rust corpus test: workspace mode, a temporary workspace and home,
 * {@code ~/.ssh}, {@code ~/.aws}, {@code ~/.gnupg} blocked.
 */
class CommandsCorpusTest {
    @TempDir
    static Path tmp;
    static Path ws;
    static Path home;

    @BeforeAll
    static void fixture() throws Exception {
        ws = tmp.resolve("ws");
        home = tmp.resolve("home");
        for (String d : List.of("src", "docs", "build", ".git/hooks")) Files.createDirectories(ws.resolve(d));
        for (String d : List.of(".ssh", ".aws", ".gnupg")) Files.createDirectories(home.resolve(d));
        for (String f : List.of("src/main.rs", "README.md", "Makefile", "docs/sudoku.md")) Files.writeString(ws.resolve(f), "x\n");
        Files.writeString(home.resolve(".ssh/id_rsa"), "secret\n");
        Files.writeString(home.resolve(".aws/credentials"), "secret\n");
        Files.writeString(home.resolve(".bashrc"), "# rc\n");
    }

    static Policy policyFor(JsonNode c) {
        List<String> allowed = c.has("allowed") ? strings(c.get("allowed")) : null;
        List<String> blocked = c.has("blocked") ? strings(c.get("blocked")) : null;
        CommandPolicy commands = new CommandPolicy(CommandMode.valueOf(c.get("mode").asText().toUpperCase(java.util.Locale.ROOT)),
                allowed, blocked, c.path("allow_sudo").asBoolean(false));
        FilesystemPolicy fs = new FilesystemPolicy(FilesystemMode.WORKSPACE, List.of("./"),
                List.of("~/.ssh", "~/.aws", "~/.gnupg"), true, true);
        // No public destination refused: the cases judge the command section.
        NetworkPolicy net = new NetworkPolicy(true, null, null, true, true, true);
        return new Policy("1.0", "corpus", fs, net, commands, ResourceLimits.NONE);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void everyCaseDecidesAsExpected() {
        List<JsonNode> cases = Corpus.read("commands.jsonl");
        assertTrue(cases.size() >= 200, "corpus loaded");
        check(cases);
    }

    /** The project's own cases of what programs do with their arguments. */
    @Test
    void everyProgramCaseDecidesAsExpected() {
        List<JsonNode> cases = Corpus.readOwn("commands-programs.jsonl");
        assertTrue(cases.size() >= 50, "corpus loaded");
        check(cases);
    }

    private static void check(List<JsonNode> cases) {
        List<String> failures = new ArrayList<>();
        for (JsonNode c : cases) {
            try (SandboxManager m = SandboxManager.builder(policyFor(c.get("policy"))).workspace(ws).home(home).build()) {
                String command = c.get("command").asText();
                CommandDecision d = m.evaluateCommand(command);
                // The fast boolean path agrees with the detailed one.
                assertEquals(d.allowed(), m.checkCommand(command), c.get("id").asText());
                if (!Corpus.satisfies(c.get("expected").asText(), d.verdict(), true)) {
                    failures.add(c.get("id").asText() + ": expected " + c.get("expected").asText() + ", got "
                            + d.verdict() + " " + d.code() + " (" + d.reason() + ") for " + command);
                }
                if (!d.allowed()) {
                    assertFalse(d.findings().isEmpty(), "a refusal has a finding: " + c.get("id").asText());
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " cases differ:\n" + String.join("\n", failures));
    }

    /** The project's own shell-language cases ({@code testdata/corpus/commands-shell.jsonl}). */
    @Test
    void everyShellLanguageCaseDecidesAsExpected() throws java.io.IOException {
        java.nio.file.Path file = PolicyTest.repoRoot().resolve("testdata/corpus/commands-shell.jsonl");
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (String line : java.nio.file.Files.readAllLines(file)) {
            if (line.isBlank()) continue;
            JsonNode c = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            n++;
            try (SandboxManager m = SandboxManager.builder(policyFor(c.get("policy"))).workspace(ws).home(home).build()) {
                CommandDecision d = m.evaluateCommand(c.get("command").asText());
                if (!Corpus.satisfies(c.get("expected").asText(), d.verdict(), true)) {
                    failures.add(c.get("id").asText() + ": expected " + c.get("expected").asText() + ", got "
                            + d.verdict() + " " + d.code() + " (" + d.reason() + ")");
                }
            }
        }
        assertTrue(n >= 40, "shell cases loaded");
        assertTrue(failures.isEmpty(), failures.size() + " of " + n + " cases differ:\n" + String.join("\n", failures));
    }

    @Test
    void theAnalysisShowsWhatWouldReallyRun() {
        JsonNode blacklist = Corpus.read("commands.jsonl").stream()
                .filter(c -> c.get("policy").get("mode").asText().equals("blacklist")).findFirst().orElseThrow().get("policy");
        try (SandboxManager m = SandboxManager.builder(policyFor(blacklist)).workspace(ws).home(home).build()) {
            String input = "g\"i\"t status && sudo rm -rf /";
            CommandDecision d = m.evaluateCommand(input);
            assertEquals(Verdict.DENY, d.verdict());
            assertTrue(d.commands().stream().anyMatch(c -> c.argv().equals(List.of("git", "status"))), d.commands().toString());
            assertTrue(d.commands().stream().anyMatch(c -> c.wrappers().contains("sudo")
                    && c.argv().get(0).equals("rm")), d.commands().toString());
            // Spans index the Java string: each finding points at a part of the input.
            for (CommandDecision.Finding f : d.findings()) {
                assertTrue(0 <= f.start() && f.start() <= f.end() && f.end() <= input.length(), f.toString());
            }
            CommandDecision echo = m.evaluateCommand("echo \"rm -rf /\" > notes.txt");
            assertEquals(Verdict.ALLOW, echo.verdict(), echo.toString());
            assertEquals("echo", echo.commands().get(0).argv().get(0));
            assertEquals("notes.txt", echo.commands().get(0).redirects().get(0).target());
        }
    }

    @Test
    void spansCountCharactersNotBytes() {
        JsonNode blacklist = Corpus.read("commands.jsonl").stream()
                .filter(c -> c.get("policy").get("mode").asText().equals("blacklist")).findFirst().orElseThrow().get("policy");
        try (SandboxManager m = SandboxManager.builder(policyFor(blacklist)).workspace(ws).home(home).build()) {
            String input = "echo 'héllo wörld' && sudo true";
            CommandDecision d = m.evaluateCommand(input);
            CommandDecision.Finding sudo = d.findings().stream().filter(f -> f.code() == DecisionCode.SUDO_NOT_ALLOWED)
                    .findFirst().orElseThrow(() -> new AssertionError(d.toString()));
            assertTrue(input.substring(sudo.start(), sudo.end()).contains("sudo"), input.substring(sudo.start(), sudo.end()));
        }
    }
}

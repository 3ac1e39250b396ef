package dev.ku0.sandbox.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ku0.sandbox.Decision;
import dev.ku0.sandbox.FileAccess;
import dev.ku0.sandbox.FileOperation;
import dev.ku0.sandbox.Policies;
import dev.ku0.sandbox.Policy;
import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.Verdict;
import dev.ku0.sandbox.bench.seed.SeedCommandValidator;
import dev.ku0.sandbox.bench.seed.SeedFilesystemGuard;
import dev.ku0.sandbox.bench.seed.SeedNetworkGuard;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts how many golden cases the native guards (through the Java API) and the seed's port
 * decide wrongly. Usage: {@code CorpusScore [CORPUS_DIR] [--json OUT]}; the directory defaults to
 * {@code $SANDBOX_CORPUS_DIR}, then the repository's {@code testdata/corpus}.
 *
 * <p>The cases are read as the corpus README says. Paths: each case gets a fresh virtual root with
 * the baseline fixture and its own setup lines; {@code windows} and {@code macos} cases (pure
 * platform rules, not reachable through the Java API on Linux) and {@code requires: enforce} cases
 * (a swap between check and use, which no check alone can pass) are skipped and counted as such.
 * URLs: the addresses of {@code setup.dns} are passed with the check (a {@code sequence} is checked
 * once per answer) and every redirect hop is checked again; the request is allowed only if every
 * check allows. Both guards get the same driver. Commands: the case's command policy, with the
 * filesystem part the project's corpus tests use (workspace mode, {@code ~/.ssh}, {@code ~/.aws},
 * {@code ~/.gnupg} blocked) on the baseline fixture: redirect targets are file accesses.
 *
 * <p>Wrong means: {@code allow} expected and not allowed, or {@code deny} expected and allowed;
 * for files and URLs also {@code ask} where {@code deny} was expected. A seed check that throws
 * (Java paths reject NUL) stops the tool call and counts as a refusal.
 */
public final class CorpusScore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The baseline fixture every path case assumes (corpus README). */
    public static final List<String> BASELINE = List.of(
            "dir /ws/src", "file /ws/src/main.rs", "file /ws/README.md", "file /ws/.env",
            "file /ws/node_modules/.bin/tsc", "file /home/user/.ssh/id_rsa",
            "file /home/user/.aws/credentials", "file /home/user/.gitconfig",
            "file /etc/passwd", "dir /etc/ssh", "dir /etc/cron.d", "dir /tmp",
            "dir /ws/.git/hooks", "file /ws/config/.env", "file /ws/config/.env.example",
            "file /ws/certs/server.pem", "file /ws/docs/pem-guide.md");

    /** The filesystem policy command cases run with, as the project's own corpus tests use it. */
    public static final String COMMAND_FILESYSTEM = """
            {"mode": "workspace", "allowed_paths": ["./"], "blocked_paths": ["~/.ssh", "~/.aws", "~/.gnupg"],
             "allow_symlinks": true, "allow_hidden_files": true}""";

    /** What command cases find on disk besides the baseline (the project's corpus tests have it too). */
    public static final List<String> COMMAND_FIXTURE = List.of(
            "dir /ws/docs", "dir /ws/build", "file /ws/Makefile", "file /ws/docs/sudoku.md",
            "dir /home/user/.gnupg", "file /home/user/.bashrc");

    private CorpusScore() {}

    /** The outcome of one guard on one corpus file. */
    public static final class Tally {
        final String guard;
        int cases;
        final Map<String, Integer> skipped = new TreeMap<>();
        final Side nativeApi = new Side();
        final Side seed = new Side();

        Tally(String guard) {
            this.guard = guard;
        }

        int applicable() {
            return cases - skipped.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** Wrong decisions of one implementation. */
    public static final class Side {
        final List<String> wronglyAllowed = new ArrayList<>();
        final List<String> wronglyRefused = new ArrayList<>();
        final List<String> errors = new ArrayList<>();

        int wrong() {
            return wronglyAllowed.size() + wronglyRefused.size();
        }

        void judge(String id, String expected, Verdict got, boolean askIsDeny) {
            boolean ok = switch (expected) {
                case "allow" -> got == Verdict.ALLOW;
                case "deny" -> got == Verdict.DENY || (askIsDeny && got == Verdict.ASK);
                default -> throw new IllegalArgumentException(id + ": unknown expectation " + expected);
            };
            if (!ok) (expected.equals("allow") ? wronglyRefused : wronglyAllowed).add(id);
        }
    }

    public static void main(String[] args) throws IOException {
        Path dir = null;
        Path jsonOut = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--json")) jsonOut = Path.of(args[++i]);
            else dir = Path.of(args[i]);
        }
        if (dir == null) dir = defaultCorpusDir();
        List<Tally> tallies = List.of(paths(dir), urls(dir), commands(dir));
        ObjectNode out = JSON.createObjectNode();
        out.put("corpus", dir.normalize().toString());
        for (Tally t : tallies) {
            ObjectNode g = out.putObject(t.guard);
            g.put("cases", t.cases);
            g.put("applicable", t.applicable());
            g.set("skipped", JSON.valueToTree(t.skipped));
            side(g.putObject("native"), t.nativeApi);
            side(g.putObject("seed"), t.seed);
            System.out.printf(Locale.ROOT, "%-8s %3d cases, %3d applicable: native wrong %3d (errors %d), seed port wrong %3d%n",
                    t.guard, t.cases, t.applicable(), t.nativeApi.wrong(), t.nativeApi.errors.size(), t.seed.wrong());
            if (!t.nativeApi.wronglyAllowed.isEmpty()) System.out.println("  native wrongly allowed: " + t.nativeApi.wronglyAllowed);
            if (!t.nativeApi.wronglyRefused.isEmpty()) System.out.println("  native wrongly refused: " + t.nativeApi.wronglyRefused);
            if (!t.nativeApi.errors.isEmpty()) System.out.println("  native errors: " + t.nativeApi.errors);
        }
        if (jsonOut != null) JSON.writeValue(jsonOut.toFile(), out);
    }

    private static void side(ObjectNode n, Side s) {
        n.put("wrong", s.wrong());
        n.set("wrongly_allowed", JSON.valueToTree(s.wronglyAllowed));
        n.set("wrongly_refused", JSON.valueToTree(s.wronglyRefused));
        n.set("errors", JSON.valueToTree(s.errors));
    }

    static Path defaultCorpusDir() {
        String env = System.getenv("SANDBOX_CORPUS_DIR");
        if (env != null && !env.isEmpty()) return Path.of(env);
        String repo = System.getenv().getOrDefault("SANDBOX_REPO_ROOT", ".");
        return Path.of(repo, "testdata", "corpus");
    }

    static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) out.add(JSON.readTree(line));
        }
        return out;
    }

    /** A full policy: the workspace preset with one section replaced. */
    static Policy policyWith(String section, JsonNode value) {
        try {
            ObjectNode p = (ObjectNode) JSON.readTree(Policies.WORKSPACE.toJson());
            p.set(section, value);
            return Policy.fromJson(p.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ paths

    static Tally paths(Path dir) throws IOException {
        Tally t = new Tally("paths");
        for (JsonNode c : read(dir.resolve("paths.jsonl"))) {
            t.cases++;
            String platform = c.path("platform").asText("any");
            if (!platform.equals("any") && !platform.equals("linux")) {
                t.skipped.merge("platform " + platform, 1, Integer::sum);
                continue;
            }
            if (c.path("requires").asText("check").equals("enforce")) {
                t.skipped.merge("requires enforce", 1, Integer::sum);
                continue;
            }
            String id = c.get("id").asText();
            String expected = c.get("expected").asText();
            try (VirtualRoot root = VirtualRoot.create()) {
                BASELINE.forEach(root::apply);
                for (JsonNode line : c.path("setup")) root.apply(line.asText());
                ObjectNode fs = c.get("policy").deepCopy();
                for (String key : new String[] {"allowed_paths", "blocked_paths"}) {
                    ArrayNode mapped = JSON.createArrayNode();
                    for (JsonNode p : fs.path(key)) mapped.add(root.map(p.asText()));
                    fs.set(key, mapped);
                }
                Path workspace = Path.of(root.map(c.get("workspace").asText()));
                Path home = Path.of(root.map(c.path("env").path("home").asText("/home/user")));
                Path cwd = Path.of(root.map(c.path("env").path("cwd").asText(c.get("workspace").asText())));
                String input = root.map(c.get("input").asText());
                String op = c.get("operation").asText();
                String other = c.hasNonNull("dest") ? c.get("dest").asText()
                        : c.hasNonNull("link_target") ? c.get("link_target").asText() : null;
                if (other != null) other = root.map(other);

                Policy policy;
                try {
                    policy = policyWith("filesystem", fs);
                } catch (RuntimeException e) {
                    t.nativeApi.errors.add(id + ": " + e.getMessage());
                    t.nativeApi.judge(id, expected, Verdict.DENY, false);
                    t.seed.judge(id, expected, Verdict.DENY, false);
                    continue;
                }
                Verdict nativeVerdict;
                try (SandboxManager m = SandboxManager.builder(policy).workspace(workspace).home(home).build()) {
                    Decision d = m.evaluateFileAccess(new FileAccess(input, FileOperation.fromName(op), other, -1));
                    nativeVerdict = d.verdict();
                } catch (RuntimeException e) {
                    t.nativeApi.errors.add(id + ": " + e);
                    nativeVerdict = Verdict.DENY;
                }
                t.nativeApi.judge(id, expected, nativeVerdict, false);
                Verdict seedVerdict;
                try {
                    SeedFilesystemGuard g = new SeedFilesystemGuard(policy.filesystem(), workspace, home.toString(), cwd);
                    seedVerdict = g.checkAccess(input, op).allowed() ? Verdict.ALLOW : Verdict.DENY;
                } catch (RuntimeException e) {
                    seedVerdict = Verdict.DENY;
                }
                t.seed.judge(id, expected, seedVerdict, false);
            }
        }
        return t;
    }

    // ------------------------------------------------------------------- urls

    /** One check of a URL case: a URL and the addresses its host resolved to (or none). */
    record UrlCheck(String url, List<InetAddress> addresses) {}

    static Tally urls(Path dir) throws IOException {
        Tally t = new Tally("urls");
        for (JsonNode c : read(dir.resolve("urls.jsonl"))) {
            t.cases++;
            String id = c.get("id").asText();
            String expected = c.get("expected").asText();
            String method = c.path("method").asText("GET");
            List<UrlCheck> checks = urlChecks(c);
            Policy policy = policyWith("network", c.get("policy"));

            Verdict nativeVerdict = Verdict.ALLOW;
            try (SandboxManager m = SandboxManager.builder(policy).build()) {
                for (UrlCheck u : checks) {
                    nativeVerdict = worst(nativeVerdict, m.evaluateNetworkRequest(u.url(), method, u.addresses()).verdict());
                }
            } catch (RuntimeException e) {
                t.nativeApi.errors.add(id + ": " + e);
                nativeVerdict = Verdict.DENY;
            }
            t.nativeApi.judge(id, expected, nativeVerdict, false);

            SeedNetworkGuard g = new SeedNetworkGuard(policy.network());
            Verdict seedVerdict = Verdict.ALLOW;
            for (UrlCheck u : checks) {
                if (!g.checkRequest(u.url(), method).allowed()) seedVerdict = Verdict.DENY;
            }
            t.seed.judge(id, expected, seedVerdict, false);
        }
        return t;
    }

    private static Verdict worst(Verdict a, Verdict b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    /** The input and every redirect hop, each with every DNS answer for its host. */
    static List<UrlCheck> urlChecks(JsonNode c) {
        List<String> urls = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        urls.add(c.get("input").asText());
        hosts.add(c.path("whatwg").path("hostname").asText(""));
        JsonNode redirects = c.path("setup").path("redirects");
        JsonNode parsed = c.path("setup").path("redirects_parsed");
        for (int i = 0; i < redirects.size(); i++) {
            JsonNode p = parsed.path(i);
            String to = redirects.get(i).asText().split("\\s*->\\s*", 2)[1];
            urls.add(p.path("ok").asBoolean(false) ? p.get("href").asText() : to);
            hosts.add(p.path("hostname").asText(""));
        }
        JsonNode dns = c.path("setup").path("dns");
        List<UrlCheck> checks = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            JsonNode answer = dns.get(hosts.get(i).toLowerCase(Locale.ROOT));
            if (answer == null) {
                checks.add(new UrlCheck(urls.get(i), null));
            } else if (answer.has("sequence")) {
                for (JsonNode a : answer.get("sequence")) checks.add(new UrlCheck(urls.get(i), addresses(a)));
            } else {
                checks.add(new UrlCheck(urls.get(i), addresses(answer)));
            }
        }
        return checks;
    }

    private static List<InetAddress> addresses(JsonNode list) {
        List<InetAddress> out = new ArrayList<>();
        for (JsonNode a : list) {
            try {
                out.add(InetAddress.getByName(a.asText())); // literals only: no lookup
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP address in setup.dns: " + a, e);
            }
        }
        return out;
    }

    // --------------------------------------------------------------- commands

    static Tally commands(Path dir) throws IOException {
        Tally t = new Tally("commands");
        try (VirtualRoot root = VirtualRoot.create()) {
            BASELINE.forEach(root::apply);
            COMMAND_FIXTURE.forEach(root::apply);
            ObjectNode fs = (ObjectNode) JSON.readTree(COMMAND_FILESYSTEM);
            ArrayNode blocked = JSON.createArrayNode();
            for (JsonNode p : fs.get("blocked_paths")) blocked.add(root.map(p.asText()));
            fs.set("blocked_paths", blocked);
            Path workspace = Path.of(root.map("/ws"));
            Path home = Path.of(root.map("/home/user"));
            Map<String, SandboxManager> managers = new LinkedHashMap<>();
            try {
                for (JsonNode c : read(dir.resolve("commands.jsonl"))) {
                    t.cases++;
                    String id = c.get("id").asText();
                    String expected = c.get("expected").asText();
                    String command = c.get("command").asText();
                    JsonNode cp = c.get("policy");
                    ObjectNode commands = JSON.createObjectNode();
                    commands.put("mode", cp.get("mode").asText());
                    if (cp.has("allowed")) commands.set("allowed_commands", cp.get("allowed"));
                    if (cp.has("blocked")) commands.set("blocked_commands", cp.get("blocked"));
                    commands.put("allow_sudo", cp.path("allow_sudo").asBoolean(false));
                    Policy policy = policyWith("commands", commands).withFilesystem(
                            policyWith("filesystem", fs).filesystem());

                    Verdict nativeVerdict;
                    try {
                        SandboxManager m = managers.computeIfAbsent(policy.toJson(),
                                k -> SandboxManager.builder(policy).workspace(workspace).home(home).build());
                        nativeVerdict = m.checkCommand(command) ? Verdict.ALLOW : Verdict.DENY;
                    } catch (RuntimeException e) {
                        t.nativeApi.errors.add(id + ": " + e);
                        nativeVerdict = Verdict.DENY;
                    }
                    t.nativeApi.judge(id, expected, nativeVerdict, true);
                    boolean seedAllowed = new SeedCommandValidator(policy.commands()).validateCommand(command).allowed();
                    t.seed.judge(id, expected, seedAllowed ? Verdict.ALLOW : Verdict.DENY, true);
                }
            } finally {
                managers.values().forEach(SandboxManager::close);
            }
        }
        return t;
    }
}

package dev.ku0.sandbox.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ku0.sandbox.Policies;
import dev.ku0.sandbox.Policy;
import dev.ku0.sandbox.SandboxManager;
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
import java.util.function.Supplier;

/**
 * Reads the golden corpus and builds each case's world (fixture, policy, workspace, home, the
 * checks a URL case makes) the way the corpus README says, once for every driver that runs the
 * corpus: {@link CorpusScore} (native guards against the seed's port) and the pure-Java
 * baseline's agreement check. A driver only decides what to call and how to count.
 */
public final class CorpusCases {
    private static final ObjectMapper JSON = new ObjectMapper();

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

    private CorpusCases() {}

    static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) out.add(JSON.readTree(line));
        }
        return out;
    }

    /** A full policy: the workspace preset with one section replaced. */
    public static Policy policyWith(String section, JsonNode value) {
        try {
            ObjectNode p = (ObjectNode) JSON.readTree(Policies.WORKSPACE.toJson());
            p.set(section, value);
            return Policy.fromJson(p.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ paths

    /**
     * One path case in its virtual root, valid while {@link PathVisitor#visit} runs. Paths are
     * mapped into the root; {@code policy} is null when the case's filesystem section does not
     * load, and {@code policyError} says why.
     */
    public record PathCase(String id, String expected, Policy policy, RuntimeException policyError,
            Path workspace, Path home, String cwd, String input, String operation, String other) {}

    /** What a driver does with each path case. */
    public interface PathVisitor {
        /** A case that does not apply here ({@code platform windows}, {@code requires enforce}, ...). */
        void skipped(String reason);

        void visit(PathCase c);
    }

    /**
     * Each case of {@code paths.jsonl} in a fresh virtual root with the baseline fixture and its
     * own setup lines. Cases of another platform (pure platform rules, not reachable through the
     * Java API on Linux) and {@code requires: enforce} cases (a swap between check and use, which
     * no check alone can pass) are handed to {@link PathVisitor#skipped}.
     */
    public static void paths(Path dir, PathVisitor visitor) throws IOException {
        for (JsonNode c : read(dir.resolve("paths.jsonl"))) {
            String platform = c.path("platform").asText("any");
            if (!platform.equals("any") && !platform.equals("linux")) {
                visitor.skipped("platform " + platform);
                continue;
            }
            if (c.path("requires").asText("check").equals("enforce")) {
                visitor.skipped("requires enforce");
                continue;
            }
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
                String cwd = root.map(c.path("env").path("cwd").asText(c.get("workspace").asText()));
                String other = c.hasNonNull("dest") ? c.get("dest").asText()
                        : c.hasNonNull("link_target") ? c.get("link_target").asText() : null;
                if (other != null) other = root.map(other);
                Policy policy = null;
                RuntimeException error = null;
                try {
                    policy = policyWith("filesystem", fs);
                } catch (RuntimeException e) {
                    error = e;
                }
                visitor.visit(new PathCase(c.get("id").asText(), c.get("expected").asText(), policy, error,
                        workspace, home, cwd, root.map(c.get("input").asText()), c.get("operation").asText(), other));
            }
        }
    }

    // ------------------------------------------------------------------- urls

    /** One check of a URL case: a URL and the addresses its host resolved to (or none). */
    public record UrlCheck(String url, List<InetAddress> addresses) {}

    /** One URL case: the request is allowed only if every one of its checks allows. */
    public record UrlCase(String id, String expected, String method, Policy policy, List<UrlCheck> checks) {}

    /** Each case of {@code urls.jsonl}, with its policy and the checks it makes. */
    public static List<UrlCase> urls(Path dir) throws IOException {
        List<UrlCase> out = new ArrayList<>();
        for (JsonNode c : read(dir.resolve("urls.jsonl"))) {
            out.add(new UrlCase(c.get("id").asText(), c.get("expected").asText(), c.path("method").asText("GET"),
                    policyWith("network", c.get("policy")), urlChecks(c)));
        }
        return out;
    }

    /**
     * The input and every redirect hop, each with every DNS answer for its host: the addresses of
     * {@code setup.dns} are passed with the check, and a {@code sequence} is checked once per answer.
     */
    public static List<UrlCheck> urlChecks(JsonNode c) {
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

    /**
     * One command case: its command policy joined with {@link #COMMAND_FILESYSTEM}, in the shared
     * command fixture. {@code manager} gives the (cached, per policy) manager of the native guards;
     * it throws what building the manager throws.
     */
    public record CommandCase(String id, String expected, String command, Policy policy, Path workspace, Path home,
            Supplier<SandboxManager> manager) {}

    /** What a driver does with each command case. */
    public interface CommandVisitor {
        void visit(CommandCase c);
    }

    /**
     * Each case of {@code commands.jsonl}, all in one virtual root with the baseline fixture and
     * {@link #COMMAND_FIXTURE}: redirect targets are file accesses. Managers are closed at the end.
     */
    public static void commands(Path dir, CommandVisitor visitor) throws IOException {
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
                    JsonNode cp = c.get("policy");
                    ObjectNode commands = JSON.createObjectNode();
                    commands.put("mode", cp.get("mode").asText());
                    if (cp.has("allowed")) commands.set("allowed_commands", cp.get("allowed"));
                    if (cp.has("blocked")) commands.set("blocked_commands", cp.get("blocked"));
                    commands.put("allow_sudo", cp.path("allow_sudo").asBoolean(false));
                    Policy policy = policyWith("commands", commands).withFilesystem(
                            policyWith("filesystem", fs).filesystem());
                    Supplier<SandboxManager> manager = () -> managers.computeIfAbsent(policy.toJson(),
                            k -> SandboxManager.builder(policy).workspace(workspace).home(home).build());
                    visitor.visit(new CommandCase(c.get("id").asText(), c.get("expected").asText(),
                            c.get("command").asText(), policy, workspace, home, manager));
                }
            } finally {
                managers.values().forEach(SandboxManager::close);
            }
        }
    }
}

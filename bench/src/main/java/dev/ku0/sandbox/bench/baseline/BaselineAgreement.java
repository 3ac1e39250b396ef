package dev.ku0.sandbox.bench.baseline;

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
import dev.ku0.sandbox.bench.CorpusScore;
import dev.ku0.sandbox.bench.VirtualRoot;
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

/**
 * Runs the pure-Java baseline and the native guards (through the Java API) on the golden corpus,
 * as {@code CorpusScore} drives it, and lists where the baseline answers and whether it agrees.
 * Usage: {@code BaselineAgreement CORPUS_DIR [--json OUT]}.
 */
public final class BaselineAgreement {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The fixture and command policy of {@link CorpusScore}: both drivers see the same corpus world. */
    static final List<String> BASELINE = CorpusScore.BASELINE;
    static final String COMMAND_FILESYSTEM = CorpusScore.COMMAND_FILESYSTEM;
    static final List<String> COMMAND_FIXTURE = CorpusScore.COMMAND_FIXTURE;

    private BaselineAgreement() {}

    /** One corpus file: how many cases, how many the baseline answered, and where it disagreed. */
    public static final class Tally {
        public final String guard;
        public int cases;
        public int answered;
        /** Cases where the baseline's answer differs from the native guard's verdict. */
        public final List<String> disagreements = new ArrayList<>();
        /** Cases where the baseline's answer differs from the expected one. */
        public final List<String> wrong = new ArrayList<>();

        Tally(String guard) {
            this.guard = guard;
        }

        void add(String id, String expected, Verdict nativeVerdict, Answer baseline) {
            cases++;
            if (baseline == Answer.UNSUPPORTED) return;
            answered++;
            boolean nativeAllows = nativeVerdict == Verdict.ALLOW;
            if (nativeAllows != (baseline == Answer.ALLOW)) disagreements.add(id + " (baseline " + baseline + ")");
            if (expected.equals("allow") != (baseline == Answer.ALLOW)) wrong.add(id + " (baseline " + baseline + ")");
        }
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Path jsonOut = args.length > 2 && args[1].equals("--json") ? Path.of(args[2]) : null;
        ObjectNode out = JSON.createObjectNode();
        for (Tally t : List.of(paths(dir), urls(dir), commands(dir))) {
            System.out.printf(Locale.ROOT, "%-8s %3d cases, baseline answers %3d, disagrees with the native guard on %d%n",
                    t.guard, t.cases, t.answered, t.disagreements.size());
            if (!t.disagreements.isEmpty()) System.out.println("  " + t.disagreements);
            ObjectNode g = out.putObject(t.guard);
            g.put("cases", t.cases);
            g.put("answered", t.answered);
            g.set("disagreements", JSON.valueToTree(t.disagreements));
            g.set("wrong", JSON.valueToTree(t.wrong));
        }
        if (jsonOut != null) JSON.writeValue(jsonOut.toFile(), out);
    }

    static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) out.add(JSON.readTree(line));
        }
        return out;
    }

    static Policy policyWith(String section, JsonNode value) {
        try {
            ObjectNode p = (ObjectNode) JSON.readTree(Policies.WORKSPACE.toJson());
            p.set(section, value);
            return Policy.fromJson(p.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Tally paths(Path dir) throws IOException {
        Tally t = new Tally("paths");
        for (JsonNode c : read(dir.resolve("paths.jsonl"))) {
            String platform = c.path("platform").asText("any");
            if ((!platform.equals("any") && !platform.equals("linux"))
                    || c.path("requires").asText("check").equals("enforce")) {
                continue;
            }
            String id = c.get("id").asText();
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
                String input = root.map(c.get("input").asText());
                String op = c.get("operation").asText();
                String other = c.hasNonNull("dest") ? c.get("dest").asText()
                        : c.hasNonNull("link_target") ? c.get("link_target").asText() : null;
                if (other != null) other = root.map(other);
                Policy policy;
                try {
                    policy = policyWith("filesystem", fs);
                } catch (RuntimeException e) {
                    continue;
                }
                Verdict nativeVerdict;
                try (SandboxManager m = SandboxManager.builder(policy).workspace(workspace).home(home).build()) {
                    Decision d = m.evaluateFileAccess(new FileAccess(input, FileOperation.fromName(op), other, -1));
                    nativeVerdict = d.verdict();
                } catch (RuntimeException e) {
                    nativeVerdict = Verdict.DENY;
                }
                Answer a = cwd.equals(workspace.toString())
                        ? new JavaPathGuard(policy.filesystem(), workspace, home).check(input, op)
                        : Answer.UNSUPPORTED;
                t.add(id, c.get("expected").asText(), nativeVerdict, a);
            }
        }
        return t;
    }

    public static Tally urls(Path dir) throws IOException {
        Tally t = new Tally("urls");
        for (JsonNode c : read(dir.resolve("urls.jsonl"))) {
            String id = c.get("id").asText();
            String method = c.path("method").asText("GET");
            Policy policy = policyWith("network", c.get("policy"));
            Verdict nativeVerdict = Verdict.ALLOW;
            Answer baseline = Answer.ALLOW;
            JavaUrlGuard g = new JavaUrlGuard(policy.network());
            try (SandboxManager m = SandboxManager.builder(policy).build()) {
                for (Object[] u : urlChecks(c)) {
                    @SuppressWarnings("unchecked")
                    List<InetAddress> addresses = (List<InetAddress>) u[1];
                    Verdict v = m.evaluateNetworkRequest((String) u[0], method, addresses).verdict();
                    if (v.ordinal() > nativeVerdict.ordinal()) nativeVerdict = v;
                    Answer a = g.check((String) u[0], method, addresses);
                    if (a == Answer.DENY) baseline = Answer.DENY;
                    else if (a == Answer.UNSUPPORTED && baseline == Answer.ALLOW) baseline = Answer.UNSUPPORTED;
                }
            }
            t.add(id, c.get("expected").asText(), nativeVerdict, baseline);
        }
        return t;
    }

    /** The input and every redirect hop, each with every DNS answer (as {@code CorpusScore} reads them). */
    static List<Object[]> urlChecks(JsonNode c) {
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
        List<Object[]> checks = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            JsonNode answer = dns.get(hosts.get(i).toLowerCase(Locale.ROOT));
            if (answer == null) {
                checks.add(new Object[] {urls.get(i), null});
            } else if (answer.has("sequence")) {
                for (JsonNode a : answer.get("sequence")) checks.add(new Object[] {urls.get(i), addresses(a)});
            } else {
                checks.add(new Object[] {urls.get(i), addresses(answer)});
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

    public static Tally commands(Path dir) throws IOException {
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
                    String id = c.get("id").asText();
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
                        nativeVerdict = Verdict.DENY;
                    }
                    JavaCommandGuard g = new JavaCommandGuard(policy.commands(),
                            new JavaPathGuard(policy.filesystem(), workspace, home));
                    t.add(id, c.get("expected").asText(), nativeVerdict, g.check(command));
                }
            } finally {
                managers.values().forEach(SandboxManager::close);
            }
        }
        return t;
    }
}

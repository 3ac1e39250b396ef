package dev.ku0.sandbox.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ku0.sandbox.FileOperation;
import dev.ku0.sandbox.Policy;
import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.bench.baseline.JavaGuards;
import dev.ku0.sandbox.bench.seed.SeedGuards;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The benchmark inputs of {@code inputs.json}, shared with the engine timing loop in Rust: a
 * fixture tree, a policy that scales to N rules per list, and the cases of each guard.
 */
public final class BenchInputs {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode INPUTS = load();

    /**
     * The library's decision log ({@link SandboxManager#DECISION_LOGGER}), held at WARNING as the
     * CLI holds it: with the JDK's default logging configuration every refusal would be written to
     * standard error at INFO (a formatted line with its caller found on the stack, about 8 KB of
     * garbage and a write per refusal), and the refusal cases would time the console instead of
     * the check. The violation log still records every refusal. Held here because the logging
     * framework keeps loggers only weakly.
     */
    private static final java.util.logging.Logger DECISION_LOG = quietDecisionLog();

    private static java.util.logging.Logger quietDecisionLog() {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(SandboxManager.DECISION_LOGGER);
        log.setLevel(java.util.logging.Level.WARNING);
        return log;
    }

    private BenchInputs() {}

    private static JsonNode load() {
        try (InputStream in = BenchInputs.class.getResourceAsStream("inputs.json")) {
            if (in == null) throw new IllegalStateException("inputs.json is missing from the classpath");
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture tree, a policy with N rules per list, a manager, the seed port and the Java baseline on it. */
    public static final class World implements AutoCloseable {
        public final VirtualRoot root;
        public final Path workspace;
        public final Path home;
        public final Policy policy;
        public final SandboxManager manager;
        public final SeedGuards seed;
        /** The correct pure-Java baseline on the same policy. */
        public final JavaGuards java;

        World(int rules) {
            root = VirtualRoot.create();
            try {
                for (JsonNode line : INPUTS.get("fixture")) root.apply(line.asText());
                workspace = Path.of(root.map(INPUTS.get("workspace").asText()));
                home = Path.of(root.map(INPUTS.get("home").asText()));
                policy = Policy.fromJson(policyJson(rules, root));
                manager = SandboxManager.builder(policy).workspace(workspace).home(home).build();
                seed = SeedGuards.of(policy, workspace, home);
                java = JavaGuards.of(policy, workspace, home);
            } catch (RuntimeException e) {
                root.close();
                throw e;
            }
        }

        /** The real path of a file case. */
        public String path(String fileCase) {
            return root.map(fileCase(fileCase).get("path").asText());
        }

        @Override
        public void close() {
            manager.close();
            root.close();
        }
    }

    /** Builds the fixture and the policy with {@code rules} entries per scaled list. */
    public static World world(int rules) {
        return new World(rules);
    }

    /**
     * The policy JSON with {@code rules} entries in every scaled list (real entries last) and
     * absolute filesystem entries mapped below {@code root}.
     */
    public static String policyJson(int rules, VirtualRoot root) {
        ObjectNode policy = INPUTS.get("policy").deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = INPUTS.get("scaling").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String[] field = e.getKey().split("\\.");
            ObjectNode section = (ObjectNode) policy.get(field[0]);
            ArrayNode real = (ArrayNode) section.get(field[1]);
            ArrayNode list = JSON.createArrayNode();
            for (int i = 0; i < rules - real.size(); i++) {
                list.add(e.getValue().asText().replace("{i}", Integer.toString(i)));
            }
            list.addAll(real);
            section.set(field[1], list);
        }
        ObjectNode fs = (ObjectNode) policy.get("filesystem");
        for (String key : new String[] {"allowed_paths", "blocked_paths"}) {
            ArrayNode mapped = JSON.createArrayNode();
            for (JsonNode p : fs.get(key)) mapped.add(root.map(p.asText()));
            fs.set(key, mapped);
        }
        return policy.toString();
    }

    /** The case of {@code guard} ({@code files}, {@code urls}, {@code commands}) that is also run on larger policies. */
    public static String scalingCase(String guard) {
        return INPUTS.get("scaling_cases").get(guard).asText();
    }

    /** The case names of {@code guard} ({@code files}, {@code urls}, {@code commands}) in file order. */
    public static Iterable<String> caseNames(String guard) {
        List<String> names = new ArrayList<>();
        INPUTS.get(guard).fieldNames().forEachRemaining(names::add);
        return names;
    }

    public static JsonNode fileCase(String name) {
        return required("files", name);
    }

    public static FileOperation fileOperation(String name) {
        return FileOperation.fromName(fileCase(name).get("operation").asText());
    }

    public static String url(String name) {
        return required("urls", name).get("url").asText();
    }

    public static String method(String name) {
        return required("urls", name).get("method").asText();
    }

    /** The addresses the case's host resolved to, or {@code null} when the case has none. */
    public static List<InetAddress> addresses(String name) {
        JsonNode a = required("urls", name).get("addresses");
        if (a == null) return null;
        List<InetAddress> out = new ArrayList<>();
        for (JsonNode n : a) {
            try {
                out.add(InetAddress.getByName(n.asText())); // IP literals: no lookup
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP address: " + n, e);
            }
        }
        return List.copyOf(out);
    }

    public static String command(String name) {
        return required("commands", name).asText();
    }

    private static JsonNode required(String section, String name) {
        JsonNode n = INPUTS.get(section).get(name);
        if (n == null) throw new IllegalArgumentException("no " + section + " case named " + name);
        return n;
    }
}

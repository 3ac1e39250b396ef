package dev.ku0.sandbox;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every case of the golden {@code urls.jsonl} through {@link SandboxManager#evaluateNetworkRequest}
 * and {@link NetworkTarget}, the same way the Rust corpus test runs them: {@code setup.dns} gives
 * the addresses handed to the check (every answer of a rebinding {@code sequence} must pass), and
 * every {@code setup.redirects} hop is resolved and checked again. Expected {@code deny} must be
 * {@code deny}.
 */
class UrlsCorpusTest {
    /** An existing directory for managers whose checks name no file in their workspace. */
    private static final String ANY_DIR = System.getProperty("java.io.tmpdir");

    private static Policy policyOf(JsonNode p) {
        Policy base = Policies.WORKSPACE;
        NetworkPolicy network = new NetworkPolicy(p.path("enabled").asBoolean(), list(p.get("allowed_domains")),
                list(p.get("blocked_domains")), p.path("allow_localhost").asBoolean(), p.path("allow_https").asBoolean(),
                p.path("allow_http").asBoolean());
        return new Policy(base.version(), "urls-corpus", base.filesystem(), network, base.commands(), base.limits());
    }

    private static List<String> list(JsonNode n) {
        if (n == null || n.isNull()) return null;
        List<String> out = new ArrayList<>();
        n.forEach(e -> out.add(e.asText()));
        return out;
    }

    /** The answers the case's DNS gives {@code host}, one list per lookup; empty when it gives none. */
    private static List<List<InetAddress>> answers(JsonNode dns, String host) {
        List<List<InetAddress>> out = new ArrayList<>();
        if (dns == null || !dns.isObject()) return out;
        for (Map.Entry<String, JsonNode> e : dns.properties()) {
            String name = e.getKey();
            boolean same = name.equals(host);
            if (!same) {
                try {
                    same = NetworkTarget.parse("https://" + name + "/").host().equals(host);
                } catch (SandboxViolationException ignored) {
                    // A key that is not a host cannot be the host.
                }
            }
            if (!same) continue;
            JsonNode v = e.getValue();
            if (v.isArray()) {
                out.add(addresses(v));
            } else {
                v.path("sequence").forEach(answer -> out.add(addresses(answer)));
            }
        }
        return out;
    }

    private static List<InetAddress> addresses(JsonNode list) {
        List<InetAddress> out = new ArrayList<>();
        for (JsonNode a : list) {
            try {
                out.add(InetAddress.getByName(a.asText())); // the corpus holds literals only: no lookup
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException(a.asText(), e);
            }
        }
        return out;
    }

    /** The decision for one URL with every DNS answer of its host; the most severe wins. */
    private static Decision check(SandboxManager m, String url, String method, JsonNode dns) {
        String host;
        try {
            host = NetworkTarget.parse(url).host();
        } catch (SandboxViolationException e) {
            host = null;
        }
        List<List<InetAddress>> lookups = host == null ? List.of() : answers(dns, host);
        if (lookups.isEmpty()) return m.evaluateNetworkRequest(url, method);
        Decision worst = null;
        for (List<InetAddress> answer : lookups) {
            Decision d = m.evaluateNetworkRequest(url, method, answer);
            if (worst == null || d.verdict().ordinal() > worst.verdict().ordinal()) worst = d;
        }
        return worst;
    }

    private static Decision decide(JsonNode c) {
        try (SandboxManager m = SandboxManager.builder(policyOf(c.path("policy"))).workspace(Path.of(ANY_DIR))
                .home(Path.of("/home/user")).build()) {
            String method = c.path("method").asText();
            JsonNode dns = c.path("setup").get("dns");
            Decision d = check(m, c.path("input").asText(), method, dns);
            int hop = 0;
            for (JsonNode h : c.path("setup").path("redirects")) {
                if (d.verdict() == Verdict.DENY) break;
                String[] parts = h.asText().split(" -> ", 2);
                if (++hop > 20) {
                    d = Decision.deny(DecisionCode.TOO_MANY_REDIRECTS, "more than 20 redirects");
                    break;
                }
                try {
                    NetworkTarget next = NetworkTarget.resolve(parts[0], parts[1]);
                    Decision hopDecision = check(m, next.url(), method, dns);
                    if (hopDecision.verdict().ordinal() > d.verdict().ordinal()) d = hopDecision;
                } catch (SandboxViolationException e) {
                    d = e.decision();
                }
            }
            return d;
        }
    }

    @Test
    void everyUrlCaseDecidesAsExpected() {
        List<JsonNode> cases = Corpus.read("urls.jsonl");
        assertTrue(cases.size() > 100, "the corpus looks truncated: " + cases.size());
        List<String> failures = new ArrayList<>();
        for (JsonNode c : cases) {
            String expected = c.path("expected").asText();
            Decision d = decide(c);
            if (!Corpus.satisfies(expected, d.verdict(), false)) {
                failures.add(c.path("id").asText() + ": expected " + expected + ", got " + d.verdict() + " " + d.code()
                        + " (" + d.reason() + ") for " + c.path("input").asText());
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " cases failed:\n" + String.join("\n", failures));
    }
}

package dev.ku0.sandbox.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ku0.sandbox.Decision;
import dev.ku0.sandbox.DecisionCode;
import dev.ku0.sandbox.FileAccess;
import dev.ku0.sandbox.FileOperation;
import dev.ku0.sandbox.SandboxManager;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code sandbox check}: JSON Lines in, exactly one decision line out per input line, in order.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {
            "Reads requests as JSON Lines on stdin and writes one decision per line on stdout, in order.",
            "",
            "Requests:",
            "  {\"type\":\"file\",\"path\":P,\"operation\":OP,\"dest\":D?,\"link_target\":T?,\"size\":N?}",
            "  {\"type\":\"network\",\"url\":U,\"method\":M,\"addresses\":[IP,...]?}",
            "  {\"type\":\"command\",\"command\":C}",
            "An optional \"id\" is echoed back. Decisions:",
            "  {\"decision\":\"allow\"|\"ask\"|\"deny\",\"code\":...,\"reason\":...,\"rule\":...}",
            "A malformed line yields deny with code BAD_REQUEST, and the stream goes on."
        })
final class CheckCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    PolicyOptions options;

    @Override
    public Integer call() throws Exception {
        try (SandboxManager manager = options.manager();
             BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)))) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(JSON.writeValueAsString(decide(manager, line)));
                // Flush when no more input is waiting, so that an interactive caller sees each answer.
                if (!in.ready()) out.flush();
            }
        }
        return 0;
    }

    /** One request line in, one decision object out. Never throws for bad input. */
    static ObjectNode decide(SandboxManager manager, String line) {
        JsonNode id = null;
        Decision d;
        try {
            JsonNode req = JSON.readTree(line);
            if (req == null || !req.isObject()) throw new BadRequest("a request must be a JSON object");
            id = req.get("id");
            String type = text(req, "type", true);
            d = switch (type) {
                case "file" -> file(manager, req);
                case "network" -> network(manager, req);
                case "command" -> {
                    only(req, Set.of("type", "id", "command"));
                    yield manager.evaluateCommand(text(req, "command", true)).decision();
                }
                default -> throw new BadRequest("unknown type \"" + type + "\"; expected file, network or command");
            };
        } catch (BadRequest | IllegalArgumentException e) {
            d = Decision.deny(DecisionCode.BAD_REQUEST, e.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            d = Decision.deny(DecisionCode.BAD_REQUEST, "not valid JSON: " + e.getOriginalMessage());
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("decision", d.verdict().jsonName());
        o.put("code", d.code().name());
        o.put("reason", d.reason());
        o.put("rule", d.rule());
        if (id != null) o.set("id", id);
        return o;
    }

    private static Decision file(SandboxManager m, JsonNode req) throws BadRequest {
        only(req, Set.of("type", "id", "path", "operation", "dest", "link_target", "size"));
        FileOperation op = FileOperation.fromName(text(req, "operation", true));
        String other = switch (op) {
            case RENAME -> text(req, "dest", true);
            case SYMLINK, LINK -> text(req, "link_target", true);
            default -> null;
        };
        long size = -1;
        if (req.has("size")) {
            JsonNode s = req.get("size");
            if (!s.canConvertToExactIntegral() || s.asLong() < 0) throw new BadRequest("size must be a non-negative integer");
            size = s.asLong();
        }
        return m.evaluateFileAccess(new FileAccess(text(req, "path", true), op, other, size));
    }

    private static Decision network(SandboxManager m, JsonNode req) throws BadRequest {
        only(req, Set.of("type", "id", "url", "method", "addresses"));
        String method = req.has("method") ? text(req, "method", true) : "GET";
        List<InetAddress> addresses = null;
        if (req.has("addresses") && !req.get("addresses").isNull()) {
            JsonNode a = req.get("addresses");
            if (!a.isArray()) throw new BadRequest("addresses must be an array of IP addresses");
            addresses = new ArrayList<>();
            for (JsonNode ip : a) {
                if (!ip.isTextual()) throw new BadRequest("addresses must be an array of IP addresses");
                try {
                    // A literal only: the check must never trigger a DNS lookup.
                    addresses.add(literal(ip.asText()));
                } catch (IllegalArgumentException e) {
                    throw new BadRequest("\"" + ip.asText() + "\" is not an IP address");
                }
            }
        }
        return m.evaluateNetworkRequest(text(req, "url", true), method, addresses);
    }

    /**
     * An IP address literal, never a lookup: {@code InetAddress.getByName} parses digits-and-dots
     * and anything with a colon as a literal (throwing when it is not one) and only resolves other
     * text, which is refused here first.
     */
    static InetAddress literal(String ip) {
        if (!ip.matches("[0-9]+(\\.[0-9]+){0,3}") && !ip.matches("\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.%]*\\]?")) {
            throw new IllegalArgumentException(ip + " is not an IP address");
        }
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(ip + " is not an IP address", e);
        }
    }

    private static String text(JsonNode req, String field, boolean required) throws BadRequest {
        JsonNode v = req.get(field);
        if (v == null || v.isNull()) {
            if (required) throw new BadRequest("missing field \"" + field + "\"");
            return null;
        }
        if (!v.isTextual()) throw new BadRequest("field \"" + field + "\" must be a string");
        return v.asText();
    }

    private static void only(JsonNode req, Set<String> allowed) throws BadRequest {
        for (Iterator<Map.Entry<String, JsonNode>> it = req.fields(); it.hasNext(); ) {
            String name = it.next().getKey();
            if (!allowed.contains(name)) {
                throw new BadRequest("unknown field \"" + name + "\" for type " + req.path("type").asText());
            }
        }
    }

    static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }
}

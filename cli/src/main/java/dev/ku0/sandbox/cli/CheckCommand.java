package dev.ku0.sandbox.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ku0.sandbox.Decision;
import dev.ku0.sandbox.DecisionCode;
import dev.ku0.sandbox.FileAccess;
import dev.ku0.sandbox.FileOperation;
import dev.ku0.sandbox.SandboxManager;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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
            "An optional \"id\" is echoed back. OP is one of: " + CheckCommand.OPERATIONS + ".",
            "M is one of: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS (required, like OP).",
            "Decisions:",
            "  {\"decision\":\"allow\"|\"ask\"|\"deny\",\"code\":...,\"reason\":...,\"rule\":...}",
            "Lines end at LF only (a CR before it is dropped). A malformed line (not one JSON object, a duplicate "
                + "key, text after the object, invalid UTF-8, a missing field) yields deny with code BAD_REQUEST, "
                + "and the stream goes on."
        })
final class CheckCommand implements Callable<Integer> {
    /** The file operations a request may name, as the help lists them. */
    /** The longest request line kept; a longer one is answered with BAD_REQUEST. */
    static final int MAX_LINE_BYTES = 1 << 20;

    static final String OPERATIONS = "read, write, create, create_dir, delete, list, rename, symlink, link, execute";

    /**
     * The JSON mapper, built when first used: {@link QuickCheck} answers most lines without it.
     * One JSON object per line and nothing after it; two values for one key are an error, not
     * "the last wins".
     */
    private static final class Json {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    @Mixin
    PolicyOptions options;

    @Override
    public Integer call() throws Exception {
        return run(System.in, System.out);
    }

    /** Answers every line of {@code stdin} on {@code stdout} through the Java API; returns the exit status. */
    int run(InputStream stdin, OutputStream stdout) throws IOException {
        try (SandboxManager manager = options.manager();
             InputStream in = new BufferedInputStream(stdin);
             PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8)))) {
            byte[] line;
            while ((line = readLine(in)) != null) {
                out.print(toJson(decide(manager, line)));
                out.print('\n');
                // Flush when no more input is waiting, so that an interactive caller sees each answer.
                if (in.available() == 0) out.flush();
            }
        }
        return 0;
    }

    /** The next line's bytes without its end, or null at the end of input (see {@link QuickCheck#readLine}). */
    static byte[] readLine(InputStream in) throws IOException {
        return QuickCheck.readLine(in);
    }

    /** A decision object as one line of output. */
    static String toJson(ObjectNode answer) throws IOException {
        return Json.MAPPER.writeValueAsString(answer);
    }

    /** One request line (bytes, without its end) in, one decision object out. Never throws for bad input. */
    static ObjectNode decide(SandboxManager manager, byte[] line) {
        if (line.length > MAX_LINE_BYTES) {
            return answer(Decision.deny(DecisionCode.BAD_REQUEST, "the line is longer than " + MAX_LINE_BYTES + " bytes"), null);
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line)).toString();
            return decide(manager, text);
        } catch (CharacterCodingException e) {
            return answer(Decision.deny(DecisionCode.BAD_REQUEST, "the line is not valid UTF-8"), null);
        }
    }

    /** One request line in, one decision object out. Never throws for bad input. */
    static ObjectNode decide(SandboxManager manager, String line) {
        JsonNode id = null;
        Decision d;
        try {
            JsonNode req = Json.MAPPER.readTree(line);
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
        return answer(d, id);
    }

    private static ObjectNode answer(Decision d, JsonNode id) {
        ObjectNode o = Json.MAPPER.createObjectNode();
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
        // Required like a file request's operation: a default would decide a request nobody sent.
        String method = text(req, "method", true);
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

    /** An IP address literal, never a lookup (see {@link QuickCheck#literal}). */
    static InetAddress literal(String ip) {
        return QuickCheck.literal(ip);
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

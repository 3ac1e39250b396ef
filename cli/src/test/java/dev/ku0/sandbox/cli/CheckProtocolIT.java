package dev.ku0.sandbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code check} line protocol at the byte level: the input is a byte array written to the
 * launcher's stdin, so line ends, stray CRs and invalid UTF-8 arrive exactly as written.
 */
class CheckProtocolIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream input = new ByteArrayOutputStream();

    private CheckProtocolIT add(String text) {
        input.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    private CheckProtocolIT add(byte... bytes) {
        input.writeBytes(bytes);
        return this;
    }

    private List<JsonNode> check() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        Launcher.Result r = Launcher.run(input.toByteArray(), "check", "--workspace", ws.toString(),
                "--home", tmp.resolve("home").toString());
        assertEquals(0, r.exit(), r.stderr());
        List<JsonNode> out = new ArrayList<>();
        for (String l : r.lines()) out.add(JSON.readTree(l));
        return out;
    }

    private static void badRequest(JsonNode n, String why) {
        assertEquals("deny", n.get("decision").asText(), why + ": " + n);
        assertEquals("BAD_REQUEST", n.get("code").asText(), why + ": " + n);
    }

    @Test
    void oneAnswerPerLineWhateverTheLineHolds() throws Exception {
        String ok = "{\"type\":\"command\",\"command\":\"git status\",\"id\":%s}";
        add(String.format(ok, 1)).add((byte) '\r').add(String.format(ok, 2)).add("\n");     // lone CR: one line
        add(String.format(ok, 3)).add("\r\n");                                              // CRLF: CR dropped
        add("{\"type\":\"command\",\"command\":\"git status\"} trailing\n");               // text after the object
        add("{\"type\":\"command\",\"command\":\"ls\"}{\"type\":\"command\",\"command\":\"ls\"}\n");
        add("{\"type\":\"file\",\"path\":\"a.txt\",\"path\":\"b.txt\",\"operation\":\"read\"}\n"); // duplicate key
        add("{\"type\":\"file\",\"path\":\"a").add((byte) 0xff, (byte) 0xfe).add(".txt\",\"operation\":\"read\"}\n");
        add("{\"type\":\"network\",\"url\":\"https://github.com/\"}\n");                   // no method
        add("{\"type\":\"file\",\"path\":\"a.txt\"}\n");                                    // no operation
        add("\r\n");                                                                        // empty line
        add(String.format(ok, "\"last\""));                                                 // no final LF
        List<JsonNode> out = check();

        assertEquals(10, out.size(), "one answer per LF-terminated line: " + out);
        badRequest(out.get(0), "two objects joined by a lone CR");
        assertEquals("allow", out.get(1).get("decision").asText(), out.get(1).toString());
        assertEquals(3, out.get(1).get("id").asInt(), "the answer is paired with its request");
        badRequest(out.get(2), "trailing text");
        badRequest(out.get(3), "a second object");
        badRequest(out.get(4), "duplicate key");
        assertTrue(out.get(4).get("reason").asText().contains("path"), out.get(4).toString());
        badRequest(out.get(5), "invalid UTF-8");
        assertTrue(out.get(5).get("reason").asText().contains("UTF-8"), out.get(5).toString());
        badRequest(out.get(6), "network request without method");
        assertTrue(out.get(6).get("reason").asText().contains("method"), out.get(6).toString());
        badRequest(out.get(7), "file request without operation");
        assertTrue(out.get(7).get("reason").asText().contains("operation"), out.get(7).toString());
        badRequest(out.get(8), "empty line");
        assertEquals("allow", out.get(9).get("decision").asText());
        assertEquals("last", out.get(9).get("id").asText());
    }
}

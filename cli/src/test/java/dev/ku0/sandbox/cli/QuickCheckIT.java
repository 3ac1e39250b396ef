package dev.ku0.sandbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick path of {@code sandbox check} answers exactly as the full path does: every request of
 * the golden corpora (commands, paths, git paths, URLs with and without resolved addresses), and
 * lines in unusual spellings or malformed, through both, compared byte for byte, for each preset.
 */
class QuickCheckIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** Lines the quick path reads itself or leaves to the full path; either way the bytes must agree. */
    private static final List<String> EDGE_LINES = List.of(
            "{\"type\":\"command\",\"command\":\"git status\",\"id\":1}",
            "{\"type\":\"command\",\"command\":\"git status\",\"id\":-17}",
            "{\"type\":\"command\",\"command\":\"git status\",\"id\":0}",
            "{\"type\":\"command\",\"command\":\"git status\",\"id\":-0}",
            "{\"type\":\"command\",\"command\":\"git status\",\"id\":007}",
            "{\"type\":\"command\",\"command\":\"git status\",\"id\":1.5}",
            "{\"type\":\"command\",\"command\":\"git status\",\"id\":1e3}",
            "{\"type\":\"command\",\"command\":\"git status\",\"id\":123456789012345678}",
            "{\"type\":\"command\",\"command\":\"git status\",\"id\":1234567890123456789012}",
            "{\"type\":\"command\",\"command\":\"git status\",\"id\":true}",
            "{\"type\":\"command\",\"command\":\"git status\",\"id\":false}",
            "{\"type\":\"command\",\"command\":\"git status\",\"id\":null}",
            "{\"type\":\"command\",\"command\":\"git status\",\"id\":\"a\\\"b\\\\c\\/d\\u00e9\\n\\t\\u0001\\u001f\\u007f\"}",
            "{\"type\":\"command\",\"command\":\"git status\",\"id\":[1,2]}",
            "{\"type\":\"command\",\"command\":\"git status\",\"id\":[\"a\"]}",
            "{\"type\":\"command\",\"command\":\"git status\",\"id\":{\"k\":1}}",
            "{\"type\":\"command\",\"command\":\"git status\",\"id\":truex}",
            "  {  \"type\" : \"command\" ,\t\"command\" : \"ls -la\"  }  ",
            "{\"type\":\"command\",\r\"command\":\"ls\"}",
            "{\"ty\\u0070e\":\"command\",\"command\":\"ls\"}",
            "{\"type\":\"command\",\"command\":\"echo \\ud83d\\ude00\"}",
            "{\"type\":\"command\",\"command\":\"echo \\ud83d\"}",
            "{\"type\":\"command\",\"command\":\"echo \\ude00x\"}",
            "{\"type\":\"command\",\"command\":\"echo \\u0661\\u0662\"}",
            "{\"type\":\"command\",\"command\":\"echo \\u066x\"}",
            "{\"type\":\"command\",\"command\":\"echo \\x\"}",
            "{\"type\":\"command\",\"command\":\"echo \u00e9 \u4e2d \ud83d\ude00\"}",
            "{\"type\":\"command\",\"command\":\"a\tb\"}",
            "{\"type\":\"command\",\"command\":\"\"}",
            "{\"type\":\"command\",\"command\":null}",
            "{\"type\":\"command\",\"command\":5}",
            "{\"type\":\"command\"}",
            "{\"type\":\"command\",\"command\":\"ls\",\"extra\":1}",
            "{\"type\":\"command\",\"command\":\"ls\",\"command\":\"rm -rf ~\"}",
            "{\"type\":\"command\",\"command\":\"ls\"} trailing",
            "{\"type\":\"command\",\"command\":\"ls\"}{}",
            "{\"type\":\"command\",\"command\":\"ls\",}",
            "{\"type\":\"command\" \"command\":\"ls\"}",
            "{\"type\":\"Command\",\"command\":\"ls\"}",
            "{\"type\":null,\"command\":\"ls\"}",
            "{\"type\":\"other\"}",
            "{}",
            "[]",
            "\"ls\"",
            "",
            "   ",
            "not json",
            "{\"type\":\"file\",\"path\":\"a.txt\",\"operation\":\"read\"}",
            "{\"type\":\"file\",\"path\":\"a.txt\",\"operation\":\" READ \"}",
            "{\"type\":\"file\",\"path\":\"a.txt\",\"operation\":\"reed\"}",
            "{\"type\":\"file\",\"path\":\"a.txt\",\"operation\":null}",
            "{\"type\":\"file\",\"path\":\"a.txt\"}",
            "{\"type\":\"file\",\"operation\":\"read\"}",
            "{\"type\":\"file\",\"path\":\"\",\"operation\":\"read\"}",
            "{\"type\":\"file\",\"path\":\"a.txt\",\"operation\":\"write\",\"size\":10}",
            "{\"type\":\"file\",\"path\":\"a.txt\",\"operation\":\"write\",\"size\":999999999999999999}",
            "{\"type\":\"file\",\"path\":\"a.txt\",\"operation\":\"write\",\"size\":-1}",
            "{\"type\":\"file\",\"path\":\"a.txt\",\"operation\":\"write\",\"size\":1.0}",
            "{\"type\":\"file\",\"path\":\"a.txt\",\"operation\":\"write\",\"size\":null}",
            "{\"type\":\"file\",\"path\":\"a.txt\",\"operation\":\"write\",\"size\":\"10\"}",
            "{\"type\":\"file\",\"path\":\"a.txt\",\"operation\":\"read\",\"dest\":[\"x\"]}",
            "{\"type\":\"file\",\"path\":\"a.txt\",\"operation\":\"read\",\"dest\":7}",
            "{\"type\":\"file\",\"path\":\"a.txt\",\"operation\":\"rename\",\"dest\":\"b.txt\"}",
            "{\"type\":\"file\",\"path\":\"a.txt\",\"operation\":\"rename\"}",
            "{\"type\":\"file\",\"path\":\"a.txt\",\"operation\":\"rename\",\"dest\":null}",
            "{\"type\":\"file\",\"path\":\"a.txt\",\"operation\":\"rename\",\"link_target\":\"b.txt\"}",
            "{\"type\":\"file\",\"path\":\"l\",\"operation\":\"symlink\",\"link_target\":\"/etc/passwd\"}",
            "{\"type\":\"file\",\"path\":\"l\",\"operation\":\"link\",\"link_target\":\"~/.ssh/id_rsa\"}",
            "{\"type\":\"file\",\"path\":\"~/.ssh/id_rsa\",\"operation\":\"read\",\"id\":\"k\"}",
            "{\"type\":\"file\",\"path\":\"a\\u0000b\",\"operation\":\"read\"}",
            "{\"type\":\"file\",\"path\":\"a\\ud800\",\"operation\":\"read\"}",
            "{\"type\":\"file\",\"path\":\"a.txt\",\"operation\":\"read\",\"url\":\"x\"}",
            "{\"type\":\"network\",\"url\":\"https://github.com/\",\"method\":\"GET\"}",
            "{\"type\":\"network\",\"url\":\"https://github.com/\",\"method\":\"get\"}",
            "{\"type\":\"network\",\"url\":\"https://github.com/\",\"method\":\"BREW\"}",
            "{\"type\":\"network\",\"url\":\"https://github.com/\"}",
            "{\"type\":\"network\",\"method\":\"GET\"}",
            "{\"type\":\"network\",\"url\":\"http://169.254.169.254/latest/meta-data/\",\"method\":\"GET\"}",
            "{\"type\":\"network\",\"url\":\"https://github.com/\",\"method\":\"GET\",\"addresses\":null}",
            "{\"type\":\"network\",\"url\":\"https://github.com/\",\"method\":\"GET\",\"addresses\":[]}",
            "{\"type\":\"network\",\"url\":\"https://github.com/\",\"method\":\"GET\",\"addresses\":[\"140.82.112.3\"]}",
            "{\"type\":\"network\",\"url\":\"https://github.com/\",\"method\":\"GET\",\"addresses\":[\"127.0.0.1\",\"::1\"]}",
            "{\"type\":\"network\",\"url\":\"https://github.com/\",\"method\":\"GET\",\"addresses\":[\"[::ffff:10.0.0.1]\"]}",
            "{\"type\":\"network\",\"url\":\"https://github.com/\",\"method\":\"GET\",\"addresses\":[\"fe80::1%1\"]}",
            "{\"type\":\"network\",\"url\":\"https://github.com/\",\"method\":\"GET\",\"addresses\":[\"github.com\"]}",
            "{\"type\":\"network\",\"url\":\"https://github.com/\",\"method\":\"GET\",\"addresses\":[\"1.2.3.4.5\"]}",
            "{\"type\":\"network\",\"url\":\"https://github.com/\",\"method\":\"GET\",\"addresses\":[1]}",
            "{\"type\":\"network\",\"url\":\"https://github.com/\",\"method\":\"GET\",\"addresses\":\"1.2.3.4\"}",
            "{\"type\":\"network\",\"url\":\"https://github.com/\",\"method\":\"GET\",\"addresses\":[\"1.2.3.4\",]}",
            "{\"type\":\"network\",\"url\":\"ftp://github.com/\",\"method\":\"GET\",\"id\":\"\\u2028\"}");

    private PolicyOptions options(String preset, Path ws, Path home) {
        PolicyOptions o = new PolicyOptions();
        o.source = new PolicyOptions.Source();
        o.source.preset = preset;
        o.workspace = ws;
        o.home = home;
        return o;
    }

    private static byte[] quick(PolicyOptions o, byte[] input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Optional<Integer> status = QuickCheck.run(o, new ByteArrayInputStream(input), out);
        assertEquals(Optional.of(0), status, "the quick path takes a preset");
        return out.toByteArray();
    }

    private static byte[] full(PolicyOptions o, byte[] input) throws IOException {
        CheckCommand c = new CheckCommand();
        c.options = o;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, c.run(new ByteArrayInputStream(input), out));
        return out.toByteArray();
    }

    /** Every request of the corpora, as a client would write it (Jackson's plain output). */
    private static List<String> corpusRequests() throws IOException {
        Path dir = Launcher.repoRoot().resolve("testdata/corpus");
        List<String> out = new ArrayList<>();
        for (String name : List.of("commands.jsonl", "commands-attacks.jsonl", "commands-programs.jsonl",
                "commands-shell.jsonl")) {
            for (JsonNode c : read(dir.resolve(name))) {
                out.add(JSON.writeValueAsString(JSON.createObjectNode().put("type", "command")
                        .put("command", c.get("command").asText()).put("id", c.get("id").asText())));
            }
        }
        for (JsonNode c : read(dir.resolve("everyday-commands.jsonl"))) {
            out.add(JSON.writeValueAsString(JSON.createObjectNode().put("type", "command").put("command", c.asText())));
        }
        int n = 0;
        for (String name : List.of("paths.jsonl", "git_paths.jsonl")) {
            for (JsonNode c : read(dir.resolve(name))) {
                ObjectNode r = JSON.createObjectNode().put("type", "file").put("path", c.get("input").asText())
                        .put("operation", c.get("operation").asText()).put("id", c.get("id").asText());
                if (c.hasNonNull("dest")) r.put("dest", c.get("dest").asText());
                if (c.hasNonNull("link_target")) r.put("link_target", c.get("link_target").asText());
                // Some with a size, which a write is judged on.
                if (n++ % 3 == 0) r.put("size", n * 1_000_003L);
                out.add(JSON.writeValueAsString(r));
            }
        }
        for (JsonNode c : read(dir.resolve("urls.jsonl"))) {
            ObjectNode r = JSON.createObjectNode().put("type", "network").put("url", c.get("input").asText())
                    .put("method", c.path("method").asText("GET")).put("id", c.get("id").asText());
            out.add(JSON.writeValueAsString(r));
            JsonNode dns = c.path("setup").path("dns");
            if (dns.isObject() && dns.size() > 0) {
                ObjectNode withAddresses = r.deepCopy();
                var addresses = withAddresses.putArray("addresses");
                // The addresses, also from a rebinding case's list of answers.
                addTexts(dns, addresses);
                out.add(JSON.writeValueAsString(withAddresses));
            }
        }
        return out;
    }

    private static void addTexts(JsonNode n, com.fasterxml.jackson.databind.node.ArrayNode to) {
        if (n.isTextual()) to.add(n.asText());
        else n.elements().forEachRemaining(e -> addTexts(e, to));
    }

    private static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) out.add(JSON.readTree(line));
        }
        return out;
    }

    @Test
    void answersTheCorporaAndUnusualLinesByteForByteAsTheFullPath() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        Files.writeString(ws.resolve("a.txt"), "a\n");
        List<String> corpus = corpusRequests();
        assertTrue(corpus.size() > 1500, "the corpora: " + corpus.size());
        StringBuilder input = new StringBuilder();
        corpus.forEach(l -> input.append(l).append('\n'));
        EDGE_LINES.forEach(l -> input.append(l).append('\n'));
        input.append("{\"type\":\"command\",\"command\":\"ls\"}\r\n");
        input.append("{\"type\":\"command\",\"command\":\"ls\"}\r{\"type\":\"command\",\"command\":\"ls\"}\n");
        input.append("{\"type\":\"command\",\"command\":\"").append("x".repeat(CheckCommand.MAX_LINE_BYTES)).append("\"}\n");
        byte[] bytes = input.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream withBadBytes = new ByteArrayOutputStream();
        withBadBytes.writeBytes(bytes);
        withBadBytes.writeBytes("{\"type\":\"file\",\"path\":\"a".getBytes(StandardCharsets.UTF_8));
        withBadBytes.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe});
        withBadBytes.writeBytes(".txt\",\"operation\":\"read\"}\n".getBytes(StandardCharsets.UTF_8));
        // The last line without its LF.
        withBadBytes.writeBytes("{\"type\":\"command\",\"command\":\"pwd\",\"id\":\"last\"}".getBytes(StandardCharsets.UTF_8));
        byte[] all = withBadBytes.toByteArray();

        for (String preset : List.of("workspace", "strict", "permissive", "STRICT")) {
            PolicyOptions o = options(preset, ws, home);
            byte[] fast = quick(o, all);
            byte[] slow = full(o, all);
            String[] f = new String(fast, StandardCharsets.UTF_8).split("\n", -1);
            String[] s = new String(slow, StandardCharsets.UTF_8).split("\n", -1);
            assertEquals(s.length, f.length, preset + ": one answer per line");
            for (int i = 0; i < s.length; i++) assertEquals(s[i], f[i], preset + ", line " + (i + 1));
            assertTrue(java.util.Arrays.equals(slow, fast), preset + ": the same bytes");
        }
    }

    @Test
    void answersEveryCorpusRequestItself() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        QuickCheck q = QuickCheck.open(options("workspace", ws, tmp));
        assertNotNull(q);
        try {
            for (String line : corpusRequests()) {
                assertNotNull(q.quick(line.getBytes(StandardCharsets.UTF_8)), "left to the full path: " + line);
            }
            // And leaves what it does not read to the full path.
            for (String line : List.of("not json", "{\"type\":\"command\",\"command\":\"ls\",\"command\":\"ls\"}",
                    "{\"type\":\"command\",\"command\":\"ls\",\"id\":1.0}")) {
                assertNull(q.quick(line.getBytes(StandardCharsets.UTF_8)), line);
            }
        } finally {
            q.close();
        }
    }

    @Test
    void leavesUnknownPresetsAndPoliciesTheEngineRefusesToTheFullPath() throws Exception {
        assertNull(QuickCheck.open(options("nonesuch", tmp, tmp)));
        // A policy file the engine refuses (a duplicate key): the full path says why.
        PolicyOptions bad = options("workspace", tmp, tmp);
        bad.source.preset = null;
        bad.source.policy = Files.writeString(tmp.resolve("bad.json"), "{\"version\":\"1.0\",\"version\":\"1.0\"}");
        assertNull(QuickCheck.open(bad));
        // A workspace the engine refuses: the full path says why.
        assertNull(QuickCheck.open(options("workspace", tmp.resolve("missing"), tmp)));
    }

    @Test
    void answersWithThePolicyFilesRulesReadOnce() throws Exception {
        String whitelist = new String(QuickExec.preset("strict"), StandardCharsets.UTF_8);
        PolicyOptions o = options("workspace", tmp, tmp);
        o.source.preset = null;
        o.source.policy = Files.writeString(tmp.resolve("strict-copy.json"), whitelist);
        byte[] line = "{\"type\":\"command\",\"command\":\"touch x\"}".getBytes(StandardCharsets.UTF_8);
        QuickCheck q = QuickCheck.open(o);
        assertNotNull(q);
        try {
            // Changed after it was read: the run keeps the text it read.
            Files.writeString(o.source.policy, new String(QuickExec.preset("permissive"), StandardCharsets.UTF_8));
            String answer = q.quick(line);
            assertNotNull(answer);
            assertTrue(answer.contains("\"decision\":\"deny\""), answer);
            assertEquals(new String(QuickExec.preset("strict"), StandardCharsets.UTF_8),
                    new String(o.policyJson(), StandardCharsets.UTF_8));
        } finally {
            q.close();
        }
    }

    @Test
    void escapesStringsAsJacksonDoes() throws Exception {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x800; c++) all.append(c);
        all.append("\u2028\u2029\ufeff\uffff\ud83d\ude00");
        StringBuilder sb = new StringBuilder();
        QuickCheck.string(sb, all.toString());
        assertEquals(JSON.writeValueAsString(all.toString()), sb.toString());
    }
}

package dev.ku0.sandbox.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The corpus driver reads cases as the corpus README says. */
class CorpusScoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void redirectsAndDnsSequencesBecomeOneCheckEach() throws Exception {
        JsonNode c = JSON.readTree("""
                {"id": "u", "input": "https://a.example/", "method": "GET", "expected": "deny",
                 "setup": {"dns": {"a.example": {"sequence": [["127.0.0.1"], ["140.82.112.3"]]},
                                   "b.example": ["10.0.0.1"]},
                           "redirects": ["https://a.example/ -> /next", "https://a.example/next -> https://b.example/"],
                           "redirects_parsed": [{"ok": true, "href": "https://a.example/next", "hostname": "a.example"},
                                                {"ok": true, "href": "https://b.example/", "hostname": "b.example"}]},
                 "whatwg": {"hostname": "a.example"}}""");
        List<CorpusCases.UrlCheck> checks = CorpusCases.urlChecks(c);
        assertEquals(5, checks.size());
        assertEquals("https://a.example/", checks.get(0).url());
        assertEquals("127.0.0.1", checks.get(0).addresses().get(0).getHostAddress());
        assertEquals("140.82.112.3", checks.get(1).addresses().get(0).getHostAddress());
        assertEquals("https://a.example/next", checks.get(2).url());
        assertEquals("https://b.example/", checks.get(4).url());
        assertEquals("10.0.0.1", checks.get(4).addresses().get(0).getHostAddress());

        JsonNode plain = JSON.readTree("""
                {"id": "v", "input": "https://github.com/", "setup": {}, "whatwg": {"hostname": "github.com"}}""");
        assertNull(CorpusCases.urlChecks(plain).get(0).addresses());
    }

    @Test
    void countsWrongDecisionsOfBothGuards(@TempDir Path dir) throws Exception {
        String fs = "{\"mode\": \"workspace\", \"allowed_paths\": [], \"blocked_paths\": [\"/etc\"],"
                + " \"allow_symlinks\": true, \"allow_hidden_files\": true}";
        Files.writeString(dir.resolve("paths.jsonl"), String.join("\n",
                // The sketch falls back to the raw string for a missing file: a hole it has.
                "{\"id\": \"p1\", \"input\": \"/ws/../etc/shadow\", \"operation\": \"read\", \"policy\": " + fs
                        + ", \"workspace\": \"/ws\", \"env\": {\"home\": \"/home/user\", \"cwd\": \"/ws\"},"
                        + " \"platform\": \"any\", \"setup\": [], \"requires\": \"check\", \"expected\": \"deny\"}",
                "{\"id\": \"p2\", \"input\": \"/ws/src/main.rs\", \"operation\": \"read\", \"policy\": " + fs
                        + ", \"workspace\": \"/ws\", \"env\": {\"home\": \"/home/user\", \"cwd\": \"/ws\"},"
                        + " \"platform\": \"any\", \"setup\": [], \"requires\": \"check\", \"expected\": \"allow\"}",
                "{\"id\": \"p3\", \"input\": \"C:\\\\x\", \"operation\": \"read\", \"policy\": " + fs
                        + ", \"workspace\": \"C:\\\\ws\", \"env\": {}, \"platform\": \"windows\", \"setup\": [],"
                        + " \"requires\": \"check\", \"expected\": \"deny\"}"));
        CorpusScore.Tally paths = CorpusScore.paths(dir);
        assertEquals(3, paths.cases);
        assertEquals(2, paths.applicable());
        assertEquals(List.of("p1"), paths.seed.wronglyAllowed);
        assertTrue(paths.seed.wronglyRefused.isEmpty());
        assertTrue(paths.nativeApi.wronglyRefused.isEmpty(), "p2 is inside the workspace");

        Files.writeString(dir.resolve("commands.jsonl"),
                "{\"id\": \"c1\", \"command\": \"git status; rm -rf ~\", \"policy\": {\"mode\": \"whitelist\","
                        + " \"allowed\": [\"git status\"], \"allow_sudo\": false}, \"expected\": \"deny\"}\n"
                        + "{\"id\": \"c2\", \"command\": \"echo sudoku\", \"policy\": {\"mode\": \"whitelist\","
                        + " \"allowed\": [\"echo\"], \"allow_sudo\": false}, \"expected\": \"allow\"}\n");
        CorpusScore.Tally commands = CorpusScore.commands(dir);
        assertEquals(List.of("c1"), commands.seed.wronglyAllowed);
        assertEquals(List.of("c2"), commands.seed.wronglyRefused);
        assertEquals(2, commands.seed.wrong());
    }
}

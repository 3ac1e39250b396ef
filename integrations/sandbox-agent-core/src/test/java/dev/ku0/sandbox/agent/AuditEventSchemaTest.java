package dev.ku0.sandbox.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.ku0.sandbox.DecisionCode;
import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Emitted audit lines validate against {@code policies/audit-event-v1.schema.json}. */
class AuditEventSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static JsonSchema schema() throws Exception {
        JsonNode doc = JSON.readTree(ReadmeBlocks.repoRoot().resolve("policies/audit-event-v1.schema.json").toFile());
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(doc);
    }

    @Test
    void emittedLinesFollowTheSchema() throws Exception {
        Workspace w = new Workspace(tmp);
        List<String> lines = new ArrayList<>();
        try (SandboxManager m = w.manager()) {
            ToolCallGuard g = ToolCallGuard.builder(m).audit(AuditListener.jsonLines(lines::add)).approval(r -> true).build();
            g.check("write_file", Map.of("path", "a\nb.txt", "content", "x"));
            g.check("read_file", Map.of("path", "~/.ssh/id_rsa"));
            g.check("fetch", Map.of("url", "https://github.com/", "method", "HEAD"));
            g.check("bash", Map.of("command", Workspace.ASK_COMMAND));
        }
        assertEquals(4, lines.size());
        JsonSchema schema = schema();
        for (String line : lines) {
            assertFalse(line.contains("\n"), line);
            Set<ValidationMessage> errors = schema.validate(JSON.readTree(line));
            assertTrue(errors.isEmpty(), line + " -> " + errors);
        }
        JsonNode ask = JSON.readTree(lines.get(3));
        assertEquals("ask", ask.get("decision").asText());
        assertTrue(ask.get("approved").asBoolean());
        JsonNode deny = JSON.readTree(lines.get(1));
        assertEquals("BLOCKED_PATH", deny.get("code").asText());
        assertEquals("file_read", deny.get("action").asText());
        assertFalse(deny.has("approved"));
    }

    @Test
    void theSchemaRejectsWhatTheFormatForbids() throws Exception {
        JsonSchema schema = schema();
        AuditEvent e = new AuditEvent(Instant.parse("2026-01-02T03:04:05.678Z"), "t", ActionKind.HTTP, "https://x/",
                Verdict.DENY, null, DecisionCode.DOMAIN_NOT_ALLOWED, null, "r");
        assertEquals("{\"version\":1,\"timestamp\":\"2026-01-02T03:04:05.678Z\",\"tool\":\"t\",\"action\":\"http\","
                + "\"target\":\"https://x/\",\"decision\":\"deny\",\"code\":\"DOMAIN_NOT_ALLOWED\",\"rule\":null,"
                + "\"reason\":\"r\"}", e.toJsonLine());
        assertTrue(schema.validate(JSON.readTree(e.toJsonLine())).isEmpty());
        String withApproval = e.toJsonLine().replace("\"code\"", "\"approved\":true,\"code\"");
        assertFalse(schema.validate(JSON.readTree(withApproval)).isEmpty(), "approved only on an ask");
        String localTime = e.toJsonLine().replace("05.678Z", "05.678+01:00");
        assertFalse(schema.validate(JSON.readTree(localTime)).isEmpty(), "timestamps are UTC");
    }
}

package dev.ku0.sandbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** {@code sandbox mcp}, started by the launcher as an MCP client would start it, over stdio. */
@EnabledOnOs(OS.LINUX)
class McpCommandIT {
    @TempDir
    Path tmp;

    @Test
    void servesTheToolsUnderThePolicy() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path escape = tmp.resolve("escape.txt");
        Path audit = tmp.resolve("audit.jsonl");
        ServerParameters params = ServerParameters.builder(Launcher.repoRoot().resolve("scripts/sandbox").toString())
                .args("mcp", "--preset", "workspace", "--workspace", ws.toString(), "--home", home.toString(),
                        "--audit", audit.toString())
                .build();
        StdioClientTransport transport = new StdioClientTransport(params, McpJsonDefaults.getMapper());
        try (McpSyncClient c = McpClient.sync(transport).requestTimeout(Duration.ofMinutes(2))
                .initializationTimeout(Duration.ofMinutes(2)).build()) {
            c.initialize();
            assertEquals(List.of("http_get", "http_post", "list_files", "read_file", "run_command", "write_file"),
                    c.listTools().tools().stream().map(McpSchema.Tool::name).sorted().toList());
            assertEquals("wrote 2 bytes to a.txt", text(c.callTool(CallToolRequest.builder("write_file")
                    .arguments(Map.of("path", "a.txt", "content", "hi")).build())));
            CallToolResult refused = c.callTool(CallToolRequest.builder("write_file")
                    .arguments(Map.of("path", escape.toString(), "content", "x")).build());
            assertTrue(refused.isError());
            assertTrue(text(refused).startsWith("REFUSED [OUTSIDE_WORKSPACE] "), text(refused));
        }
        assertEquals("hi", Files.readString(ws.resolve("a.txt")));
        assertFalse(Files.exists(escape));
        assertEquals(2, Files.readAllLines(audit).size());
    }

    private static String text(CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }
}

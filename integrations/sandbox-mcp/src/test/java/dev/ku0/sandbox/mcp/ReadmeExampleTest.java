package dev.ku0.sandbox.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ku0.sandbox.agent.ReadmeBlocks;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The README's MCP example compiles, serves over stdio, and refuses what the policy refuses. */
@EnabledOnOs(OS.LINUX)
class ReadmeExampleTest {
    @TempDir
    Path tmp;

    @Test
    void mcpExampleCompilesAndServes() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        Path classes = ReadmeBlocks.compile("mcp", "SandboxServer", Files.createDirectories(tmp.resolve("classes")));
        Path escape = tmp.resolve("escape.txt");
        String cp = classes + File.pathSeparator + System.getProperty("java.class.path");
        try (McpSyncClient c = McpStdioTest.clientOn(cp, "SandboxServer", ws.toString())) {
            assertEquals(List.of("http_get", "http_post", "list_files", "read_file", "run_command", "write_file"),
                    c.listTools().tools().stream().map(McpSchema.Tool::name).sorted().toList());
            assertEquals("wrote 2 bytes to a.txt",
                    McpStdioTest.text(McpStdioTest.call(c, "write_file", Map.of("path", "a.txt", "content", "hi"))));
            CallToolResult refused = McpStdioTest.call(c, "write_file", Map.of("path", escape.toString(), "content", "x"));
            assertTrue(refused.isError());
            assertTrue(McpStdioTest.text(refused).startsWith("REFUSED [OUTSIDE_WORKSPACE] "), McpStdioTest.text(refused));
        }
        assertEquals("hi", Files.readString(ws.resolve("a.txt")));
        assertFalse(Files.exists(escape));
    }
}

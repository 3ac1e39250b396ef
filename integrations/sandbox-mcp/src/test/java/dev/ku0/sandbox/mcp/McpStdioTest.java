package dev.ku0.sandbox.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ku0.sandbox.agent.Workspace;
import dev.ku0.sandbox.agent.WorkspaceTest;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Round trips with the MCP SDK's own client over stdio, the servers running as child processes:
 * list the tools, call allowed and refused ones, and check the texts and the effects.
 */
@EnabledOnOs(OS.LINUX)
class McpStdioTest extends WorkspaceTest {
    static final String ASK_COMMAND = Workspace.ASK_COMMAND;
    static final String DENIED_COMMAND = Workspace.DENIED_COMMAND;

    /** A client of {@code mainClass} started as {@code java -cp <test class path> mainClass args}. */
    static McpSyncClient client(String mainClass, String... args) {
        return clientOn(System.getProperty("java.class.path"), mainClass, args);
    }

    /** A client of {@code mainClass} started as {@code java -cp classPath mainClass args}. */
    static McpSyncClient clientOn(String classPath, String mainClass, String... args) {
        List<String> argv = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED", "-cp", classPath, mainClass));
        argv.addAll(List.of(args));
        ServerParameters params = ServerParameters.builder(Path.of(System.getProperty("java.home"), "bin", "java").toString())
                .args(argv).build();
        StdioClientTransport transport = new StdioClientTransport(params, McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(line -> System.err.println("[server] " + line));
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                .initializationTimeout(Duration.ofSeconds(60)).build();
        client.initialize();
        return client;
    }

    static String text(CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    static CallToolResult call(McpSyncClient c, String tool, Map<String, Object> args) {
        return c.callTool(CallToolRequest.builder(tool).arguments(args).build());
    }

    @Test
    void theSandboxServerOverStdio() throws Exception {
        Path escape = w.outside.resolve("escape.txt");
        Path audit = tmp.resolve("audit.jsonl");
        try (Workspace.Listener listener = new Workspace.Listener();
             McpSyncClient c = client(SandboxMcpServer.class.getName(), "--preset", "workspace",
                     "--workspace", w.ws.toString(), "--home", w.home.toString(), "--audit", audit.toString())) {
            assertEquals(List.of("http_get", "http_post", "list_files", "read_file", "run_command", "write_file"),
                    c.listTools().tools().stream().map(McpSchema.Tool::name).sorted().toList());

            CallToolResult wrote = call(c, "write_file", Map.of("path", "notes/a.txt", "content", "hi"));
            assertEquals("wrote 2 bytes to notes/a.txt", text(wrote));
            assertFalse(Boolean.TRUE.equals(wrote.isError()));
            assertEquals("hi", Files.readString(w.ws.resolve("notes/a.txt")));
            assertEquals("hi", text(call(c, "read_file", Map.of("path", "notes/a.txt"))));

            CallToolResult outsideWrite = call(c, "write_file", Map.of("path", escape.toString(), "content", "x"));
            assertTrue(outsideWrite.isError());
            assertTrue(text(outsideWrite).startsWith("REFUSED [OUTSIDE_WORKSPACE] "), text(outsideWrite));
            assertFalse(Files.exists(escape));

            CallToolResult denied = call(c, "run_command", Map.of("command", DENIED_COMMAND));
            assertTrue(text(denied).startsWith("REFUSED [SUDO_NOT_ALLOWED] "), text(denied));
            assertFalse(Files.exists(w.ws.resolve("marker.txt")), "the refused command did not start");

            CallToolResult ask = call(c, "run_command", Map.of("command", ASK_COMMAND));
            assertTrue(text(ask).startsWith("REFUSED [INLINE_CODE] "), text(ask));
            assertTrue(text(ask).endsWith("(needs a person's approval; not approved)"), text(ask));
            assertFalse(Files.exists(w.ws.resolve("asked.txt")), "no person approved the ask: it did not run");

            CallToolResult ran = call(c, "run_command", Map.of("command", "echo hello"));
            assertEquals("exit 0\n--- stdout\nhello\n", text(ran));

            CallToolResult http = call(c, "http_get", Map.of("url", "http://127.0.0.1:" + listener.port() + "/"));
            assertTrue(text(http).startsWith("REFUSED [SCHEME_NOT_ALLOWED] "), text(http));
            Thread.sleep(200);
            assertEquals(0, listener.connections(), "the refused request made no connection");
        }
        List<String> lines = Files.readAllLines(audit);
        assertEquals(7, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(3).contains("\"decision\":\"deny\""), lines.get(3));
    }

    @Test
    void anyServersToolsGuarded() throws Exception {
        Path escape = w.outside.resolve("escape.txt");
        Path askLog = tmp.resolve("asked.log");
        try (McpSyncClient c = client(GuardedPlainServer.class.getName(), w.ws.toString(), w.home.toString(),
                askLog.toString())) {
            assertEquals("saved ok.txt", text(call(c, "save_file", Map.of("path", "ok.txt", "content", "fine"))));
            assertEquals("fine", Files.readString(w.ws.resolve("ok.txt")));

            CallToolResult outsideWrite = call(c, "save_file", Map.of("path", escape.toString(), "content", "x"));
            assertTrue(outsideWrite.isError());
            assertTrue(text(outsideWrite).startsWith("REFUSED [OUTSIDE_WORKSPACE] "), text(outsideWrite));
            assertFalse(Files.exists(escape), "the refused write did not run");

            CallToolResult denied = call(c, "shell", Map.of("command", DENIED_COMMAND));
            assertTrue(text(denied).startsWith("REFUSED [SUDO_NOT_ALLOWED] "), text(denied));
            assertFalse(Files.exists(w.ws.resolve("marker.txt")), "the refused command did not start");

            CallToolResult ask = call(c, "shell", Map.of("command", ASK_COMMAND));
            assertTrue(text(ask).startsWith("REFUSED [INLINE_CODE] "), text(ask));
            assertFalse(Files.exists(w.ws.resolve("asked.txt")));

            assertEquals("exit 0", text(call(c, "shell", Map.of("command", "echo hello"))));
        }
        assertEquals(List.of("shell INLINE_CODE " + ASK_COMMAND), Files.readAllLines(askLog));
    }
}

package dev.ku0.sandbox.mcp;

import dev.ku0.sandbox.Policies;
import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.agent.ToolCallGuard;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A test MCP server whose tools know nothing of any sandbox (they write files and start
 * processes directly), guarded by {@link McpToolGuard}. Arguments: workspace, home, and a file
 * where the approval handler records what it was asked (it approves nothing).
 */
public final class GuardedPlainServer {
    public static void main(String[] args) throws Exception {
        Path ws = Path.of(args[0]);
        Path home = Path.of(args[1]);
        Path askLog = Path.of(args[2]);
        SandboxManager sandbox = SandboxManager.builder(Policies.WORKSPACE).workspace(ws).home(home).build();
        ToolCallGuard guard = ToolCallGuard.builder(sandbox).approval(r -> {
            try {
                Files.writeString(askLog, r.toolName() + " " + r.code() + " " + r.target() + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return false;
        }).build();
        List<SyncToolSpecification> plain = List.of(
                new SyncToolSpecification(tool("save_file"), (ex, req) -> {
                    try {
                        Path p = ws.resolve((String) req.arguments().get("path"));
                        Files.writeString(p, (String) req.arguments().get("content"));
                        return text("saved " + req.arguments().get("path"));
                    } catch (Exception e) {
                        return text("failed: " + e);
                    }
                }),
                new SyncToolSpecification(tool("shell"), (ex, req) -> {
                    try {
                        Process p = new ProcessBuilder("/bin/bash", "-c", (String) req.arguments().get("command"))
                                .directory(ws.toFile()).redirectErrorStream(true).start();
                        p.waitFor(30, TimeUnit.SECONDS);
                        return text("exit " + p.exitValue());
                    } catch (Exception e) {
                        return text("failed: " + e);
                    }
                }));
        SandboxMcpServer.serveStdio(transport -> McpServer.sync(transport)
                .serverInfo("plain", "1")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(McpToolGuard.guardAll(guard, plain))
                .build());
        sandbox.close();
    }

    private static McpSchema.Tool tool(String name) {
        return McpSchema.Tool.builder(name, Map.of("type", "object", "properties", Map.of())).description(name).build();
    }

    private static CallToolResult text(String s) {
        return CallToolResult.builder().addTextContent(s).build();
    }
}

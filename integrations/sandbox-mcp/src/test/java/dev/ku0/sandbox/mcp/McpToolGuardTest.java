package dev.ku0.sandbox.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.agent.ToolCallGuard;
import dev.ku0.sandbox.agent.Workspace;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/** The asynchronous handler guard: a refused call never subscribes to the wrapped handler. */
class McpToolGuardTest {
    @TempDir
    Path tmp;

    @Test
    void anAsyncHandlerRunsOnlyWhenAllowed() throws Exception {
        Workspace w = new Workspace(tmp);
        AtomicInteger ran = new AtomicInteger();
        AsyncToolSpecification spec = new AsyncToolSpecification(
                McpSchema.Tool.builder("read_file", Map.of("type", "object")).build(),
                (exchange, request) -> Mono.fromCallable(() -> {
                    ran.incrementAndGet();
                    return CallToolResult.builder().addTextContent("read").build();
                }));
        try (SandboxManager m = w.manager()) {
            AsyncToolSpecification guarded = McpToolGuard.guard(ToolCallGuard.builder(m).build(), spec);
            CallToolResult refused = guarded.callHandler()
                    .apply(null, CallToolRequest.builder("read_file").arguments(Map.of("path", "~/.ssh/id_rsa")).build())
                    .block();
            assertTrue(refused.isError());
            assertTrue(((McpSchema.TextContent) refused.content().get(0)).text().startsWith("REFUSED [BLOCKED_PATH] "));
            assertEquals(0, ran.get());

            CallToolResult allowed = guarded.callHandler()
                    .apply(null, CallToolRequest.builder("read_file").arguments(Map.of("path", "notes.md")).build())
                    .block();
            assertFalse(Boolean.TRUE.equals(allowed.isError()));
            assertEquals(1, ran.get());
        }
    }
}

package dev.ku0.sandbox.mcp;

import dev.ku0.sandbox.agent.GuardOutcome;
import dev.ku0.sandbox.agent.ToolCallGuard;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Guards the call handlers of any MCP server's tools: before a handler runs, the
 * {@link ToolCallGuard} judges the call's arguments; a refused call never reaches the handler
 * and its result is an error result whose text is the refusal ({@code REFUSED [CODE] reason}).
 *
 * <pre>{@code
 * ToolCallGuard guard = ToolCallGuard.builder(sandbox).build();
 * McpServer.sync(transport).tools(McpToolGuard.guardAll(guard, myToolSpecifications)).build();
 * }</pre>
 */
public final class McpToolGuard {
    private McpToolGuard() {}

    /** {@code spec} with a guarded call handler; the tool's description and schema are unchanged. */
    public static SyncToolSpecification guard(ToolCallGuard guard, SyncToolSpecification spec) {
        Objects.requireNonNull(guard, "guard");
        String name = spec.tool().name();
        return new SyncToolSpecification(spec.tool(), (exchange, request) -> {
            GuardOutcome outcome = guard.check(name, request.arguments());
            return outcome.allowed() ? spec.callHandler().apply(exchange, request) : refused(outcome);
        });
    }

    /** Every specification of {@code specs} guarded. */
    public static List<SyncToolSpecification> guardAll(ToolCallGuard guard, List<SyncToolSpecification> specs) {
        return specs.stream().map(s -> guard(guard, s)).toList();
    }

    /**
     * {@code spec} with a guarded call handler. The check runs when the returned {@link Mono} is
     * subscribed, on the subscribing thread; an approval handler that waits for a person blocks
     * it, so run such handlers on a scheduler that may block.
     */
    public static AsyncToolSpecification guard(ToolCallGuard guard, AsyncToolSpecification spec) {
        Objects.requireNonNull(guard, "guard");
        String name = spec.tool().name();
        return new AsyncToolSpecification(spec.tool(), (exchange, request) -> Mono.defer(() -> {
            GuardOutcome outcome = guard.check(name, request.arguments());
            return outcome.allowed() ? spec.callHandler().apply(exchange, request) : Mono.just(refused(outcome));
        }));
    }

    static CallToolResult refused(GuardOutcome outcome) {
        return CallToolResult.builder().addTextContent(outcome.refusalText()).isError(true).build();
    }
}

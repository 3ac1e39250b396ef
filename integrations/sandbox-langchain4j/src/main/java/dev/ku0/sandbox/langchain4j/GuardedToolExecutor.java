package dev.ku0.sandbox.langchain4j;

import dev.ku0.sandbox.agent.GuardOutcome;
import dev.ku0.sandbox.agent.ToolCallGuard;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import java.util.Objects;

/**
 * A {@link ToolExecutor} that asks a {@link ToolCallGuard} about each call before the wrapped
 * executor runs it. The guard reads the request's JSON arguments; a refused call does not reach
 * the wrapped executor, and its result, the text the model receives, is the refusal
 * ({@code REFUSED [CODE] reason}). An {@code ask} goes to the guard's approval handler.
 */
public final class GuardedToolExecutor implements ToolExecutor {
    private final ToolExecutor delegate;
    private final ToolCallGuard guard;

    /** Guards {@code delegate} with {@code guard}. */
    public GuardedToolExecutor(ToolExecutor delegate, ToolCallGuard guard) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    /** The wrapped executor. */
    public ToolExecutor delegate() {
        return delegate;
    }

    @Override
    public String execute(ToolExecutionRequest request, Object memoryId) {
        GuardOutcome outcome = guard.checkJson(request.name(), request.arguments());
        return outcome.allowed() ? delegate.execute(request, memoryId) : outcome.refusalText();
    }

    @Override
    public ToolExecutionResult executeWithContext(ToolExecutionRequest request, InvocationContext context) {
        GuardOutcome outcome = guard.checkJson(request.name(), request.arguments());
        if (!outcome.allowed()) {
            return ToolExecutionResult.builder().resultText(outcome.refusalText()).build();
        }
        return delegate.executeWithContext(request, context);
    }
}

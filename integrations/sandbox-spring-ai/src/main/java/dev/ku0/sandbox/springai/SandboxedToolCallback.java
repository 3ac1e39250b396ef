package dev.ku0.sandbox.springai;

import dev.ku0.sandbox.agent.ToolCallGuard;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.metadata.ToolMetadata;

/**
 * A {@link ToolCallback} that checks each call against the sandbox policy before the wrapped tool
 * runs.
 *
 * <p>The call's JSON arguments go to a {@link ToolCallGuard}, which finds the paths, URLs and
 * commands in them (by argument name, nested objects and arrays included) and asks the policy.
 * When the policy refuses, or an {@code ask} is not approved, the wrapped tool is not called and
 * the model receives {@code REFUSED [CODE] reason} as the tool's result. Arguments that are not a
 * JSON object with unique keys are refused too ({@code BAD_REQUEST}): with a repeated key the
 * guard and the tool could read different values.
 *
 * <p>The guard sees what the call names, not what the tool then does with it: a tool that runs a
 * command or opens a file the model did not name is not confined by this wrapper. Use
 * {@link SandboxTools} for file, shell and HTTP work, which the OS and the native library enforce.
 *
 * <pre>{@code
 * ToolCallback guarded = SandboxedToolCallback.guard(weatherTool, toolCallGuard);
 * }</pre>
 */
public final class SandboxedToolCallback extends SandboxedWrapper<ToolCallback> implements ToolCallback {
    private SandboxedToolCallback(ToolCallback delegate, ToolCallGuard guard) {
        super(delegate, guard);
    }

    /**
     * {@code callback} checked by {@code guard} before each call; a callback that is already
     * guarded (by this class or as a bean by {@link GuardToolCallbacksPostProcessor}) is returned
     * as it is. The callbacks of {@link SandboxTools} enforce by themselves: do not guard them.
     */
    public static ToolCallback guard(ToolCallback callback, ToolCallGuard guard) {
        return guardOnce(callback, guard, SandboxedToolCallback::new);
    }

    /** Each of {@code callbacks} guarded as by {@link #guard(ToolCallback, ToolCallGuard)}. */
    public static ToolCallback[] guardAll(ToolCallback[] callbacks, ToolCallGuard guard) {
        ToolCallback[] out = new ToolCallback[callbacks.length];
        for (int i = 0; i < callbacks.length; i++) {
            out[i] = guard(callbacks[i], guard);
        }
        return out;
    }

    /** The callback this one runs when the policy allows the call. */
    public ToolCallback delegate() {
        return delegate;
    }

    @Override
    public ToolDefinition getToolDefinition() {
        return delegate.getToolDefinition();
    }

    @Override
    public ToolMetadata getToolMetadata() {
        return delegate.getToolMetadata();
    }

    @Override
    public String call(String toolInput) {
        return call(toolInput, null);
    }

    @Override
    public String call(String toolInput, ToolContext toolContext) {
        String refusal = refusal(guard, delegate, toolInput);
        return refusal != null ? refusal : delegate.call(toolInput, toolContext);
    }

    @Override
    public String toString() {
        return "SandboxedToolCallback[" + delegate.getToolDefinition().name() + "]";
    }
}

package dev.ku0.sandbox.springai;

import dev.ku0.sandbox.agent.ToolCallGuard;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;

/**
 * A {@link ToolCallbackProvider} whose callbacks are those of another provider, each wrapped in a
 * {@link SandboxedToolCallback}. The callbacks are asked for and wrapped on every call, so a
 * provider whose tool list changes (an MCP client's, for one) stays guarded.
 */
public final class SandboxedToolCallbackProvider extends SandboxedWrapper<ToolCallbackProvider>
        implements ToolCallbackProvider {
    private SandboxedToolCallbackProvider(ToolCallbackProvider delegate, ToolCallGuard guard) {
        super(delegate, guard);
    }

    /**
     * {@code provider} with every callback checked by {@code guard}; a provider that is already
     * guarded (by this class or as a bean by {@link GuardToolCallbacksPostProcessor}), or the one
     * of {@link SandboxTools}, is returned as it is.
     */
    public static ToolCallbackProvider guard(ToolCallbackProvider provider, ToolCallGuard guard) {
        return guardOnce(provider, guard, SandboxedToolCallbackProvider::new);
    }

    /** The provider whose callbacks are wrapped. */
    public ToolCallbackProvider delegate() {
        return delegate;
    }

    @Override
    public ToolCallback[] getToolCallbacks() {
        return SandboxedToolCallback.guardAll(delegate.getToolCallbacks(), guard);
    }
}

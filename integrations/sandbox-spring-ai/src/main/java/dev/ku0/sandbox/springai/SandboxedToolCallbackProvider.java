package dev.ku0.sandbox.springai;

import dev.ku0.sandbox.agent.ToolCallGuard;
import java.util.Objects;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;

/**
 * A {@link ToolCallbackProvider} whose callbacks are those of another provider, each wrapped in a
 * {@link SandboxedToolCallback}. The callbacks are asked for and wrapped on every call, so a
 * provider whose tool list changes (an MCP client's, for one) stays guarded.
 */
public final class SandboxedToolCallbackProvider implements ToolCallbackProvider, AlreadySandboxed {
    private final ToolCallbackProvider delegate;
    private final ToolCallGuard guard;

    private SandboxedToolCallbackProvider(ToolCallbackProvider delegate, ToolCallGuard guard) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    /**
     * {@code provider} with every callback checked by {@code guard}; a provider that is already
     * guarded (by this class or as a bean by {@link GuardToolCallbacksPostProcessor}), or the one
     * of {@link SandboxTools}, is returned as it is.
     */
    public static ToolCallbackProvider guard(ToolCallbackProvider provider, ToolCallGuard guard) {
        Objects.requireNonNull(guard, "guard");
        if (GuardToolCallbacksPostProcessor.isGuarded(provider)) return provider;
        return new SandboxedToolCallbackProvider(provider, guard);
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

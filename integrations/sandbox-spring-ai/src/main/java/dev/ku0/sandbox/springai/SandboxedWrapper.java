package dev.ku0.sandbox.springai;

import dev.ku0.sandbox.agent.GuardOutcome;
import dev.ku0.sandbox.agent.ToolCallGuard;
import java.util.Objects;
import java.util.function.BiFunction;
import org.springframework.ai.tool.ToolCallback;

/**
 * What {@link SandboxedToolCallback} and {@link SandboxedToolCallbackProvider} share: the wrapped
 * object and its guard, wrapping only what is not guarded yet, and the check of one call (also
 * used by the post-processor's proxies), so the three cannot drift apart.
 */
abstract class SandboxedWrapper<T> implements AlreadySandboxed {
    final T delegate;
    final ToolCallGuard guard;

    SandboxedWrapper(T delegate, ToolCallGuard guard) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    /**
     * {@code target} wrapped by {@code wrap}, unless its calls are checked already (a sandboxed
     * wrapper or a guarding proxy): wrapping twice would ask the approval handler twice.
     */
    static <T> T guardOnce(T target, ToolCallGuard guard, BiFunction<T, ToolCallGuard, T> wrap) {
        Objects.requireNonNull(guard, "guard");
        if (GuardToolCallbacksPostProcessor.isGuarded(target)) return target;
        return wrap.apply(target, guard);
    }

    /**
     * The refusal the model receives for calling {@code callback} with {@code toolInput}, or
     * {@code null} when the policy allows the call (or its {@code ask} was approved).
     */
    static String refusal(ToolCallGuard guard, ToolCallback callback, String toolInput) {
        GuardOutcome outcome = guard.checkJson(callback.getToolDefinition().name(), toolInput);
        return outcome.allowed() ? null : outcome.refusalText();
    }
}

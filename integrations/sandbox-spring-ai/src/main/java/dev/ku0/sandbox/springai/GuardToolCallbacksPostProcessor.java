package dev.ku0.sandbox.springai;

import dev.ku0.sandbox.agent.ToolCallGuard;
import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Wraps every {@link ToolCallback} and {@link ToolCallbackProvider} bean of the application
 * context in its sandboxed form ({@link SandboxedToolCallback}, {@link SandboxedToolCallbackProvider}),
 * so a tool defined as a bean, or brought by another starter (an MCP client's provider), is checked
 * against the policy before each call.
 *
 * <p>The wrapper replaces the bean: inject such beans by their interface, {@code ToolCallback} or
 * {@code ToolCallbackProvider}, not by their implementation class. Tools that are not beans
 * (objects passed to {@code ChatClient...tools(object)}) are not seen here; wrap them with
 * {@link SandboxedToolCallback#guardAll}. The Spring Boot auto-configuration registers this
 * post-processor unless {@code ku0.sandbox.guard-all-tools=false}.
 */
public final class GuardToolCallbacksPostProcessor implements BeanPostProcessor {
    private final Supplier<ToolCallGuard> guard;

    /**
     * A post-processor that wraps with the guard {@code guard} supplies, asked for when the first
     * tool bean is wrapped (a post-processor is created before the application's other beans).
     */
    public GuardToolCallbacksPostProcessor(Supplier<ToolCallGuard> guard) {
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof AlreadySandboxed) return bean;
        if (bean instanceof ToolCallback callback) {
            return SandboxedToolCallback.guard(callback, guard.get());
        }
        if (bean instanceof ToolCallbackProvider provider) {
            return SandboxedToolCallbackProvider.guard(provider, guard.get());
        }
        return bean;
    }
}

package dev.ku0.sandbox.langchain4j;

import dev.ku0.sandbox.agent.ToolCallGuard;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.service.tool.AiServiceTool;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.langchain4j.service.tool.ToolProvider;
import dev.langchain4j.service.tool.ToolProviderRequest;
import dev.langchain4j.service.tool.ToolProviderResult;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link ToolProvider} whose every tool is guarded by a {@link ToolCallGuard}
 * ({@link GuardedToolExecutor}): wrap another provider (an MCP client's, your own), or objects
 * with {@link Tool} methods.
 *
 * <pre>{@code
 * ToolCallGuard guard = ToolCallGuard.builder(sandbox).approval(askTheUser).build();
 * Assistant assistant = AiServices.builder(Assistant.class)
 *         .chatModel(model)
 *         .toolProvider(SandboxToolProvider.guarding(guard, new MyTools()))
 *         .build();
 * }</pre>
 */
public final class SandboxToolProvider implements ToolProvider {
    private final ToolCallGuard guard;
    private final ToolProvider delegate;

    private SandboxToolProvider(ToolCallGuard guard, ToolProvider delegate) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The tools of {@code delegate}, each guarded. */
    public static SandboxToolProvider guarding(ToolCallGuard guard, ToolProvider delegate) {
        return new SandboxToolProvider(guard, delegate);
    }

    /** The {@link Tool} methods of {@code toolObjects}, each guarded. */
    public static SandboxToolProvider guarding(ToolCallGuard guard, Object... toolObjects) {
        Map<ToolSpecification, ToolExecutor> tools = new LinkedHashMap<>();
        for (Object o : toolObjects) {
            for (Method m : o.getClass().getMethods()) {
                if (m.isAnnotationPresent(Tool.class)) {
                    tools.put(ToolSpecifications.toolSpecificationFrom(m), new DefaultToolExecutor(o, m));
                }
            }
        }
        Map<ToolSpecification, ToolExecutor> fixed = Map.copyOf(tools);
        return new SandboxToolProvider(guard, request -> new ToolProviderResult(fixed));
    }

    /**
     * The same tools with guarded executors, for {@code AiServices.builder(...).tools(Map)}.
     */
    public static Map<ToolSpecification, ToolExecutor> guard(ToolCallGuard guard,
                                                              Map<ToolSpecification, ToolExecutor> tools) {
        Map<ToolSpecification, ToolExecutor> out = new LinkedHashMap<>();
        tools.forEach((spec, executor) -> out.put(spec, wrap(executor, guard)));
        return out;
    }

    @Override
    public ToolProviderResult provideTools(ToolProviderRequest request) {
        ToolProviderResult result = delegate.provideTools(request);
        if (result == null) return null;
        List<AiServiceTool> guarded = result.aiServiceTools().stream()
                .map(t -> t.toBuilder().toolExecutor(wrap(t.toolExecutor(), guard)).build())
                .toList();
        return ToolProviderResult.builder().addAll(guarded)
                .immediateReturnToolNames(result.immediateReturnToolNames()).build();
    }

    @Override
    public boolean isDynamic() {
        return delegate.isDynamic();
    }

    private static ToolExecutor wrap(ToolExecutor executor, ToolCallGuard guard) {
        // Never guard twice: the guard would ask a person twice about the same call.
        return executor instanceof GuardedToolExecutor ? executor : new GuardedToolExecutor(executor, guard);
    }
}

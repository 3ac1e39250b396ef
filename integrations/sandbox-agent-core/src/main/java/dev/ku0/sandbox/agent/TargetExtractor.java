package dev.ku0.sandbox.agent;

import java.util.List;
import java.util.Map;

/**
 * Finds what a tool call touches (paths, URLs, commands) from its name and arguments, for
 * {@link ToolCallGuard}. The default, {@link #byArgumentName()}, goes by argument names;
 * {@link ArgumentNameExtractor#builder()} configures it, also per tool.
 */
@FunctionalInterface
public interface TargetExtractor {
    /**
     * The targets of a call to {@code toolName} with {@code arguments} (as parsed from the model's
     * JSON: strings, numbers, booleans, {@code null}, lists and maps). Empty when the call touches
     * nothing the policy speaks about.
     */
    List<Target> extract(String toolName, Map<String, Object> arguments);

    /** The default extractor: {@link ArgumentNameExtractor#defaults()}. */
    static TargetExtractor byArgumentName() {
        return ArgumentNameExtractor.defaults();
    }
}

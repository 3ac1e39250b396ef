package dev.ku0.sandbox.springai;

import java.lang.reflect.Type;
import org.springframework.ai.tool.execution.ToolCallResultConverter;

/**
 * Passes a tool's {@code String} result to the model as it is. Spring AI's default converter
 * writes a string as a JSON string literal (quoted, newlines escaped), which makes file contents
 * and command output harder for a model to read.
 */
public final class PlainTextResultConverter implements ToolCallResultConverter {
    /** Instantiated by Spring AI from {@code @Tool(resultConverter = ...)}. */
    public PlainTextResultConverter() {}

    @Override
    public String convert(Object result, Type returnType) {
        return result == null ? "" : result.toString();
    }
}

package dev.ku0.sandbox.springai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ku0.sandbox.DecisionCode;
import java.util.Map;

/** Reads a tool call's JSON arguments the way the guard needs them: strictly. */
final class ToolArguments {
    // Duplicate keys are an error: with "last one wins" in one parser and "first one wins" in
    // another, the guard could check one path while the tool uses the other.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private ToolArguments() {}

    /**
     * The text a model receives for arguments the guard cannot read, in the guard's
     * {@code REFUSED [CODE] reason} form; the code is {@code BAD_REQUEST}.
     */
    static String refusal(String reason) {
        StringBuilder sb = new StringBuilder("REFUSED [").append(DecisionCode.BAD_REQUEST.name()).append("] ");
        // One line, like the guard's own refusals: a control character cannot start a forged line.
        reason.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return sb.toString();
    }

    /**
     * The arguments as a map; an empty or blank input is an empty map (Spring AI passes {@code {}}
     * for a call without arguments).
     *
     * @throws IllegalArgumentException when the input is not one JSON object with unique keys
     */
    static Map<String, Object> parse(String toolInput) {
        if (toolInput == null || toolInput.isBlank()) return Map.of();
        if (!toolInput.stripLeading().startsWith("{")) {
            throw new IllegalArgumentException("the tool arguments are not a JSON object");
        }
        try {
            Map<String, Object> args = JSON.readValue(toolInput, MAP);
            if (args == null) throw new IllegalArgumentException("the tool arguments are not a JSON object");
            return args;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the tool arguments are not well-formed JSON with unique keys: "
                    + e.getOriginalMessage(), e);
        }
    }
}

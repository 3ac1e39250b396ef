package dev.ku0.sandbox.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chat model without a language model: its first answer asks for the scripted tool calls, its
 * second is a final text. It keeps every request, so a test sees what the model received.
 */
final class ScriptedChatModel implements ChatModel {
    private final List<ToolExecutionRequest> calls = new ArrayList<>();
    final List<ChatRequest> requests = new ArrayList<>();

    /** Adds a call of {@code tool} with {@code argumentsJson}. */
    ScriptedChatModel call(String tool, String argumentsJson) {
        calls.add(ToolExecutionRequest.builder().id("call-" + calls.size()).name(tool).arguments(argumentsJson).build());
        return this;
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        requests.add(request);
        AiMessage answer = requests.size() == 1 ? AiMessage.from(calls) : AiMessage.from("done");
        return ChatResponse.builder().aiMessage(answer).build();
    }

    /** The tool results the model received in its second request, by call id, in call order. */
    Map<String, String> toolResults() {
        Map<String, String> out = new LinkedHashMap<>();
        requests.get(requests.size() - 1).messages().stream()
                .filter(ToolExecutionResultMessage.class::isInstance)
                .map(ToolExecutionResultMessage.class::cast)
                .forEach(m -> out.put(m.id(), m.text()));
        return out;
    }

    /** Text for a JSON string value. */
    static String json(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }
}

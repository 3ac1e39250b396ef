package dev.ku0.sandbox.springai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.ToolExecutionResult;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;

/**
 * A chat model without a language model: it answers each prompt with the next scripted message
 * (tool calls, then a final text) and keeps the prompts it got, so a test can read what the tools
 * returned to the model.
 *
 * <p>Who runs the tool calls depends on the Spring AI line, and this model does what that line's
 * real models do. In 2.x the chat client's {@code ToolCallingAdvisor} runs them, so the model
 * returns them. In 1.x each chat model runs them itself with the {@link ToolCallingManager} and
 * prompts again with the results, so this model does that.
 */
final class ScriptedChatModel implements ChatModel {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean CLIENT_RUNS_TOOLS =
            present("org.springframework.ai.chat.client.advisor.ToolCallingAdvisor");
    private final Deque<AssistantMessage> script;
    private final List<Prompt> prompts = new ArrayList<>();

    ScriptedChatModel(AssistantMessage... replies) {
        this.script = new ArrayDeque<>(Arrays.asList(replies));
    }

    /** A reply asking for these tool calls. */
    static AssistantMessage toolCalls(AssistantMessage.ToolCall... calls) {
        return AssistantMessage.builder().content("").toolCalls(List.of(calls)).build();
    }

    /** One tool call with these arguments, written as JSON the way a model sends them. */
    static AssistantMessage.ToolCall call(String id, String tool, Map<String, ?> arguments) {
        try {
            return new AssistantMessage.ToolCall(id, "function", tool, JSON.writeValueAsString(arguments));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A final answer. */
    static AssistantMessage text(String text) {
        return new AssistantMessage(text);
    }

    @Override
    public ChatResponse call(Prompt prompt) {
        prompts.add(prompt);
        AssistantMessage next = script.poll();
        if (next == null) throw new IllegalStateException("the script has no more replies");
        ChatResponse response = new ChatResponse(List.of(new Generation(next)));
        if (CLIENT_RUNS_TOOLS || !response.hasToolCalls()) return response;
        ToolExecutionResult result = ToolCallingManager.builder().build().executeToolCalls(prompt, response);
        return call(new Prompt(result.conversationHistory(), prompt.getOptions()));
    }

    /** Tool-calling options, without which the chat client does not pass the tools on (Spring AI 2.x). */
    public ChatOptions getOptions() {
        return ToolCallingChatOptions.builder().build();
    }

    /** The same for Spring AI 1.x, which asks for them under this name. */
    @Override
    @SuppressWarnings("removal")
    public ChatOptions getDefaultOptions() {
        return getOptions();
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, ScriptedChatModel.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** What the model received as tool results, by tool call id, over the whole conversation. */
    Map<String, String> toolResults() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Prompt p : prompts) {
            for (Message m : p.getInstructions()) {
                if (m instanceof ToolResponseMessage r) {
                    for (ToolResponseMessage.ToolResponse t : r.getResponses()) out.put(t.id(), t.responseData());
                }
            }
        }
        return out;
    }

    /** Asks a {@link ChatClient} on this model to do a task with these {@code @Tool} objects. */
    String runWithToolObject(Object toolObject) {
        return ChatClient.create(this).prompt().user("do the task").tools(toolObject).call().content();
    }

    // toolCallbacks(...) is what Spring AI 1.x takes (its tools(...) takes @Tool objects only);
    // 2.x still has it, marked for removal in favour of tools(...).

    /** Asks a {@link ChatClient} on this model to do a task with these callbacks. */
    @SuppressWarnings("removal")
    String run(ToolCallback... callbacks) {
        return ChatClient.create(this).prompt().user("do the task").toolCallbacks(callbacks).call().content();
    }

    /** Asks a {@link ChatClient} on this model to do a task with this provider's callbacks. */
    @SuppressWarnings("removal")
    String run(ToolCallbackProvider provider) {
        return ChatClient.create(this).prompt().user("do the task").toolCallbacks(provider).call().content();
    }

    /** How many times the model was called. */
    int calls() {
        return prompts.size();
    }
}

package dev.ku0.sandbox.springai;

import static dev.ku0.sandbox.springai.ScriptedChatModel.call;
import static dev.ku0.sandbox.springai.ScriptedChatModel.text;
import static dev.ku0.sandbox.springai.ScriptedChatModel.toolCalls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ku0.sandbox.agent.ActionKind;
import dev.ku0.sandbox.agent.AgentTools;
import dev.ku0.sandbox.agent.AuditEvent;
import dev.ku0.sandbox.agent.ToolCallGuard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.function.FunctionToolCallback;

/**
 * The guarding decorator around tools that know nothing of the sandbox: plain Java functions that
 * write files and "deploy" with a shell command. Driven through a {@code ChatClient} with a
 * scripted model.
 */
class SandboxedToolCallbackTest extends WorkspaceFixture {
    final AtomicInteger deploys = new AtomicInteger();
    ToolCallGuard guard;

    /** The input of the unguarded save_note tool. */
    record Note(String path, String text) {}

    /** The input of the unguarded deploy tool: it would run {@code command}. */
    record Deploy(String command) {}

    @BeforeEach
    void guard() {
        guard = ToolCallGuard.builder(sandbox).audit(audit::add).approval(r -> {
            asked.add(r);
            return false;
        }).build();
    }

    /** Writes wherever it is told: only the guard keeps it in the workspace. */
    private ToolCallback saveNote() {
        return FunctionToolCallback.builder("save_note", (Note n) -> {
            try {
                Path p = ws.resolve(n.path());
                Files.writeString(p, n.text());
                return "saved " + n.path();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).description("Save a note to a file").inputType(Note.class).build();
    }

    private ToolCallback deploy() {
        return FunctionToolCallback.builder("deploy", (Deploy d) -> "deployed " + deploys.incrementAndGet())
                .description("Deploy with a shell command").inputType(Deploy.class).build();
    }

    @Test
    void anAllowedCallRunsAndARefusedOneNeverReachesTheTool() throws Exception {
        Path escape = outside.resolve("escape.txt");
        ScriptedChatModel model = new ScriptedChatModel(
                toolCalls(call("1", "save_note", Map.of("path", "note.txt", "text", "inside")),
                        call("2", "save_note", Map.of("path", escape.toString(), "text", "pwned"))),
                text("done"));

        assertEquals("done", model.run(SandboxedToolCallback.guard(saveNote(), guard)));

        assertEquals("inside", Files.readString(ws.resolve("note.txt")));
        assertFalse(Files.exists(escape), "the refused call did not run");
        assertEquals("\"saved note.txt\"", model.toolResults().get("1"), "the tool's own result, unchanged");
        assertTrue(model.toolResults().get("2").matches("REFUSED \\[[A-Z_]+\\] [^\\n]+"), model.toolResults().get("2"));
        // save_note is judged as a write: "save" is one of the guard's write words.
        assertEquals(List.of(ActionKind.FILE_WRITE, ActionKind.FILE_WRITE),
                audit.stream().map(AuditEvent::action).toList());
    }

    @Test
    void anAskInAnotherToolsArgumentsGoesToTheApprovalHandler() {
        ScriptedChatModel model = new ScriptedChatModel(
                toolCalls(call("1", "deploy", Map.of("command", AskCommands.TOUCH_ASKED)),
                        call("2", "deploy", Map.of("command", "sudo id"))),
                text("done"));

        model.run(SandboxedToolCallback.guard(deploy(), guard));

        assertEquals(1, asked.size(), "the ask went to the handler; the deny did not");
        assertEquals("deploy", asked.get(0).toolName());
        assertEquals(AskCommands.TOUCH_ASKED, asked.get(0).target());
        assertTrue(model.toolResults().get("1").contains("not approved"), model.toolResults().get("1"));
        assertTrue(model.toolResults().get("2").startsWith("REFUSED [SUDO_NOT_ALLOWED] "), model.toolResults().get("2"));
        assertEquals(0, deploys.get(), "the tool never ran");
    }

    @Test
    void argumentsTheGuardCannotReadAreRefused() throws Exception {
        Path escape = outside.resolve("dup.txt");
        // With duplicate keys one parser may take the first value and another the last.
        String duplicate = "{\"path\": \"note.txt\", \"text\": \"x\", \"path\": \"" + escape + "\"}";
        ScriptedChatModel model = new ScriptedChatModel(
                toolCalls(new AssistantMessage.ToolCall("1", "function", "save_note", duplicate),
                        new AssistantMessage.ToolCall("2", "function", "save_note", "[\"" + escape + "\"]")),
                text("done"));

        model.run(SandboxedToolCallback.guard(saveNote(), guard));

        assertTrue(model.toolResults().get("1").startsWith("REFUSED [BAD_REQUEST] "), model.toolResults().get("1"));
        assertTrue(model.toolResults().get("2").startsWith("REFUSED [BAD_REQUEST] "), model.toolResults().get("2"));
        assertFalse(Files.exists(escape));
        assertFalse(Files.exists(ws.resolve("note.txt")));
    }

    @Test
    void aProviderIsGuardedCallByCallAndNothingIsWrappedTwice() {
        ToolCallbackProvider provider = SandboxedToolCallbackProvider.guard(ToolCallbackProvider.from(saveNote()), guard);
        ToolCallback wrapped = provider.getToolCallbacks()[0];
        assertTrue(wrapped instanceof SandboxedToolCallback);
        assertSame(wrapped, SandboxedToolCallback.guard(wrapped, guard));
        assertSame(provider, SandboxedToolCallbackProvider.guard(provider, guard));

        // The ready tools enforce themselves: the guard leaves them as they are.
        ToolCallbackProvider ready = new SandboxTools(AgentTools.builder(sandbox).build()).toolCallbackProvider();
        assertSame(ready, SandboxedToolCallbackProvider.guard(ready, guard));

        Path escape = outside.resolve("p.txt");
        ScriptedChatModel model = new ScriptedChatModel(
                toolCalls(call("1", "save_note", Map.of("path", escape.toString(), "text", "x"))), text("done"));
        model.run(provider);
        assertTrue(model.toolResults().get("1").startsWith("REFUSED ["), model.toolResults().get("1"));
        assertFalse(Files.exists(escape));
    }
}

package dev.ku0.sandbox.springai;

import static dev.ku0.sandbox.springai.ScriptedChatModel.call;
import static dev.ku0.sandbox.springai.ScriptedChatModel.text;
import static dev.ku0.sandbox.springai.ScriptedChatModel.toolCalls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ku0.sandbox.Verdict;
import dev.ku0.sandbox.agent.ActionKind;
import dev.ku0.sandbox.agent.AgentTools;
import dev.ku0.sandbox.agent.ApprovalHandler;
import dev.ku0.sandbox.agent.ApprovalRequest;
import dev.ku0.sandbox.agent.AuditEvent;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The ready tools through Spring AI's own tool-calling path: a {@code ChatClient} whose model is
 * scripted to ask for tool calls, so the client's tool-calling advisor and
 * {@code DefaultToolCallingManager} run the {@code @Tool} methods. Judged from outside: files in
 * the workspace and outside it, marker files of commands, connections to a local listener, and
 * the text the model received.
 */
class SandboxToolsChatClientTest extends WorkspaceFixture {
    private SandboxTools tools(ApprovalHandler approval) {
        ApprovalHandler recording = request -> {
            asked.add(request);
            return approval.approve(request);
        };
        return new SandboxTools(AgentTools.builder(sandbox).approval(recording).audit(audit::add).build());
    }

    @Test
    void anAllowedWriteHappensInTheWorkspaceAndARefusedOneDoesNot() throws Exception {
        Path escape = outside.resolve("escape.txt");
        ScriptedChatModel model = new ScriptedChatModel(
                toolCalls(call("1", "write_file", Map.of("path", "notes/todo.txt", "content", "ship it")),
                        call("2", "write_file", Map.of("path", escape.toString(), "content", "pwned"))),
                text("done"));

        assertEquals("done", model.runWithToolObject(tools(ApprovalHandler.DENY)));

        assertEquals("ship it", Files.readString(ws.resolve("notes/todo.txt")));
        assertFalse(Files.exists(escape), "nothing was written outside the workspace");
        Map<String, String> results = model.toolResults();
        assertEquals("wrote 7 bytes to notes/todo.txt", results.get("1"), "plain text, not a JSON string");
        assertTrue(results.get("2").matches("REFUSED \\[[A-Z_]+\\] [^\\n]+"), results.get("2"));
        assertEquals(2, model.calls(), "the model got the results and answered");
        assertEquals(List.of(Verdict.ALLOW, Verdict.DENY), audit.stream().map(AuditEvent::decision).toList());
        assertEquals(ActionKind.FILE_WRITE, audit.get(1).action());
    }

    @Test
    void aReadOfABlockedFileReturnsTheRefusalAndNotTheContent() throws Exception {
        Files.writeString(ws.resolve("readme.txt"), "hello");
        ScriptedChatModel model = new ScriptedChatModel(
                toolCalls(call("1", "read_file", Map.of("path", "readme.txt")),
                        call("2", "read_file", Map.of("path", "~/.ssh/id_rsa")),
                        call("3", "list_files", Map.of("path", "."))),
                text("done"));

        model.runWithToolObject(tools(ApprovalHandler.DENY));

        Map<String, String> results = model.toolResults();
        assertEquals("hello", results.get("1"));
        assertTrue(results.get("2").startsWith("REFUSED [BLOCKED_PATH] "), results.get("2"));
        assertEquals("readme.txt\n", results.get("3"));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void anAllowedCommandRunsUnderEnforcement() throws Exception {
        ScriptedChatModel model = new ScriptedChatModel(
                toolCalls(call("1", "run_command", Map.of("command", "echo hi > made.txt && cat made.txt"))),
                text("done"));

        model.runWithToolObject(tools(ApprovalHandler.DENY));

        assertEquals("exit 0\n--- stdout\nhi\n", model.toolResults().get("1"));
        assertTrue(Files.exists(ws.resolve("made.txt")));
    }

    @Test
    void aRefusedCommandDoesNotRun() {
        ScriptedChatModel model = new ScriptedChatModel(
                toolCalls(call("1", "run_command", Map.of("command", "touch marker.txt && sudo id"))),
                text("done"));

        model.runWithToolObject(tools(ApprovalHandler.DENY));

        assertFalse(Files.exists(ws.resolve("marker.txt")), "no part of a refused command ran");
        assertTrue(model.toolResults().get("1").startsWith("REFUSED [SUDO_NOT_ALLOWED] "),
                model.toolResults().get("1"));
        assertTrue(asked.isEmpty(), "a deny is never put to the approval handler");
    }

    @Test
    void anAskGoesToTheApprovalHandlerAndIsRefusedWhenNotApproved() {
        ScriptedChatModel model = new ScriptedChatModel(
                toolCalls(call("1", "run_command", Map.of("command", AskCommands.TOUCH_ASKED))),
                text("done"));

        model.runWithToolObject(tools(ApprovalHandler.DENY));

        assertEquals(1, asked.size());
        ApprovalRequest r = asked.get(0);
        assertEquals(ActionKind.COMMAND, r.action());
        assertEquals(AskCommands.TOUCH_ASKED, r.target());
        String result = model.toolResults().get("1");
        assertTrue(result.startsWith("REFUSED [" + r.code().name() + "] ") && result.contains("not approved"), result);
        assertFalse(Files.exists(ws.resolve("asked.txt")), "the unapproved command did not run");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void anApprovedAskRuns() {
        ScriptedChatModel model = new ScriptedChatModel(
                toolCalls(call("1", "run_command", Map.of("command", AskCommands.TOUCH_ASKED))),
                text("done"));

        model.runWithToolObject(tools(request -> true));

        assertEquals(1, asked.size());
        assertTrue(model.toolResults().get("1").startsWith("exit 0"), model.toolResults().get("1"));
        assertTrue(Files.exists(ws.resolve("asked.txt")), "the approved command ran");
    }

    @Test
    void aRefusedRequestMakesNoConnection() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + listener.getLocalPort() + "/";
            ScriptedChatModel model = new ScriptedChatModel(
                    toolCalls(call("1", "http_get", Map.of("url", url)),
                            call("2", "http_post", Map.of("url", url, "body", "{\"a\":1}"))),
                    text("done"));

            model.runWithToolObject(tools(ApprovalHandler.DENY));

            // The workspace preset allows HTTPS only.
            assertTrue(model.toolResults().get("1").startsWith("REFUSED [SCHEME_NOT_ALLOWED] "),
                    model.toolResults().get("1"));
            assertTrue(model.toolResults().get("2").startsWith("REFUSED [SCHEME_NOT_ALLOWED] "),
                    model.toolResults().get("2"));
            listener.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, listener::accept, "no connection was made");
        }
    }
}

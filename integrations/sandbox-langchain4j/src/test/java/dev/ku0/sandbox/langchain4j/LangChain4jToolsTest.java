package dev.ku0.sandbox.langchain4j;

import static dev.ku0.sandbox.langchain4j.ScriptedChatModel.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ku0.sandbox.DecisionCode;
import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.agent.AgentTools;
import dev.ku0.sandbox.agent.ToolCallGuard;
import dev.ku0.sandbox.agent.Workspace;
import dev.ku0.sandbox.agent.WorkspaceTest;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.service.AiServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * LangChain4j's own tool-calling path ({@code AiServices}) driven by a scripted model: what ran,
 * what did not, what was put to the approval handler, and what the model received back.
 */
@EnabledOnOs(OS.LINUX)
public class LangChain4jToolsTest extends WorkspaceTest {
    interface Assistant {
        String chat(String message);
    }

    static final String ASK_COMMAND = Workspace.ASK_COMMAND;
    static final String DENIED_COMMAND = Workspace.DENIED_COMMAND;

    /**
     * Four scripted calls: {@code writeTool} writes {@code content} to {@code path} (allowed), then
     * to {@code escape} outside the workspace; {@code commandTool} runs a denied command, then one
     * the policy asks about.
     */
    private static ScriptedChatModel fourCalls(String writeTool, String path, String content, Path escape,
            String commandTool) {
        return new ScriptedChatModel()
                .call(writeTool, "{\"path\":" + json(path) + ",\"content\":" + json(content) + "}")
                .call(writeTool, "{\"path\":" + json(escape.toString()) + ",\"content\":\"x\"}")
                .call(commandTool, "{\"command\":" + json(DENIED_COMMAND) + "}")
                .call(commandTool, "{\"command\":" + json(ASK_COMMAND) + "}");
    }

    /**
     * The results of the four scripted calls: an allowed one, a write outside the workspace, a
     * denied command and an ask nobody approved.
     */
    private static void assertRefusals(Map<String, String> results) {
        assertTrue(results.get("call-1").startsWith("REFUSED [OUTSIDE_WORKSPACE] "), results.get("call-1"));
        assertTrue(results.get("call-2").startsWith("REFUSED [SUDO_NOT_ALLOWED] "), results.get("call-2"));
        assertTrue(results.get("call-3").startsWith("REFUSED [INLINE_CODE] "), results.get("call-3"));
    }

    @Test
    void sandboxToolsThroughAiServices() throws Exception {
        Path escape = w.outside.resolve("escape.txt");
        ScriptedChatModel model = fourCalls("writeFile", "notes/a.txt", "hi", escape, "runCommand");
        try (SandboxManager m = w.manager()) {
            AgentTools tools = AgentTools.builder(m).approval(w.approval(false)).audit(w.audit::add).build();
            Assistant assistant = AiServices.builder(Assistant.class).chatModel(model)
                    .tools(new SandboxTools(tools)).build();
            assertEquals("done", assistant.chat("go"));
        }
        assertEquals("hi", Files.readString(w.ws.resolve("notes/a.txt")));
        assertFalse(Files.exists(escape));
        assertFalse(Files.exists(w.ws.resolve("marker.txt")));
        assertFalse(Files.exists(w.ws.resolve("asked.txt")));
        assertEquals(1, w.asked.size());
        assertEquals(DecisionCode.INLINE_CODE, w.asked.get(0).code());
        assertEquals(4, w.audit.size());

        Map<String, String> results = model.toolResults();
        assertEquals("wrote 2 bytes to notes/a.txt", results.get("call-0"));
        assertRefusals(results);
        // The tool list the model was offered is the six sandbox tools.
        assertEquals(List.of("httpGet", "httpPost", "listFiles", "readFile", "runCommand", "writeFile"),
                model.requests.get(0).toolSpecifications().stream().map(s -> s.name()).sorted().toList());
    }

    /** Tools that know nothing of any sandbox: they act directly on the file system and the OS. */
    public static final class PlainTools {
        private final Path base;

        PlainTools(Path base) {
            this.base = base;
        }

        @Tool("writes a file")
        public String saveFile(@P(name = "path", value = "path") String path,
                @P(name = "content", value = "content") String content) throws IOException {
            Files.writeString(base.resolve(path), content, StandardCharsets.UTF_8);
            return "saved " + path;
        }

        @Tool("runs a command")
        public String shell(@P(name = "command", value = "command") String command) throws Exception {
            Process p = new ProcessBuilder("/bin/bash", "-c", command).directory(base.toFile())
                    .redirectErrorStream(true).start();
            p.waitFor(30, TimeUnit.SECONDS);
            return "exit " + p.exitValue();
        }
    }

    @Test
    void aGuardAroundAnyToolProvider() throws Exception {
        Path escape = w.outside.resolve("escape.txt");
        ScriptedChatModel model = fourCalls("saveFile", "ok.txt", "fine", escape, "shell");
        try (SandboxManager m = w.manager()) {
            ToolCallGuard guard = ToolCallGuard.builder(m).approval(w.approval(false)).audit(w.audit::add).build();
            Assistant assistant = AiServices.builder(Assistant.class).chatModel(model)
                    .toolProvider(SandboxToolProvider.guarding(guard, new PlainTools(w.ws))).build();
            assertEquals("done", assistant.chat("go"));
        }
        assertEquals("fine", Files.readString(w.ws.resolve("ok.txt")));
        assertFalse(Files.exists(escape), "the refused write did not run");
        assertFalse(Files.exists(w.ws.resolve("marker.txt")), "the refused command did not start");
        assertFalse(Files.exists(w.ws.resolve("asked.txt")), "the unapproved ask did not start");
        assertEquals(1, w.asked.size());
        assertEquals("shell", w.asked.get(0).toolName());
        assertEquals(ASK_COMMAND, w.asked.get(0).target());

        Map<String, String> results = model.toolResults();
        assertEquals("saved ok.txt", results.get("call-0"));
        assertRefusals(results);
    }

    @Test
    void anApprovedAskRunsThroughTheGuard() throws Exception {
        ScriptedChatModel model = new ScriptedChatModel().call("shell", "{\"command\":" + json(ASK_COMMAND) + "}");
        try (SandboxManager m = w.manager()) {
            ToolCallGuard guard = ToolCallGuard.builder(m).approval(w.approval(true)).build();
            Assistant assistant = AiServices.builder(Assistant.class).chatModel(model)
                    .toolProvider(SandboxToolProvider.guarding(guard, new PlainTools(w.ws))).build();
            assistant.chat("go");
        }
        assertEquals(1, w.asked.size());
        assertTrue(Files.exists(w.ws.resolve("asked.txt")));
        assertEquals("exit 0", model.toolResults().get("call-0"));
    }
}

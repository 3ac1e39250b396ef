package dev.ku0.sandbox.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ku0.sandbox.Policies;
import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.agent.ReadmeBlocks;
import dev.langchain4j.model.chat.ChatModel;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The README's LangChain4j example compiles and, driven by a scripted model, does what it says. */
@EnabledOnOs(OS.LINUX)
class ReadmeExampleTest {
    @TempDir
    Path tmp;

    @Test
    void langchain4jExampleCompilesAndRuns() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        Path classes = ReadmeBlocks.compile("langchain4j", "SandboxedAssistant", Files.createDirectories(tmp.resolve("classes")));
        Path escape = tmp.resolve("escape.txt");
        ScriptedChatModel model = new ScriptedChatModel()
                .call("writeFile", "{\"path\":\"a.txt\",\"content\":\"hi\"}")
                .call("saveFile", "{\"path\":" + ScriptedChatModel.json(escape.toString()) + ",\"content\":\"x\"}");
        try (URLClassLoader cl = ReadmeBlocks.loader(classes);
             SandboxManager sandbox = SandboxManager.builder(Policies.WORKSPACE).workspace(ws).home(tmp).build()) {
            Class<?> example = cl.loadClass("SandboxedAssistant");
            Method create = example.getMethod("create", ChatModel.class, SandboxManager.class, Object[].class);
            Object assistant = create.invoke(null, model, sandbox,
                    new Object[] {new LangChain4jToolsTest.PlainTools(ws)});
            Object answer = cl.loadClass("SandboxedAssistant$Assistant").getMethod("chat", String.class)
                    .invoke(assistant, "go");
            assertEquals("done", answer);
        }
        assertEquals("hi", Files.readString(ws.resolve("a.txt")));
        assertFalse(Files.exists(escape));
        Map<String, String> results = model.toolResults();
        assertEquals("wrote 2 bytes to a.txt", results.get("call-0"));
        assertTrue(results.get("call-1").startsWith("REFUSED [OUTSIDE_WORKSPACE] "), results.get("call-1"));
    }
}

package dev.ku0.sandbox.springai.autoconfigure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ku0.sandbox.Policies;
import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.Verdict;
import dev.ku0.sandbox.agent.AgentTools;
import dev.ku0.sandbox.agent.ApprovalHandler;
import dev.ku0.sandbox.agent.ApprovalRequest;
import dev.ku0.sandbox.agent.AuditEvent;
import dev.ku0.sandbox.agent.AuditListener;
import dev.ku0.sandbox.agent.ToolCallGuard;
import dev.ku0.sandbox.springai.AskCommands;
import dev.ku0.sandbox.springai.SandboxTools;
import dev.ku0.sandbox.springai.SandboxedToolCallback;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.function.FunctionToolCallback;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The starter, started from properties only in an {@link ApplicationContextRunner}. */
class SandboxAutoConfigurationTest {
    @TempDir
    Path tmp;
    Path ws;
    ApplicationContextRunner runner;

    @BeforeEach
    void fixture() throws Exception {
        ws = Files.createDirectories(tmp.resolve("ws"));
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SandboxAutoConfiguration.class))
                .withPropertyValues("ku0.sandbox.workspace=" + ws, "ku0.sandbox.home=" + tmp.resolve("home"));
    }

    @Test
    void propertiesAloneGiveTheManagerTheToolsAndTheGuardAndCloseTheManagerWithTheContext() {
        AtomicReference<SandboxManager> manager = new AtomicReference<>();
        runner.withPropertyValues("ku0.sandbox.policy=strict").run(context -> {
            assertNull(context.getStartupFailure());
            SandboxManager m = context.getBean(SandboxManager.class);
            manager.set(m);
            assertEquals("strict", m.policy().name());
            assertEquals(ws.toAbsolutePath(), m.workspace());
            assertSame(m, context.getBean(AgentTools.class).sandbox());
            assertSame(m, context.getBean(ToolCallGuard.class).sandbox());
            assertNotNull(context.getBean(SandboxTools.class));
            List<String> names = Arrays.stream(context.getBean(ToolCallbackProvider.class).getToolCallbacks())
                    .map(c -> c.getToolDefinition().name()).sorted().toList();
            assertEquals(List.of("http_get", "http_post", "list_files", "read_file", "run_command", "write_file"), names);
            assertTrue(context.containsBean("sandboxAuditLog"));
            assertFalse(m.isClosed());
        });
        assertTrue(manager.get().isClosed(), "the context closed the manager");
        assertThrows(IllegalStateException.class, () -> manager.get().checkFileAccess("a.txt", "read"));
    }

    @Test
    void theDefaultPolicyIsTheWorkspacePresetAndAFileOrClasspathPolicyIsRead() throws Exception {
        runner.run(context -> assertEquals("workspace", context.getBean(SandboxManager.class).policy().name()));

        Path file = tmp.resolve("policy.json");
        Files.writeString(file, Policies.STRICT.toJson());
        runner.withPropertyValues("ku0.sandbox.policy=" + file)
                .run(context -> assertEquals("strict", context.getBean(SandboxManager.class).policy().name()));
        runner.withPropertyValues("ku0.sandbox.policy=classpath:dev/ku0/sandbox/policies/permissive.json")
                .run(context -> assertEquals("permissive", context.getBean(SandboxManager.class).policy().name()));
    }

    @Test
    void anUnknownPolicyOrAMissingWorkspaceStopsTheApplication() {
        runner.withPropertyValues("ku0.sandbox.policy=lenient").run(context -> {
            Throwable failure = context.getStartupFailure();
            assertNotNull(failure);
            assertTrue(rootMessage(failure).contains("neither a preset"), rootMessage(failure));
        });
        runner.withPropertyValues("ku0.sandbox.workspace=" + tmp.resolve("missing")).run(context -> {
            assertNotNull(context.getStartupFailure());
        });
    }

    @Test
    void everyToolCallbackBeanIsGuardedUnlessTurnedOff() {
        Path escape = tmp.resolve("escape.txt");
        String outsideCall = "{\"path\": \"" + escape + "\", \"text\": \"pwned\"}";
        String insideCall = "{\"path\": \"" + ws.resolve("in.txt") + "\", \"text\": \"fine\"}";
        runner.withUserConfiguration(UserTools.class).run(context -> {
            assertNull(context.getStartupFailure());
            ToolCallback note = context.getBean("saveNote", ToolCallback.class);
            assertTrue(note.call(outsideCall).startsWith("REFUSED ["), note.call(outsideCall));
            assertFalse(Files.exists(escape), "the refused call did not run");
            assertEquals("\"saved\"", note.call(insideCall));
            assertEquals("fine", Files.readString(ws.resolve("in.txt")));
            // Guarding it again by hand changes nothing: an ask would not be put twice.
            assertSame(note, SandboxedToolCallback.guard(note, context.getBean(ToolCallGuard.class)));

            // A bean injected by its own class is guarded as well.
            NoteTool typed = context.getBean(NoteToolUser.class).tool();
            assertTrue(typed.call(outsideCall).startsWith("REFUSED ["), typed.call(outsideCall));
            assertEquals(0, typed.runs, "the tool never ran");

            ToolCallback finalCall = context.getBean("finalCallTool", ToolCallback.class);
            assertTrue(finalCall.call(outsideCall).startsWith("REFUSED ["), finalCall.call(outsideCall));
            assertEquals("written", finalCall.call(insideCall));

            ToolCallbackProvider provider = context.getBean("userProvider", ToolCallbackProvider.class);
            assertTrue(provider.getToolCallbacks()[0] instanceof SandboxedToolCallback);
            // The ready tools' provider enforces by itself and is left as it is.
            ToolCallbackProvider ready = context.getBean("sandboxToolCallbackProvider", ToolCallbackProvider.class);
            assertFalse(ready.getToolCallbacks()[0] instanceof SandboxedToolCallback);
        });
        runner.withUserConfiguration(UserTools.class).withPropertyValues("ku0.sandbox.guard-all-tools=false")
                .run(context -> {
                    ToolCallback note = context.getBean("saveNote", ToolCallback.class);
                    assertEquals("\"saved\"", note.call(outsideCall), "unguarded, the tool ran");
                    assertTrue(Files.exists(escape));
                });
    }

    @Test
    void theApplicationsApprovalHandlerAndAuditListenerAreUsed() {
        runner.withUserConfiguration(UserApprovalAndAudit.class).run(context -> {
            UserApprovalAndAudit user = context.getBean(UserApprovalAndAudit.class);
            String result = context.getBean(SandboxTools.class).runCommand(AskCommands.TOUCH_ASKED);
            assertTrue(result.contains("not approved"), result);
            assertEquals(1, user.asked.size(), "the ask reached the application's handler");
            assertEquals(List.of(Verdict.ASK), user.events.stream().map(AuditEvent::decision).toList());
            assertFalse(Files.exists(ws.resolve("asked.txt")));
        });
    }

    @Test
    void withoutAnApprovalHandlerAnAskIsRefused() {
        runner.run(context -> {
            String result = context.getBean(SandboxTools.class).runCommand(AskCommands.TOUCH_ASKED);
            assertTrue(result.startsWith("REFUSED [") && result.contains("not approved"), result);
            assertFalse(Files.exists(ws.resolve("asked.txt")));
        });
    }

    @Test
    void theStarterCanBeSwitchedOffAndItsBeansReplaced() {
        runner.withPropertyValues("ku0.sandbox.enabled=false")
                .run(context -> assertFalse(context.containsBean("sandboxManager")));
        runner.withPropertyValues("ku0.sandbox.audit=false", "ku0.sandbox.tools=false").run(context -> {
            assertFalse(context.containsBean("sandboxAuditLog"));
            assertFalse(context.containsBean("sandboxToolCallbackProvider"));
            assertTrue(context.containsBean("sandboxTools"));
        });
        runner.withUserConfiguration(OwnManager.class).run(context -> {
            assertEquals("permissive", context.getBean(SandboxManager.class).policy().name());
        });
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage();
    }

    /** Input of the user's save_note tool. */
    record Note(String path, String text) {}

    /** A tool class of the application's own, counting its runs. */
    public static class NoteTool implements ToolCallback {
        int runs;

        @Override
        public ToolDefinition getToolDefinition() {
            return ToolDefinition.builder().name("write_note").description("Write a note")
                    .inputSchema("{\"type\":\"object\"}").build();
        }

        @Override
        public String call(String toolInput) {
            runs++;
            return "written";
        }
    }

    /**
     * A tool whose {@code call} is final: a subclass proxy could not intercept it and would run it
     * on the proxy, so it must get an interface proxy.
     */
    public static class FinalCallTool extends NoteTool {
        @Override
        public final String call(String toolInput) {
            runs++;
            return "written";
        }
    }

    /** Takes the tool by its class, the way an MCP client's provider often is injected. */
    record NoteToolUser(NoteTool tool) {}

    @Configuration(proxyBeanMethods = false)
    static class UserTools {
        @Bean
        ToolCallback saveNote() {
            return FunctionToolCallback.builder("save_note", (Note n) -> {
                try {
                    Files.writeString(Path.of(n.path()), n.text());
                    return "saved";
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).description("Save a note").inputType(Note.class).build();
        }

        @Bean
        NoteTool noteTool() {
            return new NoteTool();
        }

        @Bean
        ToolCallback finalCallTool() {
            return new FinalCallTool();
        }

        @Bean
        NoteToolUser noteToolUser(@Qualifier("noteTool") NoteTool tool) {
            return new NoteToolUser(tool);
        }

        @Bean
        ToolCallbackProvider userProvider() {
            return ToolCallbackProvider.from(FunctionToolCallback
                    .builder("echo", (Map<String, Object> in) -> in.toString()).description("Echo")
                    .inputType(Map.class).build());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserApprovalAndAudit {
        final List<ApprovalRequest> asked = new CopyOnWriteArrayList<>();
        final List<AuditEvent> events = new CopyOnWriteArrayList<>();

        @Bean
        ApprovalHandler approvalHandler() {
            return request -> {
                asked.add(request);
                return false;
            };
        }

        @Bean
        AuditListener recordingAudit() {
            return events::add;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnManager {
        @Bean(destroyMethod = "close")
        SandboxManager sandboxManager() throws Exception {
            return SandboxManager.builder(Policies.PERMISSIVE).workspace(Path.of("").toAbsolutePath()).build();
        }
    }
}

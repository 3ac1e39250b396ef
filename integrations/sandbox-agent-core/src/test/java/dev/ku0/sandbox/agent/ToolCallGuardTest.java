package dev.ku0.sandbox.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ku0.sandbox.DecisionCode;
import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.Verdict;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolCallGuardTest extends WorkspaceTest {
    private ToolCallGuard guard(SandboxManager m, boolean approve) {
        return ToolCallGuard.builder(m).audit(w.audit::add).approval(w.approval(approve)).build();
    }

    private static List<Target> extract(String tool, Map<String, Object> args) {
        return TargetExtractor.byArgumentName().extract(tool, args);
    }

    @Test
    void targetsAreFoundByArgumentName() {
        assertEquals(List.of(Target.fileRead("a.txt")), extract("read_file", Map.of("path", "a.txt")));
        assertEquals(List.of(Target.fileRead("a.txt")), extract("cat", Map.of("filePath", "a.txt")));
        assertEquals(List.of(Target.fileWrite("a.txt")), extract("writeFile", Map.of("file", "a.txt")));
        assertEquals(List.of(Target.fileWrite("a.txt")), extract("notes", Map.of("path", "a.txt", "content", "x")));
        assertEquals(List.of(Target.fileList("src")), extract("list_directory", Map.of("path", "src")));
        assertEquals(List.of(Target.fileList("src")), extract("browse", Map.of("dir", "src")));
        assertEquals(List.of(Target.http("GET", "https://example.com/")), extract("fetch", Map.of("url", "https://example.com/")));
        assertEquals(List.of(Target.http("POST", "https://example.com/")),
                extract("fetch", Map.of("url", "https://example.com/", "method", "post")));
        assertEquals(List.of(Target.command("ls -la")), extract("shell", Map.of("command", "ls -la")));
        assertEquals(List.of(Target.command("'ls' '-la'")), extract("exec", Map.of("cmd", List.of("ls", "-la"))));
        assertEquals(List.of(Target.command("a"), Target.command("b")), extract("batch", Map.of("commands", List.of("a", "b"))));
        assertEquals(List.of(), extract("weather", Map.of("city", "Paris", "days", 3)));
    }

    @Test
    void nestedArgumentsAreSearched() {
        Map<String, Object> args = Map.of("options", Map.of("steps", List.of(Map.of("file_path", "deep.txt"))));
        assertEquals(List.of(Target.fileRead("deep.txt")), extract("process", args));
    }

    @Test
    void extractionIsConfigurablePerTool() {
        TargetExtractor e = ArgumentNameExtractor.builder()
                .fileArguments("notebook")
                .writeTool("annotate")
                .forTool("deploy", (tool, args) -> List.of(Target.command("deploy " + args.get("env"))))
                .build();
        assertEquals(List.of(Target.fileWrite("n.ipynb")), e.extract("annotate", Map.of("notebook", "n.ipynb")));
        assertEquals(List.of(Target.command("deploy prod")), e.extract("deploy", Map.of("env", "prod")));
    }

    @Test
    void anAllowedCallIsAllowedAndAudited() throws Exception {
        try (SandboxManager m = w.manager()) {
            GuardOutcome o = guard(m, false).check("write_file", Map.of("path", "notes.md", "content", "x"));
            assertTrue(o.allowed());
            assertEquals("", o.refusalText());
            assertEquals(DecisionCode.ALLOWED, o.decision().code());
            assertEquals(1, w.audit.size());
            assertEquals("write_file", w.audit.get(0).tool());
            assertEquals(ActionKind.FILE_WRITE, w.audit.get(0).action());
        }
    }

    @Test
    void aCallWithoutTargetsIsAllowed() throws Exception {
        try (SandboxManager m = w.manager()) {
            GuardOutcome o = guard(m, false).check("weather", Map.of("city", "Paris"));
            assertTrue(o.allowed());
            assertTrue(o.checks().isEmpty());
            assertTrue(w.audit.isEmpty());
        }
    }

    @Test
    void oneDeniedTargetRefusesTheCallWithoutAskingAnyone() throws Exception {
        try (SandboxManager m = w.manager()) {
            Map<String, Object> args = new HashMap<>();
            args.put("source", "notes.md");
            args.put("destination", "~/.ssh/authorized_keys");
            args.put("command", Workspace.ASK_COMMAND);
            GuardOutcome o = guard(m, true).check("move_file", args);
            assertFalse(o.allowed());
            assertTrue(o.refusalText().startsWith("REFUSED [BLOCKED_PATH] "), o.refusalText());
            assertTrue(w.asked.isEmpty(), "no ask is put to a person once a target is denied");
            assertEquals(3, w.audit.size());
            AuditEvent ask = w.audit.stream().filter(e -> e.decision() == Verdict.ASK).findFirst().orElseThrow();
            assertEquals(Boolean.FALSE, ask.approved());
        }
    }

    @Test
    void anAskGoesToTheApprovalHandler() throws Exception {
        try (SandboxManager m = w.manager()) {
            GuardOutcome approved = guard(m, true).check("bash", Map.of("command", Workspace.ASK_COMMAND));
            assertTrue(approved.allowed());
            assertEquals(Verdict.ASK, approved.decision().verdict());
            assertEquals(1, w.asked.size());
            assertEquals(ActionKind.COMMAND, w.asked.get(0).action());
            assertEquals("bash", w.asked.get(0).toolName());

            GuardOutcome refused = guard(m, false).check("bash", Map.of("command", Workspace.ASK_COMMAND));
            assertFalse(refused.allowed());
            assertEquals("REFUSED [INLINE_CODE] " + refused.decision().reason()
                    + " (needs a person's approval; not approved)", refused.refusalText());
        }
    }

    @Test
    void aThrowingApprovalHandlerDoesNotApprove() throws Exception {
        try (SandboxManager m = w.manager()) {
            ToolCallGuard g = ToolCallGuard.builder(m).approval(r -> {
                throw new IllegalStateException("no console");
            }).build();
            assertFalse(g.check("bash", Map.of("command", Workspace.ASK_COMMAND)).allowed());
        }
    }

    @Test
    void argumentsThatCannotBeExaminedRefuseTheCall() throws Exception {
        Map<String, Object> deep = Map.of("path", "a.txt");
        for (int i = 0; i < 40; i++) deep = Map.of("nested", deep);
        try (SandboxManager m = w.manager()) {
            GuardOutcome o = guard(m, true).check("read_file", deep);
            assertFalse(o.allowed());
            assertTrue(o.refusalText().startsWith("REFUSED [BAD_REQUEST] "), o.refusalText());
        }
    }

    @Test
    void jsonArgumentsAreCheckedAndARepeatedKeyIsRefused() throws Exception {
        try (SandboxManager m = w.manager()) {
            ToolCallGuard g = guard(m, false);
            assertTrue(g.checkJson("read_file", "{\"path\": \"notes.md\"}").allowed());
            assertTrue(g.checkJson("read_file", "").allowed());
            GuardOutcome secret = g.checkJson("read_file", "{\"path\": \"~/.ssh/id_rsa\"}");
            assertTrue(secret.refusalText().startsWith("REFUSED [BLOCKED_PATH] "), secret.refusalText());
            GuardOutcome twice = g.checkJson("read_file", "{\"path\": \"notes.md\", \"path\": \"~/.ssh/id_rsa\"}");
            assertTrue(twice.refusalText().startsWith("REFUSED [BAD_REQUEST] "), twice.refusalText());
            assertFalse(g.checkJson("read_file", "[\"notes.md\"]").allowed());
            assertFalse(g.checkJson("read_file", "{not json").allowed());
        }
    }
}

package dev.ku0.sandbox.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.ku0.sandbox.DecisionCode;
import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.Verdict;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The ready tools, judged from outside: files that do or do not change, processes, connections. */
@EnabledOnOs(OS.LINUX)
class AgentToolsTest extends WorkspaceTest {
    private AgentTools tools(SandboxManager m, boolean approve) {
        return AgentTools.builder(m).audit(w.audit::add).approval(w.approval(approve)).build();
    }

    @Test
    void writesAndReadsInTheWorkspace() throws Exception {
        try (SandboxManager m = w.manager()) {
            AgentTools t = tools(m, false);
            assertEquals("wrote 7 bytes to notes/todo.txt", t.writeFile("notes/todo.txt", "ship it"));
            assertEquals("ship it", Files.readString(w.ws.resolve("notes/todo.txt")));
            assertEquals("ship it", t.readFile("notes/todo.txt"));
            assertEquals("notes/\n", t.listFiles("."));
            assertEquals(3, w.audit.size());
            assertTrue(w.audit.stream().allMatch(e -> e.decision() == Verdict.ALLOW && e.code() == DecisionCode.ALLOWED));
            assertEquals(List.of(ActionKind.FILE_WRITE, ActionKind.FILE_READ, ActionKind.FILE_LIST),
                    w.audit.stream().map(AuditEvent::action).toList());
            assertTrue(w.asked.isEmpty());
        }
    }

    @Test
    void aWriteOutsideIsRefusedAndNothingIsWritten() throws Exception {
        try (SandboxManager m = w.manager()) {
            Path target = w.outside.resolve("escape.txt");
            String text = tools(m, true).writeFile(target.toString(), "x");
            assertTrue(text.startsWith("REFUSED [OUTSIDE_WORKSPACE] "), text);
            assertFalse(text.contains("\n"), text);
            assertFalse(Files.exists(target));
            assertEquals(Verdict.DENY, w.audit.get(0).decision());
            assertTrue(w.asked.isEmpty(), "a deny is never put to the approval handler");
        }
    }

    @Test
    void aSecretIsNotRead() throws Exception {
        try (SandboxManager m = w.manager()) {
            String text = tools(m, true).readFile("~/.ssh/id_rsa");
            assertTrue(text.startsWith("REFUSED [BLOCKED_PATH] "), text);
            assertFalse(text.contains("PRIVATE-KEY-MATERIAL"));
        }
    }

    @Test
    void aMissingFileIsAnErrorLineNotAnException() throws Exception {
        try (SandboxManager m = w.manager()) {
            String text = tools(m, false).readFile("missing.txt");
            assertTrue(text.startsWith("ERROR [NOT_FOUND] "), text);
        }
    }

    @Test
    void anAllowedCommandRunsUnderEnforcement() throws Exception {
        try (SandboxManager m = w.manager()) {
            String text = tools(m, false).runCommand("echo hello > made.txt && cat made.txt");
            assertEquals("exit 0\n--- stdout\nhello\n", text);
            assertTrue(Files.exists(w.ws.resolve("made.txt")));
        }
    }

    @Test
    void aDeniedCommandDoesNotRun() throws Exception {
        try (SandboxManager m = w.manager()) {
            String text = tools(m, true).runCommand(Workspace.DENIED_COMMAND);
            assertTrue(text.startsWith("REFUSED [SUDO_NOT_ALLOWED] "), text);
            assertFalse(Files.exists(w.ws.resolve("marker.txt")), "the refused command did not start");
            assertTrue(w.asked.isEmpty());
        }
    }

    @Test
    void anAskGoesToTheApprovalHandlerAndRunsOnlyWhenApproved() throws Exception {
        String command = Workspace.ASK_COMMAND;
        try (SandboxManager m = w.manager()) {
            String refused = tools(m, false).runCommand(command);
            assertTrue(refused.startsWith("REFUSED [INLINE_CODE] "), refused);
            assertTrue(refused.endsWith("(needs a person's approval; not approved)"), refused);
            assertFalse(Files.exists(w.ws.resolve("asked.txt")));
            assertEquals(1, w.asked.size());
            assertEquals(new ApprovalRequest("runCommand", ActionKind.COMMAND, command,
                    DecisionCode.INLINE_CODE, w.asked.get(0).reason()), w.asked.get(0));
            assertEquals(Boolean.FALSE, w.audit.get(0).approved());

            String ran = tools(m, true).runCommand(command);
            assertEquals("exit 0\n", ran);
            assertTrue(Files.exists(w.ws.resolve("asked.txt")));
            assertEquals(Boolean.TRUE, w.audit.get(1).approved());
        }
    }

    @Test
    void aRefusedRequestMakesNoConnection() throws Exception {
        try (SandboxManager m = w.manager(); Workspace.Listener l = new Workspace.Listener()) {
            // The workspace preset refuses plain http.
            String text = tools(m, true).httpGet("http://127.0.0.1:" + l.port() + "/");
            assertTrue(text.startsWith("REFUSED [SCHEME_NOT_ALLOWED] "), text);
            Thread.sleep(200);
            assertEquals(0, l.connections());
        }
    }

    @Test
    void anAllowedRequestIsMade() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<String> received = new ArrayList<>();
        server.createContext("/", ex -> {
            received.add(ex.getRequestMethod() + " " + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = "pong".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try (SandboxManager m = w.manager(Workspace.localHttpPolicy())) {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/ping";
            AgentTools t = tools(m, false);
            assertEquals("HTTP 200 OK\n\npong", t.httpGet(url));
            assertEquals("HTTP 200 OK\n\npong", t.httpPost(url, "{\"a\":1}"));
            assertEquals(List.of("GET ", "POST {\"a\":1}"), received);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aFailingAuditListenerRefusesTheAction() throws Exception {
        try (SandboxManager m = w.manager()) {
            AgentTools t = AgentTools.builder(m).audit(e -> {
                throw new IllegalStateException("disk full");
            }).build();
            String text = t.writeFile("a.txt", "x");
            assertTrue(text.startsWith("REFUSED [INTERNAL_ERROR] the audit listener failed"), text);
            assertFalse(Files.exists(w.ws.resolve("a.txt")));
        }
    }
}

package dev.ku0.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ku0.sandbox.bindings.Bindings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SandboxManagerTest {
    /** An existing directory for managers whose checks name no file in their workspace. */
    private static final String ANY_DIR = System.getProperty("java.io.tmpdir");

    @Test
    void everyJavaDecisionCodeMirrorsTheNativeTable() {
        for (DecisionCode c : DecisionCode.values()) {
            assertEquals(c.name(), Bindings.get().decisionCodeName(c.number()), "native name of number " + c.number());
        }
        for (int n = 0; n < 1000; n++) {
            String name = Bindings.get().decisionCodeName(n);
            if (name != null) {
                assertEquals(n, DecisionCode.valueOf(name).number(), "Java number of " + name);
            }
        }
    }

    @Test
    void aClosedManagerThrowsInsteadOfCrashing() {
        SandboxManager m = new SandboxManager(Policies.WORKSPACE, ANY_DIR);
        m.close();
        m.close();
        assertTrue(m.isClosed());
        assertThrows(IllegalStateException.class, () -> m.checkFileAccess("/ws/a", "read"));
        assertThrows(IllegalStateException.class, () -> m.checkCommand("ls"));
        assertThrows(IllegalStateException.class, () -> m.evaluateCommand("ls"));
        assertThrows(IllegalStateException.class, () -> m.checkNetworkRequest("https://github.com", "GET"));
        assertThrows(IllegalStateException.class, m::getViolations);
    }

    @Test
    void closingWhileOtherThreadsCheckNeverCrashes() throws Exception {
        for (int round = 0; round < 20; round++) {
            SandboxManager m = new SandboxManager(Policies.WORKSPACE, ANY_DIR);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> unexpected = new AtomicReference<>();
            CountDownLatch started = new CountDownLatch(2);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Thread th = new Thread(() -> {
                    started.countDown();
                    while (!stop.get()) {
                        try {
                            m.checkCommand("git status");
                            m.checkFileAccess("/ws/src/a.rs", "read");
                        } catch (IllegalStateException closed) {
                            return;
                        } catch (Throwable e) {
                            unexpected.set(e);
                            return;
                        }
                    }
                });
                th.start();
                threads.add(th);
            }
            started.await();
            m.close();
            stop.set(true);
            for (Thread th : threads) th.join();
            if (unexpected.get() != null) throw new AssertionError(unexpected.get());
        }
    }

    @Test
    void aPolicyTheEngineRejectsRaisesTheNativeCodeAndMessage() {
        // Built in Java without Policy.fromJson, so only the native engine validates it.
        Policy bad = new Policy("9.9", "bad", Policies.STRICT.filesystem(), Policies.STRICT.network(),
                Policies.STRICT.commands(), Policies.STRICT.limits());
        SandboxException e = assertThrows(SandboxException.class, () -> new SandboxManager(bad, ANY_DIR));
        assertEquals(SandboxException.Code.INVALID_POLICY, e.code());
        assertTrue(e.getMessage().startsWith("version: unsupported policy version \"9.9\""), e.getMessage());
    }

    @Test
    void aRelativeHomeIsResolvedAndTheEngineAcceptsIt() {
        try (SandboxManager m = SandboxManager.builder(Policies.WORKSPACE).workspace(java.nio.file.Path.of(ANY_DIR))
                .home(java.nio.file.Path.of("/home/someone")).build()) {
            assertFalse(m.checkFileAccess("~/.ssh/id_rsa", FileOperation.READ));
            assertEquals(java.nio.file.Path.of("/home/someone"), m.home());
        }
    }

    @Test
    void theViolationLogIsBoundedAndCountsWhatItDrops() {
        // The faulty listener below is logged as a warning with its stack trace: expected here, so
        // kept out of the test output (the logger is held so that the level sticks).
        java.util.logging.Logger quiet = java.util.logging.Logger.getLogger(ViolationLog.class.getName());
        java.util.logging.Level before = quiet.getLevel();
        quiet.setLevel(java.util.logging.Level.OFF);
        try {
            violationLogIsBounded();
        } finally {
            quiet.setLevel(before);
        }
    }

    private void violationLogIsBounded() {
        List<Violation> heard = new ArrayList<>();
        try (SandboxManager m = SandboxManager.builder(Policies.STRICT).workspace(java.nio.file.Path.of(ANY_DIR))
                .violationCapacity(3).build()) {
            m.addViolationListener(heard::add);
            m.addViolationListener(v -> {
                throw new RuntimeException("a faulty listener is ignored");
            });
            for (int i = 0; i < 5; i++) assertFalse(m.checkFileAccess("/etc/passwd" + i, "read"));
            List<Violation> log = m.getViolations();
            assertEquals(3, log.size());
            assertEquals("read /etc/passwd2", log.get(0).action());
            assertEquals(2, m.droppedViolations());
            assertEquals(5, heard.size());
            assertThrows(UnsupportedOperationException.class, () -> log.add(log.get(0)));
        }
    }

    @Test
    void unpairedSurrogatesAreRefusedNotReplaced() {
        try (SandboxManager m = new SandboxManager(Policies.PERMISSIVE, ANY_DIR)) {
            Decision d = m.evaluateFileAccess("/ws/a\uD800b", FileOperation.READ);
            assertEquals(Verdict.DENY, d.verdict());
            assertEquals(DecisionCode.INVALID_PATH, d.code());
            assertFalse(m.checkCommand("echo \uDC00"));
        }
    }

    @Test
    void unknownOperationNamesTheAllowedOnes() {
        try (SandboxManager m = new SandboxManager(Policies.WORKSPACE, ANY_DIR)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.checkFileAccess("/ws/a", "chmod"));
            assertTrue(e.getMessage().contains("read, write, create, create_dir, delete, list, rename"), e.getMessage());
        }
    }

    @Test
    void aMissingWorkspaceFailsAtConstructionNamingIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path gone = tmp.resolve("no-such-workspace");
        SandboxException e = assertThrows(SandboxException.class, () -> new SandboxManager(Policies.WORKSPACE, gone));
        assertEquals(SandboxException.Code.WORKSPACE_NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains(gone.toString()) && e.getMessage().contains("create it first"), e.getMessage());
        java.nio.file.Path file = java.nio.file.Files.createFile(tmp.resolve("a-file"));
        e = assertThrows(SandboxException.class,
                () -> SandboxManager.builder(Policies.STRICT).workspace(file).build());
        assertEquals(SandboxException.Code.WORKSPACE_NOT_FOUND, e.code());
    }

    @Test
    void networkListsFollowTheDocumentedSemantics() {
        // The workspace preset lists remote hosts and sets allow_localhost: loopback is allowed
        // (over https: the preset has allow_http false).
        try (SandboxManager m = new SandboxManager(Policies.WORKSPACE, ANY_DIR)) {
            for (String url : List.of("https://127.0.0.1:8443/", "https://localhost:8443/", "https://[::1]/")) {
                Decision d = m.evaluateNetworkRequest(url, "GET");
                assertEquals(Verdict.ALLOW, d.verdict(), url + ": " + d);
            }
            assertEquals(DecisionCode.DOMAIN_NOT_ALLOWED, m.evaluateNetworkRequest("https://example.com/", "GET").code());
        }
        // An empty list restricts nothing, like an absent one.
        Policy base = Policies.WORKSPACE;
        Policy empty = new Policy(base.version(), "empty", base.filesystem(),
                new NetworkPolicy(true, List.of(), null, false, true, true), base.commands(), base.limits());
        try (SandboxManager m = new SandboxManager(empty, ANY_DIR)) {
            assertEquals(Verdict.ALLOW, m.evaluateNetworkRequest("https://github.com/", "GET").verdict());
        }
    }

    @Test
    void decisionsAreLoggedRefusalsAtInfoAllowsAtDebug() {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger(SandboxManager.DECISION_LOGGER);
        List<java.util.logging.LogRecord> records = new ArrayList<>();
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override public void publish(java.util.logging.LogRecord r) { records.add(r); }
            @Override public void flush() {}
            @Override public void close() {}
        };
        java.util.logging.Level before = jul.getLevel();
        jul.addHandler(h);
        try (SandboxManager m = new SandboxManager(Policies.WORKSPACE, ANY_DIR)) {
            jul.setLevel(java.util.logging.Level.INFO);
            m.checkCommand("sudo ls");
            m.checkCommand("ls");
            assertEquals(1, records.size(), "only the refusal at INFO");
            assertEquals(java.util.logging.Level.INFO, records.get(0).getLevel());
            assertTrue(records.get(0).getMessage().startsWith("command deny SUDO_NOT_ALLOWED: sudo ls ("),
                    records.get(0).getMessage());
            jul.setLevel(java.util.logging.Level.FINE);
            m.checkCommand("ls");
            assertEquals(2, records.size());
            assertEquals(java.util.logging.Level.FINE, records.get(1).getLevel());
            assertEquals("command allow ALLOWED: ls", records.get(1).getMessage());
        } finally {
            jul.removeHandler(h);
            jul.setLevel(before);
        }
    }
}

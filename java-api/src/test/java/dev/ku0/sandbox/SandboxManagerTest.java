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
        SandboxManager m = new SandboxManager(Policies.WORKSPACE, "/ws");
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
            SandboxManager m = new SandboxManager(Policies.WORKSPACE, "/ws");
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
        SandboxException e = assertThrows(SandboxException.class, () -> new SandboxManager(bad, "/ws"));
        assertEquals(SandboxException.Code.INVALID_POLICY, e.code());
        assertTrue(e.getMessage().startsWith("version: unsupported policy version \"9.9\""), e.getMessage());
    }

    @Test
    void aRelativeHomeIsResolvedAndTheEngineAcceptsIt() {
        try (SandboxManager m = SandboxManager.builder(Policies.WORKSPACE).workspace(java.nio.file.Path.of("/ws"))
                .home(java.nio.file.Path.of("/home/someone")).build()) {
            assertFalse(m.checkFileAccess("~/.ssh/id_rsa", FileOperation.READ));
            assertEquals(java.nio.file.Path.of("/home/someone"), m.home());
        }
    }

    @Test
    void theViolationLogIsBoundedAndCountsWhatItDrops() {
        List<Violation> heard = new ArrayList<>();
        try (SandboxManager m = SandboxManager.builder(Policies.STRICT).workspace(java.nio.file.Path.of("/ws"))
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
        try (SandboxManager m = new SandboxManager(Policies.PERMISSIVE, "/ws")) {
            Decision d = m.evaluateFileAccess("/ws/a\uD800b", FileOperation.READ);
            assertEquals(Verdict.DENY, d.verdict());
            assertEquals(DecisionCode.INVALID_PATH, d.code());
            assertFalse(m.checkCommand("echo \uDC00"));
        }
    }

    @Test
    void unknownOperationNamesTheAllowedOnes() {
        try (SandboxManager m = new SandboxManager(Policies.WORKSPACE, "/ws")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.checkFileAccess("/ws/a", "chmod"));
            assertTrue(e.getMessage().contains("read, write, create, create_dir, delete, list, rename"), e.getMessage());
        }
    }
}

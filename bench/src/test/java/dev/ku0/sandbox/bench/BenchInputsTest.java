package dev.ku0.sandbox.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ku0.sandbox.Policy;
import dev.ku0.sandbox.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark inputs build, scale and decide as the benchmarks assume. */
class BenchInputsTest {
    @Test
    void policiesScaleWithTheRealEntriesLast() {
        try (VirtualRoot root = VirtualRoot.create()) {
            for (int n : new int[] {10, 1000}) {
                Policy p = Policy.fromJson(BenchInputs.policyJson(n, root));
                List<String> blocked = p.filesystem().blockedPaths();
                assertEquals(n, blocked.size());
                assertEquals(root.map("/etc"), blocked.get(n - 1));
                assertTrue(blocked.get(0).startsWith(root.root().toString()), blocked.get(0));
                assertEquals(n, p.network().allowedDomains().size());
                assertEquals("maven.org", p.network().allowedDomains().get(n - 1));
                assertEquals(n, p.network().blockedDomains().size());
                assertEquals(n, p.commands().allowedCommands().size());
                assertEquals("wc", p.commands().allowedCommands().get(n - 1));
            }
        }
    }

    @Test
    void commandsHaveTheAdvertisedLengths() {
        assertEquals(20, BenchInputs.command("chars20").length());
        assertEquals(80, BenchInputs.command("chars80").length(), 5);
        assertEquals(200, BenchInputs.command("chars200").length(), 10);
        for (String c : BenchInputs.caseNames("commands")) {
            String cmd = BenchInputs.command(c);
            assertTrue(cmd.contains("\"") || cmd.contains("'"), c + " has quotes");
        }
        assertTrue(BenchInputs.command("chars80").contains("|") && BenchInputs.command("chars80").contains("$("));
        assertTrue(BenchInputs.command("chars200").contains("|") && BenchInputs.command("chars200").contains("$("));
    }

    @Test
    void theWorldHasItsFixtureAndDecidesTheCasesAsNamed() {
        try (BenchInputs.World w = BenchInputs.world(10)) {
            assertTrue(Files.isRegularFile(Path.of(w.path("insideExisting"))));
            assertTrue(Files.isRegularFile(Path.of(w.path("outsideExisting"))));
            assertFalse(Files.exists(Path.of(w.path("insideMissing"))));
            assertFalse(Files.exists(Path.of(w.path("outsideMissing"))));
            for (String c : List.of("insideExisting", "insideMissing")) {
                assertEquals(Verdict.ALLOW, w.manager.evaluateFileAccess(w.path(c), BenchInputs.fileOperation(c)).verdict(), c);
                assertTrue(w.seed.files().checkAccess(w.path(c), BenchInputs.fileOperation(c).jsonName()).allowed(), c);
            }
            for (String c : List.of("outsideExisting", "outsideMissing")) {
                assertEquals(Verdict.DENY, w.manager.evaluateFileAccess(w.path(c), BenchInputs.fileOperation(c)).verdict(), c);
                assertFalse(w.seed.files().checkAccess(w.path(c), BenchInputs.fileOperation(c).jsonName()).allowed(), c);
            }
            assertNotNull(BenchInputs.addresses("nameAllowed"));
            assertEquals(Verdict.ALLOW, w.manager.evaluateNetworkRequest(BenchInputs.url("nameAllowed"),
                    BenchInputs.method("nameAllowed"), BenchInputs.addresses("nameAllowed")).verdict());
            assertTrue(w.seed.network().checkRequest(BenchInputs.url("nameAllowed"), "GET").allowed());
            assertTrue(w.seed.commands().validateCommand(BenchInputs.command("chars20")).allowed());
            assertTrue(w.manager.checkCommand(BenchInputs.command("chars20")));
        }
    }
}

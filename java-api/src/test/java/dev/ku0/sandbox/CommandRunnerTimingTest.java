package dev.ku0.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long the runner waits for the helper: past the time limit and its grace the helper is asked to stop with
 * SIGTERM and given time to clean up (sweep, report) before it is killed. Stand-ins for the helper are small shell
 * scripts.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class CommandRunnerTimingTest {
    private static Process sh(String script) throws Exception {
        return new ProcessBuilder(List.of("/bin/sh", "-c", script)).start();
    }

    @Test
    void aHelperThatEndsInTimeIsNotSignalled() throws Exception {
        Process p = sh("exit 3");
        assertTrue(CommandRunner.awaitHelper(p, 1_000L, 1_000, 1_000));
        assertEquals(3, p.exitValue());
    }

    @Test
    void anOverdueHelperGetsSigtermAndTimeToCleanUpBeforeAnyKill(@TempDir Path dir) throws Exception {
        // Cleans up for a second after SIGTERM, then writes its "report": a runner that killed it at once
        // (as before) would leave no report and an exit status of 137.
        Path report = dir.resolve("report");
        Process p = sh("trap 'sleep 1; echo done > " + report + "; exit 7' TERM; while :; do sleep 0.05; done");
        long t0 = System.nanoTime();
        assertFalse(CommandRunner.awaitHelper(p, 200L, 100, 10_000));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(7, p.exitValue());
        assertEquals("done\n", Files.readString(report));
        assertTrue(ms >= 1_000 && ms < 9_000, "waited " + ms + " ms");
    }

    @Test
    void aHelperStillRunningAfterTheCleanupGraceIsKilled() throws Exception {
        Process p = sh("trap '' TERM; while :; do sleep 0.05; done");
        long t0 = System.nanoTime();
        assertFalse(CommandRunner.awaitHelper(p, 100L, 100, 500));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // Killed with its children: the shell ends by SIGKILL (137), or by the signal that the
        // loss of its killed child brings it first (141 has been seen); never by itself.
        assertFalse(p.isAlive());
        assertTrue(p.exitValue() > 128, "exit " + p.exitValue());
        assertTrue(ms >= 700 && ms < 5_000, "waited " + ms + " ms");
    }
}

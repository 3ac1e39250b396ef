package dev.ku0.sandbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's staleness check (scripts/lib/stale.sh) on a copy of the source layout: after a
 * build it walks no tree, yet an edited, added, removed or renamed source still means "rebuild".
 */
class LauncherStalenessTest {
    @TempDir
    Path root;

    private static final Instant BUILT = Instant.parse("2026-01-01T00:00:00Z");

    private Path jar() {
        return root.resolve("cli/target/sandbox-cli.jar");
    }

    private Path stamp() {
        return root.resolve("cli/target/sandbox-cli.sources");
    }

    /** A checkout with a few sources, all older than the JAR. */
    private void checkout() throws IOException {
        for (String f : List.of("pom.xml", "cli/pom.xml", "policies/workspace.json", "native/Cargo.toml",
                "cli/src/main/java/dev/ku0/sandbox/cli/Main.java", "native/sandbox-core/src/lib.rs",
                "java-api/src/main/java/dev/ku0/sandbox/Policy.java")) {
            Path p = root.resolve(f);
            Files.createDirectories(p.getParent());
            Files.writeString(p, f);
        }
        Files.createDirectories(jar().getParent());
        Files.writeString(jar(), "jar");
        try (var s = Files.walk(root)) {
            for (Path p : s.toList()) {
                Files.setLastModifiedTime(p, FileTime.from(BUILT.minusSeconds(60)));
            }
        }
        Files.setLastModifiedTime(jar(), FileTime.from(BUILT));
    }

    /** Runs {@code sources_stale} (or another function of stale.sh) and returns its exit status. */
    private int run(String function) throws IOException, InterruptedException {
        Path lib = Launcher.repoRoot().resolve("scripts/lib/stale.sh");
        Process p = new ProcessBuilder("bash", "-c", ". \"$1\"; " + function + " \"$2\" \"$3\" \"$4\"", "bash",
                lib.toString(), root.toString(), jar().toString(), stamp().toString())
                .redirectErrorStream(true).start();
        p.getInputStream().transferTo(System.out);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p.exitValue();
    }

    private boolean stale() throws IOException, InterruptedException {
        return run("sources_stale") == 0;
    }

    @Test
    void aFreshBuildIsNotStaleAndRecordsItsSources() throws Exception {
        checkout();
        assertFalse(stale(), "nothing changed since the build");
        assertTrue(Files.readString(stamp()).contains("Main.java"), "the first check lists the sources");
        Files.delete(root.resolve("cli/pom.xml"));
        Files.writeString(root.resolve("cli/pom.xml"), "recreated");
        Files.setLastModifiedTime(root.resolve("cli/pom.xml"), FileTime.from(BUILT.minusSeconds(5)));
        Files.setLastModifiedTime(root.resolve("cli"), FileTime.from(BUILT.minusSeconds(5)));
        assertFalse(stale(), "older sources do not count");
    }

    @Test
    void anEditAfterTheBuildIsStale() throws Exception {
        checkout();
        assertFalse(stale());
        Path main = root.resolve("cli/src/main/java/dev/ku0/sandbox/cli/Main.java");
        Files.writeString(main, "edited");
        // Keep the directory's time: an edit in place does not change it.
        Files.setLastModifiedTime(main.getParent(), FileTime.from(BUILT.minusSeconds(60)));
        assertTrue(stale(), "an edited file is newer than the JAR");
    }

    @Test
    void anAddedRemovedOrRenamedSourceIsStale() throws Exception {
        checkout();
        assertFalse(stale());
        Files.writeString(root.resolve("native/sandbox-core/src/new.rs"), "new");
        Files.setLastModifiedTime(root.resolve("native/sandbox-core/src/new.rs"), FileTime.from(BUILT.minusSeconds(60)));
        assertTrue(stale(), "a file added (with an old time, as an archive extracts it) changes its directory");

        checkout();
        run("stamp_sources");
        assertFalse(stale());
        Files.delete(root.resolve("java-api/src/main/java/dev/ku0/sandbox/Policy.java"));
        assertTrue(stale(), "a removed file changes its directory");

        checkout();
        run("stamp_sources");
        assertFalse(stale());
        Files.writeString(root.resolve("policies/strict.json"), "{}");
        Files.setLastModifiedTime(root.resolve("policies/strict.json"), FileTime.from(BUILT.minusSeconds(60)));
        assertTrue(stale(), "a new preset file");
    }

    @Test
    void aMissingListFallsBackToWalkingTheTree() throws Exception {
        checkout();
        Files.writeString(root.resolve("native/Cargo.toml"), "edited");
        assertEquals(0, run("sources_stale"));
        assertFalse(Files.exists(stamp()), "no list is written for a stale JAR");
    }
}

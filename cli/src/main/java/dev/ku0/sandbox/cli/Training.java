package dev.ku0.sandbox.cli;

import dev.ku0.sandbox.bindings.Bindings;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The work {@code scripts/sandbox} has the JVM record into its class archives (a JDK AOT cache,
 * or a CDS archive before JDK 25): what a command loads and links when it starts. Three
 * archives: {@code exec} (the quick path of exec), {@code check} (the quick path of check), each
 * with a preset and with a policy file, and {@code full} (the full paths of exec and check,
 * through the Java policy model and Jackson, which the other commands also use). The JVM maps every class of an archive at start-up, so
 * the quick paths' archives stay small. Run once per build and JDK, in a throw-away workspace,
 * with its output discarded; not a command of its own.
 */
final class Training {
    private Training() {}

    public static void main(String[] args) throws Exception {
        // Every class the training loads goes into the archive and is loaded by every start that
        // maps it: the quick paths run here as the command runs them (Main.run), and the
        // workspace is made without Files.createTempDirectory, which seeds a SecureRandom.
        Path workspace = QuickExec.privateDirectory();
        Path policy = workspace.resolve("policy.json");
        InputStream stdin = System.in;
        PrintStream stdout = System.out;
        try {
            String ws = "--workspace=" + workspace;
            String home = "--home=" + workspace;
            System.setProperty(Bindings.PROPERTY, "jni");
            String kind = args.length > 0 ? args[0] : "check";
            Files.write(policy, QuickExec.preset("workspace"));
            if (kind.equals("exec")) {
                Main.run(new String[] {"exec", ws, home, "--", "/bin/true"});
                Main.run(new String[] {"exec", "--policy=" + policy, ws, home, "--", "/bin/true"});
                return;
            }
            byte[] requests = ("{\"type\":\"file\",\"path\":\"a.txt\",\"operation\":\"read\",\"id\":1}\n"
                    + "{\"type\":\"network\",\"url\":\"https://example.com/\",\"method\":\"GET\"}\n"
                    + "{\"type\":\"command\",\"command\":\"git status --short\"}\n"
                    + "not json\n").getBytes(StandardCharsets.UTF_8);
            System.setIn(new ByteArrayInputStream(requests));
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            if (kind.equals("check")) {
                // Only the quick path's lines: "not json" would build the full path's manager.
                int end = new String(requests, StandardCharsets.UTF_8).indexOf("not json");
                System.setIn(new ByteArrayInputStream(requests, 0, end));
                Main.run(new String[] {"check", ws, home});
                System.setIn(new ByteArrayInputStream(requests, 0, end));
                Main.run(new String[] {"check", "--policy=" + policy, ws, home});
                return;
            }
            Main.quietDecisionLog();
            ((CheckCommand) Main.plain(new String[] {"check", "--policy=" + policy, ws, home})).call();
            try {
                ((ExecCommand) Main.plain(new String[] {"exec", "--policy=" + policy, ws, home, "--", "/bin/true"})).call();
            } catch (RuntimeException noHelper) {
                // Where the helper cannot run (no helper for this platform), the archive still holds check's classes.
            }
        } finally {
            System.setIn(stdin);
            System.setOut(stdout);
            Files.deleteIfExists(policy);
            Files.deleteIfExists(workspace);
        }
    }
}

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
 * or a CDS archive before JDK 25): what {@code exec} (argument {@code exec}) or {@code check}
 * (any other) loads and links when it starts. One archive for each: the JVM maps every class of
 * an archive at start-up, so exec's stays small. Run once per build and JDK, in a throw-away
 * workspace, with its output discarded; not a command of its own.
 */
final class Training {
    private Training() {}

    public static void main(String[] args) throws Exception {
        Path workspace = Files.createTempDirectory("ku0-training-");
        InputStream stdin = System.in;
        PrintStream stdout = System.out;
        try {
            String ws = "--workspace=" + workspace;
            String home = "--home=" + workspace;
            System.setProperty(Bindings.PROPERTY, "jni");
            if (args.length > 0 && args[0].equals("exec")) {
                ExecCommand exec = (ExecCommand) Main.plain(new String[] {"exec", ws, home, "--", "/bin/true"});
                if (QuickExec.run(exec).isEmpty()) exec.call();
                return;
            }
            byte[] requests = ("{\"type\":\"file\",\"path\":\"a.txt\",\"operation\":\"read\",\"id\":1}\n"
                    + "{\"type\":\"network\",\"url\":\"https://example.com/\",\"method\":\"GET\"}\n"
                    + "{\"type\":\"command\",\"command\":\"git status --short\"}\n"
                    + "not json\n").getBytes(StandardCharsets.UTF_8);
            System.setIn(new ByteArrayInputStream(requests));
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            ((CheckCommand) Main.plain(new String[] {"check", ws, home})).call();
        } finally {
            System.setIn(stdin);
            System.setOut(stdout);
            Files.deleteIfExists(workspace);
        }
    }
}

package dev.ku0.sandbox.cli;

import dev.ku0.sandbox.TerminalText;
import dev.ku0.sandbox.bindings.Bindings;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The entry point of the {@code sandbox} command. The two commands an agent harness runs for
 * every tool call, {@code exec} and {@code check}, are read here when their arguments take the
 * plain documented forms; everything else (help, version, the other commands, any mistake)
 * goes to the full parser in {@link SandboxCli}, which answers it exactly as before. This keeps
 * the argument parser (thousands of classes loaded reflectively, and class files too old for the
 * JVM's class archive) off the path that runs once per agent command.
 */
public final class Main {
    private Main() {}

    /**
     * Runs a command line and exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        int code = run(args);
        // System.exit asks the system logger whether to log the exit (JDK 21+), which looks for
        // logger services on the class path (opening the full JAR behind the quick one) and
        // starts java.util.logging. The quick path of check starts no thread that would keep
        // the JVM alive, so returning ends it as well, with the same status 0.
        if (code == 0 && quickCheckAnswered) return;
        System.exit(code);
    }

    /** Set when the quick path of check answered the whole input (see {@link #main}). */
    private static boolean quickCheckAnswered;

    /** Runs a command line and returns its exit status (the class-archive training runs it too). */
    static int run(String[] args) {
        Callable<Integer> fast;
        try {
            fast = plain(args);
        } catch (java.nio.file.InvalidPathException notAPath) {
            // A path this platform cannot name (a character its encoding lacks): the full parser says so.
            fast = null;
        }
        int code;
        if (fast == null) {
            quietDecisionLog();
            code = SandboxCli.run(args);
        } else {
            try {
                // JNI loads the library without the per-function linking FFM does when it starts
                // (tens of milliseconds); per call the two differ by a fraction of a microsecond,
                // little beside the JSON of a check request. -Dku0.sandbox.binding still chooses.
                if (System.getProperty(Bindings.PROPERTY) == null) System.setProperty(Bindings.PROPERTY, "jni");
                if (fast instanceof ExecCommand e) {
                    // QuickExec makes no decision through the library's API, so nothing is logged.
                    Optional<Integer> quick = QuickExec.run(e);
                    if (quick.isPresent()) {
                        code = quick.get();
                    } else {
                        quietDecisionLog();
                        code = e.call();
                    }
                } else {
                    CheckCommand c = (CheckCommand) fast;
                    // QuickCheck logs nothing either; it builds the full path's manager, quietly, when a line needs it.
                    Optional<Integer> quick = QuickCheck.run(c.options, System.in, System.out);
                    if (quick.isPresent()) {
                        code = quick.get();
                        quickCheckAnswered = true;
                    } else {
                        quietDecisionLog();
                        code = c.call();
                    }
                }
            } catch (Exception e) {
                // The same words and status as the full parser's handler gives.
                System.err.println("sandbox " + TerminalText.visible(args[0]) + ": " + TerminalText.visible(describe(e)));
                code = SandboxCli.EXIT_USAGE;
            }
        }
        return code;
    }

    /** Keeps the library's decision log off stderr unless a logging configuration is given. */
    static void quietDecisionLog() {
        if (System.getProperty("java.util.logging.config.file") == null) {
            DecisionLog.LOG.setLevel(java.util.logging.Level.WARNING);
        }
    }

    /**
     * The decision log of the library: the commands print their decisions themselves, so its
     * lines (refusals at INFO) would repeat them on stderr. Held here because the logging
     * framework keeps loggers only weakly; in a class of its own so that a command that logs
     * nothing does not start the logging framework.
     */
    private static final class DecisionLog {
        static final java.util.logging.Logger LOG =
                java.util.logging.Logger.getLogger(dev.ku0.sandbox.SandboxManager.DECISION_LOGGER);
    }

    /** What went wrong, in words: an I/O exception's message alone is often only a path. */
    static String describe(Exception e) {
        if (e instanceof NoSuchFileException f) return f.getFile() + ": no such file";
        if (e instanceof AccessDeniedException f) return f.getFile() + ": permission denied";
        if (e instanceof IOException && e.getMessage() != null) return "cannot read " + e.getMessage();
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /**
     * The command for {@code exec} or {@code check} with only their documented options, each at
     * most once, values in separate words or after {@code =}; {@code null} for anything else.
     */
    static Callable<Integer> plain(String[] args) {
        if (args.length == 0) return null;
        boolean exec = args[0].equals("exec");
        if (!exec && !args[0].equals("check")) return null;
        PolicyOptions policy = new PolicyOptions();
        ExecCommand e = new ExecCommand();
        Set<String> seen = new HashSet<>();
        int i = 1;
        for (; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                if (!exec) return null;
                i++;
                break;
            }
            if (!a.startsWith("-")) return null;
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (!seen.add(name)) return null;
            switch (name) {
                case "--allow-degraded", "--approve-ask", "--show-report" -> {
                    if (!exec || value != null) return null;
                    if (name.equals("--allow-degraded")) e.allowDegraded = true;
                    else if (name.equals("--approve-ask")) e.approveAsk = true;
                    else e.showReport = true;
                    continue;
                }
                case "--policy", "--preset", "--workspace", "--home" -> {
                    // Options of both commands; each takes a value.
                }
                case "-c", "--report" -> {
                    if (!exec) return null;
                }
                default -> {
                    return null;
                }
            }
            if (value == null) {
                if (i + 1 >= args.length) return null;
                value = args[++i];
                // A value that looks like an option is ambiguous; the full parser says what it means.
                if (value.startsWith("-")) return null;
            }
            switch (name) {
                case "--policy" -> {
                    if (policy.source == null) policy.source = new PolicyOptions.Source();
                    policy.source.policy = Path.of(value);
                }
                case "--preset" -> {
                    if (policy.source == null) policy.source = new PolicyOptions.Source();
                    policy.source.preset = value;
                }
                case "--workspace" -> policy.workspace = Path.of(value);
                case "--home" -> policy.home = Path.of(value);
                case "-c" -> e.shellCommand = value;
                case "--report" -> e.reportFile = value;
                default -> {
                    return null;
                }
            }
        }
        // --policy and --preset exclude each other: the full parser says so.
        if (policy.source != null && policy.source.policy != null && policy.source.preset != null) return null;
        if (!exec) {
            if (i < args.length) return null;
            CheckCommand c = new CheckCommand();
            c.options = policy;
            return c;
        }
        List<String> argv = new ArrayList<>();
        for (; i < args.length; i++) argv.add(args[i]);
        if (!argv.isEmpty()) e.argv = argv;
        e.options = policy;
        return e;
    }
}

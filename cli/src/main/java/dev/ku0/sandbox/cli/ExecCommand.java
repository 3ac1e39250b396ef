package dev.ku0.sandbox.cli;

import dev.ku0.sandbox.ExecOptions;
import dev.ku0.sandbox.ExecResult;
import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.SandboxViolationException;
import dev.ku0.sandbox.TerminalText;
import dev.ku0.sandbox.Verdict;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sandbox exec}: validate a command, then run it under OS enforcement. */
@Command(name = "exec", mixinStandardHelpOptions = true,
        description = {
            "Validates a command with the policy, then runs it in the workspace under OS enforcement "
                + "(Landlock, seccomp, namespaces, rlimits, network proxy, time limit).",
            "",
            "  sandbox exec [options] -- CMD [ARG...]      run CMD directly",
            "  sandbox exec [options] -c 'SHELL COMMAND'   run with bash -c",
            "",
            "The -- keeps CMD's own options (ls -la) from being read as options of exec.",
            "",
            "Exit status: the command's own; 128+N when killed by signal N; 124 when the time limit ran out; "
                + "125 for a helper error; 126 when refused (by the policy, or because enforcement is incomplete "
                + "and --allow-degraded was not given); 127 when the command could not be executed.",
            "",
            "The report's status (--show-report) is about the sandbox: 'ok' means it was set up and the command "
                + "ended. A command that fails because the sandbox denied it something exits non-zero with the "
                + "error (e.g. 'Permission denied') on its stderr. The summary lists mechanisms that were not fully "
                + "enforced, network requests the proxy refused, and git entries moved aside after the run; "
                + "--report FILE writes the whole report as JSON (docs/exec.md describes its fields and codes)."
        })
final class ExecCommand implements Callable<Integer> {
    /** Exit status when the policy refuses the command. */
    static final int EXIT_REFUSED = 126;

    @Mixin
    PolicyOptions options;

    @Option(names = "-c", paramLabel = "COMMAND", description = "A shell command, run with bash -c.")
    String shellCommand;

    @Option(names = "--allow-degraded", description = "Run even when this kernel cannot enforce everything.")
    boolean allowDegraded;

    @Option(names = "--approve-ask", description = "Run a command the validator answers with 'ask': a person has approved it.")
    boolean approveAsk;

    @Option(names = "--show-report", description = "Print a short summary of the enforcement report to stderr when done.")
    boolean showReport;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Write the enforcement report as JSON to FILE when done ('-' for stderr).")
    String reportFile;

    @Parameters(paramLabel = "CMD", arity = "0..*", description = "The command and its arguments (after --).")
    List<String> argv;

    @Override
    public Integer call() throws Exception {
        boolean hasArgv = argv != null && !argv.isEmpty();
        if ((shellCommand == null) == !hasArgv) {
            System.err.println("sandbox exec: give either -c 'COMMAND' or -- CMD [ARG...]");
            return SandboxCli.EXIT_USAGE;
        }
        String undecodable = undecodable(this);
        if (undecodable != null) {
            System.err.println("sandbox exec: " + undecodable + " holds U+FFFD, the mark of bytes this locale's encoding ("
                    + System.getProperty("sun.jnu.encoding") + ") could not read: the command would not be the one"
                    + " judged; run with a UTF-8 locale (for example LANG=C.UTF-8)");
            return SandboxCli.EXIT_USAGE;
        }
        ExecOptions o = ExecOptions.builder().allowDegraded(allowDegraded).approveAsk(approveAsk).build();
        try (SandboxManager m = options.manager()) {
            List<String> run = hasArgv ? argv : List.of(bash(), "-c", shellCommand);
            String checkedAs = hasArgv ? quote(argv) : shellCommand;
            ExecResult r = m.execInheritingIo(run, checkedAs, o);
            if (showReport) System.err.print(r.enforcement().summary());
            if (reportFile != null) writeReport(r.enforcement().json());
            // Only when the helper itself refused (its report says so): a command that ran under
            // --allow-degraded may exit 126 on its own.
            if (r.exitCode() == EXIT_REFUSED && "refused".equals(r.enforcement().status())
                    && !r.enforcement().fullyEnforced()) {
                System.err.println("sandbox exec: refused: enforcement is incomplete on this kernel ("
                        + TerminalText.visible(r.enforcement().enforcement())
                        + "); see --show-report, or pass --allow-degraded");
            }
            return r.exitCode();
        } catch (SandboxViolationException e) {
            System.err.println("sandbox exec: " + TerminalText.visible(e.getMessage()));
            if (e.decision().verdict() == Verdict.ASK) {
                System.err.println("sandbox exec: the policy asks a person to approve this command;"
                        + " if you approve it, run again with --approve-ask");
            }
            return EXIT_REFUSED;
        }
    }

    private void writeReport(String json) throws java.io.IOException {
        if ("-".equals(reportFile)) {
            System.err.println(TerminalText.jsonVisible(json));
        } else {
            java.nio.file.Files.writeString(java.nio.file.Path.of(reportFile), json + "\n");
        }
    }

    /**
     * What of the command line holds U+FFFD ({@code "the command"}, {@code "the workspace"} or
     * {@code "the home"}), or null: the JVM decodes arguments in the platform's encoding and puts
     * U+FFFD where bytes do not decode, so what the validator would judge, and what would run, is
     * not what was typed.
     */
    static String undecodable(ExecCommand e) {
        if (e.shellCommand != null && e.shellCommand.indexOf('\uFFFD') >= 0) return "the command";
        if (e.argv != null && e.argv.stream().anyMatch(a -> a.indexOf('\uFFFD') >= 0)) return "the command";
        PolicyOptions p = e.options;
        if (p != null && p.workspace != null && p.workspace.toString().indexOf('\uFFFD') >= 0) return "the workspace";
        if (p != null && p.home != null && p.home.toString().indexOf('\uFFFD') >= 0) return "the home";
        return null;
    }

    static String bash() {
        return java.nio.file.Files.isExecutable(java.nio.file.Path.of("/bin/bash")) ? "/bin/bash" : "/bin/sh";
    }

    static String quote(List<String> words) {
        StringBuilder sb = new StringBuilder();
        for (String a : words) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append('\'').append(a.replace("'", "'\\''")).append('\'');
        }
        return sb.toString();
    }
}

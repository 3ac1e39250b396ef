package dev.ku0.sandbox.bench.baseline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ku0.sandbox.Decision;
import dev.ku0.sandbox.FileAccess;
import dev.ku0.sandbox.FileOperation;
import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.Verdict;
import dev.ku0.sandbox.bench.CorpusCases;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the pure-Java baseline and the native guards (through the Java API) on the golden corpus,
 * each case set up by {@link CorpusCases} as for {@code CorpusScore}, and lists where the baseline
 * answers and whether it agrees.
 * Usage: {@code BaselineAgreement CORPUS_DIR [--json OUT]}.
 */
public final class BaselineAgreement {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BaselineAgreement() {}

    /** One corpus file: how many cases, how many the baseline answered, and where it disagreed. */
    public static final class Tally {
        public final String guard;
        public int cases;
        public int answered;
        /** Cases where the baseline's answer differs from the native guard's verdict. */
        public final List<String> disagreements = new ArrayList<>();
        /** Cases where the baseline's answer differs from the expected one. */
        public final List<String> wrong = new ArrayList<>();

        Tally(String guard) {
            this.guard = guard;
        }

        void add(String id, String expected, Verdict nativeVerdict, Answer baseline) {
            cases++;
            if (baseline == Answer.UNSUPPORTED) return;
            answered++;
            boolean nativeAllows = nativeVerdict == Verdict.ALLOW;
            if (nativeAllows != (baseline == Answer.ALLOW)) disagreements.add(id + " (baseline " + baseline + ")");
            if (expected.equals("allow") != (baseline == Answer.ALLOW)) wrong.add(id + " (baseline " + baseline + ")");
        }
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Path jsonOut = args.length > 2 && args[1].equals("--json") ? Path.of(args[2]) : null;
        ObjectNode out = JSON.createObjectNode();
        for (Tally t : List.of(paths(dir), urls(dir), commands(dir))) {
            System.out.printf(Locale.ROOT, "%-8s %3d cases, baseline answers %3d, disagrees with the native guard on %d%n",
                    t.guard, t.cases, t.answered, t.disagreements.size());
            if (!t.disagreements.isEmpty()) System.out.println("  " + t.disagreements);
            ObjectNode g = out.putObject(t.guard);
            g.put("cases", t.cases);
            g.put("answered", t.answered);
            g.set("disagreements", JSON.valueToTree(t.disagreements));
            g.set("wrong", JSON.valueToTree(t.wrong));
        }
        if (jsonOut != null) JSON.writeValue(jsonOut.toFile(), out);
    }

    public static Tally paths(Path dir) throws IOException {
        Tally t = new Tally("paths");
        CorpusCases.paths(dir, new CorpusCases.PathVisitor() {
            @Override
            public void skipped(String reason) {}

            @Override
            public void visit(CorpusCases.PathCase c) {
                if (c.policy() == null) return;
                Verdict nativeVerdict;
                try (SandboxManager m = SandboxManager.builder(c.policy()).workspace(c.workspace()).home(c.home()).build()) {
                    Decision d = m.evaluateFileAccess(
                            new FileAccess(c.input(), FileOperation.fromName(c.operation()), c.other(), -1));
                    nativeVerdict = d.verdict();
                } catch (RuntimeException e) {
                    nativeVerdict = Verdict.DENY;
                }
                Answer a = c.cwd().equals(c.workspace().toString())
                        ? new JavaPathGuard(c.policy().filesystem(), c.workspace(), c.home()).check(c.input(), c.operation())
                        : Answer.UNSUPPORTED;
                t.add(c.id(), c.expected(), nativeVerdict, a);
            }
        });
        return t;
    }

    public static Tally urls(Path dir) throws IOException {
        Tally t = new Tally("urls");
        for (CorpusCases.UrlCase c : CorpusCases.urls(dir)) {
            Verdict nativeVerdict = Verdict.ALLOW;
            Answer baseline = Answer.ALLOW;
            JavaUrlGuard g = new JavaUrlGuard(c.policy().network());
            try (SandboxManager m = SandboxManager.builder(c.policy()).build()) {
                for (CorpusCases.UrlCheck u : c.checks()) {
                    Verdict v = m.evaluateNetworkRequest(u.url(), c.method(), u.addresses()).verdict();
                    if (v.ordinal() > nativeVerdict.ordinal()) nativeVerdict = v;
                    Answer a = g.check(u.url(), c.method(), u.addresses());
                    if (a == Answer.DENY) baseline = Answer.DENY;
                    else if (a == Answer.UNSUPPORTED && baseline == Answer.ALLOW) baseline = Answer.UNSUPPORTED;
                }
            }
            t.add(c.id(), c.expected(), nativeVerdict, baseline);
        }
        return t;
    }

    public static Tally commands(Path dir) throws IOException {
        Tally t = new Tally("commands");
        CorpusCases.commands(dir, c -> {
            Verdict nativeVerdict;
            try {
                nativeVerdict = c.manager().get().checkCommand(c.command()) ? Verdict.ALLOW : Verdict.DENY;
            } catch (RuntimeException e) {
                nativeVerdict = Verdict.DENY;
            }
            JavaCommandGuard g = new JavaCommandGuard(c.policy().commands(),
                    new JavaPathGuard(c.policy().filesystem(), c.workspace(), c.home()));
            t.add(c.id(), c.expected(), nativeVerdict, g.check(c.command()));
        });
        return t;
    }
}

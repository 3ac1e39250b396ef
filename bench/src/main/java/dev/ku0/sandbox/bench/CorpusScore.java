package dev.ku0.sandbox.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ku0.sandbox.Decision;
import dev.ku0.sandbox.FileAccess;
import dev.ku0.sandbox.FileOperation;
import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.Verdict;
import dev.ku0.sandbox.bench.seed.SeedCommandValidator;
import dev.ku0.sandbox.bench.seed.SeedFilesystemGuard;
import dev.ku0.sandbox.bench.seed.SeedNetworkGuard;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts how many golden cases the native guards (through the Java API) and the seed's port
 * decide wrongly. Usage: {@code CorpusScore [CORPUS_DIR] [--json OUT]}; the directory defaults to
 * {@code $SANDBOX_CORPUS_DIR}, then the repository's {@code testdata/corpus}.
 *
 * <p>The cases are read as the corpus README says. Paths: each case gets a fresh virtual root with
 * the baseline fixture and its own setup lines; {@code windows} and {@code macos} cases (pure
 * platform rules, not reachable through the Java API on Linux) and {@code requires: enforce} cases
 * (a swap between check and use, which no check alone can pass) are skipped and counted as such.
 * URLs: the addresses of {@code setup.dns} are passed with the check (a {@code sequence} is checked
 * once per answer) and every redirect hop is checked again; the request is allowed only if every
 * check allows. Both guards get the same driver. Commands: the case's command policy, with the
 * filesystem part the project's corpus tests use (workspace mode, {@code ~/.ssh}, {@code ~/.aws},
 * {@code ~/.gnupg} blocked) on the baseline fixture: redirect targets are file accesses.
 *
 * <p>Wrong means: {@code allow} expected and not allowed, or {@code deny} expected and allowed;
 * for files and URLs also {@code ask} where {@code deny} was expected. A seed check that throws
 * (Java paths reject NUL) stops the tool call and counts as a refusal.
 */
public final class CorpusScore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CorpusScore() {}

    /** The outcome of one guard on one corpus file. */
    public static final class Tally {
        final String guard;
        int cases;
        final Map<String, Integer> skipped = new TreeMap<>();
        final Side nativeApi = new Side();
        final Side seed = new Side();

        Tally(String guard) {
            this.guard = guard;
        }

        int applicable() {
            return cases - skipped.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** Wrong decisions of one implementation. */
    public static final class Side {
        final List<String> wronglyAllowed = new ArrayList<>();
        final List<String> wronglyRefused = new ArrayList<>();
        final List<String> errors = new ArrayList<>();

        int wrong() {
            return wronglyAllowed.size() + wronglyRefused.size();
        }

        void judge(String id, String expected, Verdict got, boolean askIsDeny) {
            boolean ok = switch (expected) {
                case "allow" -> got == Verdict.ALLOW;
                case "deny" -> got == Verdict.DENY || (askIsDeny && got == Verdict.ASK);
                default -> throw new IllegalArgumentException(id + ": unknown expectation " + expected);
            };
            if (!ok) (expected.equals("allow") ? wronglyRefused : wronglyAllowed).add(id);
        }
    }

    public static void main(String[] args) throws IOException {
        Path dir = null;
        Path jsonOut = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--json")) jsonOut = Path.of(args[++i]);
            else dir = Path.of(args[i]);
        }
        if (dir == null) dir = defaultCorpusDir();
        List<Tally> tallies = List.of(paths(dir), urls(dir), commands(dir));
        ObjectNode out = JSON.createObjectNode();
        out.put("corpus", dir.normalize().toString());
        for (Tally t : tallies) {
            ObjectNode g = out.putObject(t.guard);
            g.put("cases", t.cases);
            g.put("applicable", t.applicable());
            g.set("skipped", JSON.valueToTree(t.skipped));
            side(g.putObject("native"), t.nativeApi);
            side(g.putObject("seed"), t.seed);
            System.out.printf(Locale.ROOT, "%-8s %3d cases, %3d applicable: native wrong %3d (errors %d), seed port wrong %3d%n",
                    t.guard, t.cases, t.applicable(), t.nativeApi.wrong(), t.nativeApi.errors.size(), t.seed.wrong());
            if (!t.nativeApi.wronglyAllowed.isEmpty()) System.out.println("  native wrongly allowed: " + t.nativeApi.wronglyAllowed);
            if (!t.nativeApi.wronglyRefused.isEmpty()) System.out.println("  native wrongly refused: " + t.nativeApi.wronglyRefused);
            if (!t.nativeApi.errors.isEmpty()) System.out.println("  native errors: " + t.nativeApi.errors);
        }
        if (jsonOut != null) JSON.writeValue(jsonOut.toFile(), out);
    }

    private static void side(ObjectNode n, Side s) {
        n.put("wrong", s.wrong());
        n.set("wrongly_allowed", JSON.valueToTree(s.wronglyAllowed));
        n.set("wrongly_refused", JSON.valueToTree(s.wronglyRefused));
        n.set("errors", JSON.valueToTree(s.errors));
    }

    static Path defaultCorpusDir() {
        String env = System.getenv("SANDBOX_CORPUS_DIR");
        if (env != null && !env.isEmpty()) return Path.of(env);
        String repo = System.getenv().getOrDefault("SANDBOX_REPO_ROOT", ".");
        return Path.of(repo, "testdata", "corpus");
    }

    // ------------------------------------------------------------------ paths

    static Tally paths(Path dir) throws IOException {
        Tally t = new Tally("paths");
        CorpusCases.paths(dir, new CorpusCases.PathVisitor() {
            @Override
            public void skipped(String reason) {
                t.cases++;
                t.skipped.merge(reason, 1, Integer::sum);
            }

            @Override
            public void visit(CorpusCases.PathCase c) {
                t.cases++;
                String id = c.id();
                if (c.policy() == null) {
                    t.nativeApi.errors.add(id + ": " + c.policyError().getMessage());
                    t.nativeApi.judge(id, c.expected(), Verdict.DENY, false);
                    t.seed.judge(id, c.expected(), Verdict.DENY, false);
                    return;
                }
                Verdict nativeVerdict;
                try (SandboxManager m = SandboxManager.builder(c.policy()).workspace(c.workspace()).home(c.home()).build()) {
                    Decision d = m.evaluateFileAccess(
                            new FileAccess(c.input(), FileOperation.fromName(c.operation()), c.other(), -1));
                    nativeVerdict = d.verdict();
                } catch (RuntimeException e) {
                    t.nativeApi.errors.add(id + ": " + e);
                    nativeVerdict = Verdict.DENY;
                }
                t.nativeApi.judge(id, c.expected(), nativeVerdict, false);
                Verdict seedVerdict;
                try {
                    SeedFilesystemGuard g = new SeedFilesystemGuard(
                            c.policy().filesystem(), c.workspace(), c.home().toString(), Path.of(c.cwd()));
                    seedVerdict = g.checkAccess(c.input(), c.operation()).allowed() ? Verdict.ALLOW : Verdict.DENY;
                } catch (RuntimeException e) {
                    seedVerdict = Verdict.DENY;
                }
                t.seed.judge(id, c.expected(), seedVerdict, false);
            }
        });
        return t;
    }

    // ------------------------------------------------------------------- urls

    static Tally urls(Path dir) throws IOException {
        Tally t = new Tally("urls");
        for (CorpusCases.UrlCase c : CorpusCases.urls(dir)) {
            t.cases++;
            Verdict nativeVerdict = Verdict.ALLOW;
            try (SandboxManager m = SandboxManager.builder(c.policy()).build()) {
                for (CorpusCases.UrlCheck u : c.checks()) {
                    nativeVerdict = worst(nativeVerdict,
                            m.evaluateNetworkRequest(u.url(), c.method(), u.addresses()).verdict());
                }
            } catch (RuntimeException e) {
                t.nativeApi.errors.add(c.id() + ": " + e);
                nativeVerdict = Verdict.DENY;
            }
            t.nativeApi.judge(c.id(), c.expected(), nativeVerdict, false);

            SeedNetworkGuard g = new SeedNetworkGuard(c.policy().network());
            Verdict seedVerdict = Verdict.ALLOW;
            for (CorpusCases.UrlCheck u : c.checks()) {
                if (!g.checkRequest(u.url(), c.method()).allowed()) seedVerdict = Verdict.DENY;
            }
            t.seed.judge(c.id(), c.expected(), seedVerdict, false);
        }
        return t;
    }

    private static Verdict worst(Verdict a, Verdict b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    // --------------------------------------------------------------- commands

    static Tally commands(Path dir) throws IOException {
        Tally t = new Tally("commands");
        CorpusCases.commands(dir, c -> {
            t.cases++;
            Verdict nativeVerdict;
            try {
                nativeVerdict = c.manager().get().checkCommand(c.command()) ? Verdict.ALLOW : Verdict.DENY;
            } catch (RuntimeException e) {
                t.nativeApi.errors.add(c.id() + ": " + e);
                nativeVerdict = Verdict.DENY;
            }
            t.nativeApi.judge(c.id(), c.expected(), nativeVerdict, true);
            boolean seedAllowed = new SeedCommandValidator(c.policy().commands()).validateCommand(c.command()).allowed();
            t.seed.judge(c.id(), c.expected(), seedAllowed ? Verdict.ALLOW : Verdict.DENY, true);
        });
        return t;
    }
}

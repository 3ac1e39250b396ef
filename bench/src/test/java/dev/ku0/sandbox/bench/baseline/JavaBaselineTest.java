package dev.ku0.sandbox.bench.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ku0.sandbox.Verdict;
import dev.ku0.sandbox.bench.BenchInputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pure-Java baseline agrees with the native guards wherever it answers: on the golden corpus,
 * and on every benchmark input, which it must cover.
 */
class JavaBaselineTest {
    /** The repository's corpus, from the module directory or the repository root. */
    private static Path corpus() {
        for (Path p : List.of(Path.of("../testdata/corpus"), Path.of("testdata/corpus"))) {
            if (Files.isDirectory(p)) return p;
        }
        throw new IllegalStateException("testdata/corpus not found");
    }

    private static void agrees(BaselineAgreement.Tally t, int atLeast) {
        assertTrue(t.disagreements.isEmpty(), t.guard + ": the baseline disagrees with the guard on " + t.disagreements);
        assertTrue(t.wrong.isEmpty(), t.guard + ": the baseline decides wrongly " + t.wrong);
        assertTrue(t.answered >= atLeast, t.guard + ": the baseline answers only " + t.answered + " cases");
    }

    @Test
    void pathsAgreeWithTheGuardOnTheCorpus() throws IOException {
        agrees(BaselineAgreement.paths(corpus()), 30);
    }

    @Test
    void urlsAgreeWithTheGuardOnTheCorpus() throws IOException {
        agrees(BaselineAgreement.urls(corpus()), 25);
    }

    @Test
    void commandsAgreeWithTheGuardOnTheCorpus() throws IOException {
        agrees(BaselineAgreement.commands(corpus()), 20);
    }

    @Test
    void everyBenchmarkInputIsAnsweredAsTheGuardAnswersIt() {
        try (BenchInputs.World w = BenchInputs.world(10)) {
            for (String c : BenchInputs.caseNames("files")) {
                Verdict v = w.manager.evaluateFileAccess(w.path(c), BenchInputs.fileOperation(c)).verdict();
                Answer a = w.java.files().check(w.path(c), BenchInputs.fileOperation(c).jsonName());
                assertEquals(v == Verdict.ALLOW ? Answer.ALLOW : Answer.DENY, a, c);
            }
            for (String c : BenchInputs.caseNames("urls")) {
                Verdict v = w.manager.evaluateNetworkRequest(BenchInputs.url(c), BenchInputs.method(c),
                        BenchInputs.addresses(c)).verdict();
                Answer a = w.java.urls().check(BenchInputs.url(c), BenchInputs.method(c), BenchInputs.addresses(c));
                assertEquals(v == Verdict.ALLOW ? Answer.ALLOW : Answer.DENY, a, c);
            }
            for (String c : BenchInputs.caseNames("commands")) {
                boolean allowed = w.manager.checkCommand(BenchInputs.command(c));
                Answer a = w.java.commands().check(BenchInputs.command(c));
                // The 200-character command has syntax the baseline leaves alone; the others it must answer.
                if (c.equals("chars200") && a == Answer.UNSUPPORTED) continue;
                assertEquals(allowed ? Answer.ALLOW : Answer.DENY, a, c);
            }
        }
    }
}

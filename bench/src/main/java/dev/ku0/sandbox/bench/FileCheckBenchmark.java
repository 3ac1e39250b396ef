package dev.ku0.sandbox.bench;

import dev.ku0.sandbox.Decision;
import dev.ku0.sandbox.FileOperation;
import dev.ku0.sandbox.bench.seed.ViolationResult;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The filesystem guard through the Java API, and the seed's port on the same input: paths inside
 * and outside the workspace, existing and not, in a real fixture tree.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FileCheckBenchmark {
    /** A file case of {@code inputs.json}. */
    @Param({"insideExisting", "insideMissing", "outsideExisting", "outsideMissing"})
    public String input;

    /** Entries per scaled policy list. */
    @Param({"10"})
    public int rules;

    private BenchInputs.World world;
    private String path;
    private FileOperation operation;

    @Setup(Level.Trial)
    public void setup() {
        world = BenchInputs.world(rules);
        path = world.path(input);
        operation = BenchInputs.fileOperation(input);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        world.close();
    }

    @Benchmark
    public Decision nativeApi() {
        return world.manager.evaluateFileAccess(path, operation);
    }

    @Benchmark
    public ViolationResult seedPort() {
        return world.seed.files().checkAccess(path, operation.jsonName());
    }
}

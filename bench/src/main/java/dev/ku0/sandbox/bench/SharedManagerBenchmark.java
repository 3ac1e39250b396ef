package dev.ku0.sandbox.bench;

import dev.ku0.sandbox.Decision;
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
import org.openjdk.jmh.annotations.Threads;

/**
 * Two threads checking at once on one shared manager (one per core here), on the scaling case of
 * each guard. The scores are time per check per thread: equal to the one-thread scores of the
 * per-guard benchmarks when checks scale.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(2)
public class SharedManagerBenchmark {
    /** Entries per scaled policy list. */
    @Param({"10"})
    public int rules;

    private ScalingCase c;

    @Setup(Level.Trial)
    public void setup() {
        c = new ScalingCase(rules);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        c.close();
    }

    /** The scaling case of the filesystem guard, as in {@code FileCheckBenchmark.nativeApi}. */
    @Benchmark
    public Decision file() {
        return c.world.manager.evaluateFileAccess(c.path, c.operation);
    }

    /** The scaling case of the network guard, as in {@code NetworkCheckBenchmark.nativeApi}. */
    @Benchmark
    public Decision network() {
        return c.world.manager.evaluateNetworkRequest(c.url, c.method, c.addresses);
    }

    /** The scaling case of the command validator, as in {@code CommandCheckBenchmark.nativeApi}. */
    @Benchmark
    public boolean command() {
        return c.world.manager.checkCommand(c.command);
    }
}

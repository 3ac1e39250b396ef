package dev.ku0.sandbox.bench;

import dev.ku0.sandbox.Decision;
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
 * The scaling case of each guard ({@code scaling_cases} in {@code inputs.json}) on policies with
 * 1 000 and 10 000 entries in every scaled list: blocked paths, allowed and blocked domains,
 * allowed commands. The 10-entry point is the {@code rules=10} score of the per-guard benchmarks,
 * which run the same inputs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ScalingBenchmark {
    /** Entries per scaled policy list. */
    @Param({"1000", "10000"})
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

    @Benchmark
    public Decision fileNativeApi() {
        return c.world.manager.evaluateFileAccess(c.path, c.operation);
    }

    @Benchmark
    public ViolationResult fileSeedPort() {
        return c.world.seed.files().checkAccess(c.path, c.operation.jsonName());
    }

    @Benchmark
    public Decision networkNativeApi() {
        return c.world.manager.evaluateNetworkRequest(c.url, c.method, c.addresses);
    }

    @Benchmark
    public ViolationResult networkSeedPort() {
        return c.world.seed.network().checkRequest(c.url, c.method);
    }

    @Benchmark
    public boolean commandNativeApi() {
        return c.world.manager.checkCommand(c.command);
    }

    @Benchmark
    public ViolationResult commandSeedPort() {
        return c.world.seed.commands().validateCommand(c.command);
    }
}

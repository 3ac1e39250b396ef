package dev.ku0.sandbox.bench;

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
 * The command validator through the Java API, and the seed's port on the same input: commands of
 * about 20, 80 and 200 characters with pipes, quotes, substitutions and a redirect.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CommandCheckBenchmark {
    /** A command case of {@code inputs.json}. */
    @Param({"chars20", "chars80", "chars200"})
    public String input;

    /** Entries per scaled policy list. */
    @Param({"10"})
    public int rules;

    private BenchInputs.World world;
    private String command;

    @Setup(Level.Trial)
    public void setup() {
        world = BenchInputs.world(rules);
        command = BenchInputs.command(input);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        world.close();
    }

    @Benchmark
    public boolean nativeApi() {
        return world.manager.checkCommand(command);
    }

    @Benchmark
    public ViolationResult seedPort() {
        return world.seed.commands().validateCommand(command);
    }
}

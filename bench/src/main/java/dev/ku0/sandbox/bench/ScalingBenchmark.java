package dev.ku0.sandbox.bench;

import dev.ku0.sandbox.Decision;
import dev.ku0.sandbox.FileOperation;
import dev.ku0.sandbox.bench.seed.ViolationResult;
import java.net.InetAddress;
import java.util.List;
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

    private BenchInputs.World world;
    private String path;
    private FileOperation operation;
    private String url;
    private String method;
    private List<InetAddress> addresses;
    private String command;

    @Setup(Level.Trial)
    public void setup() {
        world = BenchInputs.world(rules);
        String fileCase = BenchInputs.scalingCase("files");
        path = world.path(fileCase);
        operation = BenchInputs.fileOperation(fileCase);
        String urlCase = BenchInputs.scalingCase("urls");
        url = BenchInputs.url(urlCase);
        method = BenchInputs.method(urlCase);
        addresses = BenchInputs.addresses(urlCase);
        command = BenchInputs.command(BenchInputs.scalingCase("commands"));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        world.close();
    }

    @Benchmark
    public Decision fileNativeApi() {
        return world.manager.evaluateFileAccess(path, operation);
    }

    @Benchmark
    public ViolationResult fileSeedPort() {
        return world.seed.files().checkAccess(path, operation.jsonName());
    }

    @Benchmark
    public Decision networkNativeApi() {
        return world.manager.evaluateNetworkRequest(url, method, addresses);
    }

    @Benchmark
    public ViolationResult networkSeedPort() {
        return world.seed.network().checkRequest(url, method);
    }

    @Benchmark
    public boolean commandNativeApi() {
        return world.manager.checkCommand(command);
    }

    @Benchmark
    public ViolationResult commandSeedPort() {
        return world.seed.commands().validateCommand(command);
    }
}

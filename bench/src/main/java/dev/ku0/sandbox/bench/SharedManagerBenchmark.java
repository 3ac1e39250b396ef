package dev.ku0.sandbox.bench;

import dev.ku0.sandbox.Decision;
import dev.ku0.sandbox.FileOperation;
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

    /** The scaling case of the filesystem guard, as in {@code FileCheckBenchmark.nativeApi}. */
    @Benchmark
    public Decision file() {
        return world.manager.evaluateFileAccess(path, operation);
    }

    /** The scaling case of the network guard, as in {@code NetworkCheckBenchmark.nativeApi}. */
    @Benchmark
    public Decision network() {
        return world.manager.evaluateNetworkRequest(url, method, addresses);
    }

    /** The scaling case of the command validator, as in {@code CommandCheckBenchmark.nativeApi}. */
    @Benchmark
    public boolean command() {
        return world.manager.checkCommand(command);
    }
}

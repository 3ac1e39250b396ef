package dev.ku0.sandbox.bench;

import dev.ku0.sandbox.Decision;
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
 * The network guard through the Java API, and the seed's port on the same input: a name in the
 * allow-list with the addresses it resolved to, a name outside it, and an IP literal.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NetworkCheckBenchmark {
    /** A URL case of {@code inputs.json}. */
    @Param({"nameAllowed", "nameDenied", "ipLiteral"})
    public String input;

    /** Entries per scaled policy list. */
    @Param({"10"})
    public int rules;

    private BenchInputs.World world;
    private String url;
    private String method;
    private List<InetAddress> addresses;

    @Setup(Level.Trial)
    public void setup() {
        world = BenchInputs.world(rules);
        url = BenchInputs.url(input);
        method = BenchInputs.method(input);
        addresses = BenchInputs.addresses(input);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        world.close();
    }

    @Benchmark
    public Decision nativeApi() {
        return world.manager.evaluateNetworkRequest(url, method, addresses);
    }

    @Benchmark
    public ViolationResult seedPort() {
        return world.seed.network().checkRequest(url, method);
    }
}

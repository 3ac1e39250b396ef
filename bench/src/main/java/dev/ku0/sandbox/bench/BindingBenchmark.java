package dev.ku0.sandbox.bench;

import dev.ku0.sandbox.bindings.Bindings;
import dev.ku0.sandbox.bindings.NativeBinding;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
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
 * FFM against JNI on the same checks: the {@link NativeBinding} calls the Java API makes, with
 * the input encoded once, on the scaling case of each guard (10-rule policy), plus a call that does
 * nothing ({@code abiVersion}). The difference between the two bindings on a check is the
 * difference of their boundary cost: the engine's work is the same.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BindingBenchmark {
    @Param({"ffm", "jni"})
    public String binding;

    private NativeBinding nb;
    private BenchInputs.World world;
    private long engine;
    private byte[] path;
    private int operation;
    private byte[] command;
    private byte[] url;
    private byte[] method;
    private byte[] addresses;
    private final int[] out = new int[4];
    private final byte[] text = new byte[512];

    @Setup(Level.Trial)
    public void setup() {
        nb = binding.equals("jni") ? Bindings.jni() : Bindings.ffm();
        world = BenchInputs.world(10);
        long[] handle = new long[1];
        int status = nb.engineNew(world.policy.toJson().getBytes(StandardCharsets.UTF_8),
                world.workspace.toString().getBytes(StandardCharsets.UTF_8),
                world.home.toString().getBytes(StandardCharsets.UTF_8), handle);
        if (status != NativeBinding.OK) throw new IllegalStateException("engine: " + nb.lastErrorMessage());
        engine = handle[0];
        String fileCase = BenchInputs.scalingCase("files");
        path = world.path(fileCase).getBytes(StandardCharsets.UTF_8);
        operation = BenchInputs.fileOperation(fileCase).ordinal();
        command = BenchInputs.command(BenchInputs.scalingCase("commands")).getBytes(StandardCharsets.UTF_8);
        String urlCase = BenchInputs.scalingCase("urls");
        url = BenchInputs.url(urlCase).getBytes(StandardCharsets.UTF_8);
        method = BenchInputs.method(urlCase).getBytes(StandardCharsets.UTF_8);
        List<InetAddress> a = BenchInputs.addresses(urlCase);
        addresses = a == null ? null : NativeBinding.packAddresses(a);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        nb.engineFree(engine);
        world.close();
    }

    /** A call that does nothing but return a constant: the bare crossing. */
    @Benchmark
    public int noop() {
        return nb.abiVersion();
    }

    @Benchmark
    public int url() {
        return nb.checkNetwork(engine, url, method, addresses, out, text);
    }

    @Benchmark
    public int path() {
        return nb.checkFile(engine, path, operation, null, -1, out, text);
    }

    @Benchmark
    public int command() {
        return nb.checkCommand(engine, command, out, text);
    }
}

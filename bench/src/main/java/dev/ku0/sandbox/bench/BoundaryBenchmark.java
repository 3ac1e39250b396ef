package dev.ku0.sandbox.bench;

import dev.ku0.sandbox.bindings.ffm.SandboxNative;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Where the time of a check goes: the raw C functions on input marshalled once, into memory
 * allocated once, on the scaling case of each guard (10-rule policy). Compared with the Java API
 * on the same input this separates the Java side (encoding, scratch memory, decoding the decision)
 * from the library's wrapper (UTF-8 validation, panic barrier, copying the decision out) and the
 * engine's own work (measured in Rust).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BoundaryBenchmark {
    private static final int TEXT = 512;

    private BenchInputs.World world;
    private Arena arena;
    private MemorySegment engine;
    private MemorySegment path;
    private long pathLen;
    private int operation;
    private MemorySegment command;
    private long commandLen;
    private MemorySegment out;
    private MemorySegment text;
    private byte[] url;
    private byte[] method;
    private byte[] addresses;
    private int[] heapOut;
    private byte[] heapText;

    @Setup(Level.Trial)
    public void setup() {
        // The world keeps the fixture tree; the raw engine is compiled from the same policy.
        world = BenchInputs.world(10);
        arena = Arena.ofConfined();
        byte[] json = world.policy.toJson().getBytes(StandardCharsets.UTF_8);
        byte[] ws = world.workspace.toString().getBytes(StandardCharsets.UTF_8);
        byte[] home = world.home.toString().getBytes(StandardCharsets.UTF_8);
        MemorySegment handle = arena.allocate(ValueLayout.ADDRESS);
        int status = SandboxNative.engineNew(arena.allocateFrom(ValueLayout.JAVA_BYTE, json), json.length,
                arena.allocateFrom(ValueLayout.JAVA_BYTE, ws), ws.length,
                arena.allocateFrom(ValueLayout.JAVA_BYTE, home), home.length, handle);
        if (status != SandboxNative.OK) throw new IllegalStateException("engine: " + SandboxNative.lastError());
        engine = handle.get(ValueLayout.ADDRESS, 0);

        String fileCase = BenchInputs.scalingCase("files");
        byte[] p = world.path(fileCase).getBytes(StandardCharsets.UTF_8);
        path = arena.allocateFrom(ValueLayout.JAVA_BYTE, p);
        pathLen = p.length;
        // The C ABI numbers operations in declaration order (read = 0 ... execute = 9).
        operation = BenchInputs.fileOperation(fileCase).ordinal();

        byte[] c = BenchInputs.command(BenchInputs.scalingCase("commands")).getBytes(StandardCharsets.UTF_8);
        command = arena.allocateFrom(ValueLayout.JAVA_BYTE, c);
        commandLen = c.length;

        String urlCase = BenchInputs.scalingCase("urls");
        url = BenchInputs.url(urlCase).getBytes(StandardCharsets.UTF_8);
        method = BenchInputs.method(urlCase).getBytes(StandardCharsets.UTF_8);
        List<InetAddress> a = BenchInputs.addresses(urlCase);
        addresses = a == null ? null : dev.ku0.sandbox.bindings.NativeBinding.packAddresses(a);
        out = arena.allocate(SandboxNative.DECISION);
        text = arena.allocate(TEXT);
        heapOut = new int[4];
        heapText = new byte[TEXT];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        SandboxNative.engineFree(engine);
        arena.close();
        world.close();
    }

    /** {@code sandbox_check_file} on pre-marshalled input. */
    @Benchmark
    public int fileRaw() {
        return SandboxNative.checkFile(engine, path, pathLen, operation, MemorySegment.NULL, 0, -1, out, text, TEXT);
    }

    /** {@code sandbox_check_network} (critical) on heap arrays encoded once. */
    @Benchmark
    public int networkRaw() {
        return SandboxNative.checkNetwork(engine, MemorySegment.ofArray(url), url.length,
                MemorySegment.ofArray(method), method.length,
                addresses == null ? MemorySegment.NULL : MemorySegment.ofArray(addresses),
                addresses == null ? 0 : addresses.length,
                MemorySegment.ofArray(heapOut), MemorySegment.ofArray(heapText), TEXT);
    }

    /** {@code sandbox_check_command} on pre-marshalled input. */
    @Benchmark
    public int commandRaw() {
        return SandboxNative.checkCommand(engine, command, commandLen, out, text, TEXT);
    }
}

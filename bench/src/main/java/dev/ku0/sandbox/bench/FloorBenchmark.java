package dev.ku0.sandbox.bench;

import dev.ku0.sandbox.bindings.ffm.SandboxNative;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The floor: what crossing into the library costs before any guard runs. A check costs at least
 * one downcall plus marshalling its input with the strategy its call uses: a critical downcall on
 * heap memory (network checks) or a plain downcall on memory of a confined arena (file and command
 * checks, which may touch the file system).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FloorBenchmark {
    /** A 64-byte path, the size of a typical workspace file path. */
    static final String PATH64 = "/home/user/projects/agent-workspace/src/main/java/app/Main1.java";

    /** {@code sandbox_abi_version} bound as a critical downcall (no thread-state transition). */
    private static final class Critical {
        static final MethodHandle ABI_VERSION = Linker.nativeLinker().downcallHandle(
                SandboxNative.lookup().find("sandbox_abi_version").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT), Linker.Option.critical(false));
    }

    byte[] bytes;

    @Setup
    public void setup() {
        bytes = PATH64.getBytes(StandardCharsets.UTF_8);
        if (bytes.length != 64) throw new IllegalStateException("PATH64 is " + bytes.length + " bytes");
        SandboxNative.ensureLoaded();
    }

    /** A downcall that does nothing but return a constant. */
    @Benchmark
    public int noopDowncall() {
        return SandboxNative.abiVersion();
    }

    /** The same no-op as a critical downcall, as the network check is bound. */
    @Benchmark
    public int noopDowncallCritical() throws Throwable {
        return (int) Critical.ABI_VERSION.invokeExact();
    }

    /** Encoding the path to UTF-8 on the heap (what critical calls on heap memory need). */
    @Benchmark
    public byte[] marshalPathHeap() {
        return PATH64.getBytes(StandardCharsets.UTF_8);
    }

    /** Encoding and copying the path into a confined arena (what non-critical calls need). */
    @Benchmark
    public long marshalPathConfinedArena() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocateFrom(ValueLayout.JAVA_BYTE, PATH64.getBytes(StandardCharsets.UTF_8));
            return s.address();
        }
    }
}

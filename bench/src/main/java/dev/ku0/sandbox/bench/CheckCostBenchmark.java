package dev.ku0.sandbox.bench;

import dev.ku0.sandbox.Decision;
import dev.ku0.sandbox.FileOperation;
import dev.ku0.sandbox.bench.baseline.Answer;
import dev.ku0.sandbox.bench.seed.ViolationResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
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
 * Each check next to the operation it guards, in one JVM: the check through the Java API, the
 * correct pure-Java baseline, the seed's port, and the system call the guarded operation makes
 * (a {@code stat} and an {@code open} of the same path, a TCP connection to a listener on
 * 127.0.0.1, starting {@code /bin/true} and waiting for it). Inputs: the {@code insideExisting}
 * path (9 components below {@code /}), the {@code nameAllowed} URL, the {@code chars20} and
 * {@code chars80} commands of {@code inputs.json}, on the 10-rule policy.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CheckCostBenchmark {
    private static final ProcessBuilder.Redirect NULL = ProcessBuilder.Redirect.from(new java.io.File("/dev/null"));

    private BenchInputs.World world;
    private String path;
    private Path file;
    private String url;
    private String method;
    private List<InetAddress> addresses;
    private String command20;
    private String command80;
    private ServerSocketChannel listener;
    private InetSocketAddress listening;
    private Thread acceptor;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        world = BenchInputs.world(10);
        path = world.path("insideExisting");
        file = Path.of(path);
        url = BenchInputs.url("nameAllowed");
        method = BenchInputs.method("nameAllowed");
        addresses = BenchInputs.addresses("nameAllowed");
        command20 = BenchInputs.command("chars20");
        command80 = BenchInputs.command("chars80");
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        listening = (InetSocketAddress) listener.getLocalAddress();
        acceptor = Thread.ofPlatform().daemon().start(() -> {
            try {
                while (true) listener.accept().close();
            } catch (IOException e) {
                // closed at tear-down
            }
        });
        for (Answer a : new Answer[] {pathJava(), urlJava(), command20Java(), command80Java()}) {
            if (a == Answer.UNSUPPORTED) throw new IllegalStateException("the Java baseline does not cover a case");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        listener.close();
        world.close();
    }

    // ------------------------------------------------------------------ paths

    @Benchmark
    public Decision pathNative() {
        return world.manager.evaluateFileAccess(path, FileOperation.READ);
    }

    @Benchmark
    public Answer pathJava() {
        return world.java.files().check(path, "read");
    }

    @Benchmark
    public ViolationResult pathSeed() {
        return world.seed.files().checkAccess(path, "read");
    }

    /** {@code stat} of the same path (links not followed, as the check looks at them). */
    @Benchmark
    public Object pathStat() throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * {@code lstat} of every prefix of the same path, {@code /a}, {@code /a/b}, …: the system calls
     * of a resolution that knows the type and the identity of every component on the way.
     */
    @Benchmark
    public int pathStatEveryPrefix() throws IOException {
        int dirs = 0;
        Path p = file.getRoot();
        for (Path name : file) {
            p = p.resolve(name);
            if (Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isDirectory()) dirs++;
        }
        return dirs;
    }

    /** {@code open} and {@code close} of the same path, as the guarded read starts. */
    @Benchmark
    public long pathOpen() throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
            return c.position();
        }
    }

    // ------------------------------------------------------------------- URLs

    @Benchmark
    public Decision urlNative() {
        return world.manager.evaluateNetworkRequest(url, method, addresses);
    }

    @Benchmark
    public Answer urlJava() {
        return world.java.urls().check(url, method, addresses);
    }

    @Benchmark
    public ViolationResult urlSeed() {
        return world.seed.network().checkRequest(url, method);
    }

    /** A TCP connection to a listener on 127.0.0.1, closed at once: the least a request does. */
    @Benchmark
    public boolean urlConnect() {
        try (SocketChannel c = SocketChannel.open(listening)) {
            return c.isConnected();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --------------------------------------------------------------- commands

    @Benchmark
    public boolean command20Native() {
        return world.manager.checkCommand(command20);
    }

    @Benchmark
    public Answer command20Java() {
        return world.java.commands().check(command20);
    }

    @Benchmark
    public ViolationResult command20Seed() {
        return world.seed.commands().validateCommand(command20);
    }

    @Benchmark
    public boolean command80Native() {
        return world.manager.checkCommand(command80);
    }

    @Benchmark
    public Answer command80Java() {
        return world.java.commands().check(command80);
    }

    @Benchmark
    public ViolationResult command80Seed() {
        return world.seed.commands().validateCommand(command80);
    }

    /** Starting {@code /bin/true} and waiting for it, as a Java caller runs a command. */
    @Benchmark
    public int forkExecTrue() throws IOException, InterruptedException {
        return new ProcessBuilder("/bin/true").redirectInput(NULL).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }
}

package dev.ku0.sandbox.bench;

import dev.ku0.sandbox.FileOperation;
import java.net.InetAddress;
import java.util.List;

/**
 * The scaling case of each guard ({@code scaling_cases} in {@code inputs.json}) on a world whose
 * scaled policy lists hold {@code rules} entries. Shared by the benchmarks that run those cases.
 */
final class ScalingCase implements AutoCloseable {
    final BenchInputs.World world;
    final String path;
    final FileOperation operation;
    final String url;
    final String method;
    final List<InetAddress> addresses;
    final String command;

    ScalingCase(int rules) {
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

    @Override
    public void close() {
        world.close();
    }
}

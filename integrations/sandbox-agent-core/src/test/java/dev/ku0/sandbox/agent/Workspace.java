package dev.ku0.sandbox.agent;

import dev.ku0.sandbox.Policies;
import dev.ku0.sandbox.Policy;
import dev.ku0.sandbox.SandboxManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test fixtures in a temporary directory: a workspace, a home with a private key in
 * {@code ~/.ssh}, and a directory outside both.
 */
final class Workspace {
    final Path ws;
    final Path home;
    final Path outside;

    Workspace(Path tmp) throws IOException {
        ws = Files.createDirectories(tmp.resolve("ws"));
        home = Files.createDirectories(tmp.resolve("home"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/id_rsa"), "PRIVATE-KEY-MATERIAL");
    }

    SandboxManager manager() {
        return manager(Policies.WORKSPACE);
    }

    SandboxManager manager(Policy p) {
        return SandboxManager.builder(p).workspace(ws).home(home).build();
    }

    /** The workspace preset with plain {@code http} allowed, for requests to a local test server. */
    static Policy localHttpPolicy() throws IOException {
        try (InputStream in = Workspace.class.getResourceAsStream("/http-localhost-policy.json")) {
            return Policy.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** A listener on 127.0.0.1 that counts the connections it accepts. */
    static final class Listener implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();
        private final Thread acceptor;

        Listener() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            socket.setSoTimeout(100);
            acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (var s = socket.accept()) {
                        connections.incrementAndGet();
                    } catch (SocketTimeoutException e) {
                        // poll again until closed
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "test-listener");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            acceptor.join(2000);
        }
    }
}

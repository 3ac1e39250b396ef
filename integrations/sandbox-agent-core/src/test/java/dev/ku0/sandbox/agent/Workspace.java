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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test fixtures in a temporary directory: a workspace, a home with a private key in
 * {@code ~/.ssh}, and a directory outside both; and what the approval handler was asked and the
 * audit listener told.
 */
public final class Workspace {
    /** Inline code for an interpreter: the command validator answers ask. Run, it creates {@code asked.txt}. */
    public static final String ASK_COMMAND = "awk 'BEGIN { system(\"touch asked.txt\") }'";
    /** Would leave a marker, then escalate: denied as a whole, so {@code marker.txt} must not appear. */
    public static final String DENIED_COMMAND = "touch marker.txt && sudo true";

    public final Path ws;
    public final Path home;
    public final Path outside;
    public final List<ApprovalRequest> asked = new ArrayList<>();
    public final List<AuditEvent> audit = new ArrayList<>();

    public Workspace(Path tmp) throws IOException {
        ws = Files.createDirectories(tmp.resolve("ws"));
        home = Files.createDirectories(tmp.resolve("home"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/id_rsa"), "PRIVATE-KEY-MATERIAL");
    }

    /** A handler that records each request in {@link #asked} and answers {@code answer}. */
    public ApprovalHandler approval(boolean answer) {
        return r -> {
            asked.add(r);
            return answer;
        };
    }

    /** A manager on the workspace preset over these directories. */
    public SandboxManager manager() {
        return manager(Policies.WORKSPACE);
    }

    public SandboxManager manager(Policy p) {
        return SandboxManager.builder(p).workspace(ws).home(home).build();
    }

    /** The workspace preset with plain {@code http} allowed, for requests to a local test server. */
    public static Policy localHttpPolicy() throws IOException {
        try (InputStream in = Workspace.class.getResourceAsStream("/http-localhost-policy.json")) {
            return Policy.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** A listener on 127.0.0.1 that counts the connections it accepts. */
    public static final class Listener implements AutoCloseable {
        private final ServerSocket socket;
        private final AtomicInteger connections = new AtomicInteger();
        private final Thread acceptor;

        public Listener() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            socket.setSoTimeout(100);
            acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        socket.accept().close();
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

        public int port() {
            return socket.getLocalPort();
        }

        /** The connections accepted so far. */
        public int connections() {
            return connections.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            try {
                acceptor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

package dev.ku0.sandbox;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A bounded, thread-safe log of violations: the oldest entries are dropped and counted. */
final class ViolationLog {
    private static final System.Logger LOG = System.getLogger(ViolationLog.class.getName());

    private final int capacity;
    private final ArrayDeque<Violation> entries;
    private final List<Consumer<? super Violation>> listeners = new CopyOnWriteArrayList<>();
    private long dropped;

    ViolationLog(int capacity) {
        if (capacity < 0) throw new IllegalArgumentException("violation log capacity must be >= 0, got " + capacity);
        this.capacity = capacity;
        this.entries = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    void record(Violation v) {
        synchronized (this) {
            if (capacity == 0) {
                dropped++;
            } else {
                if (entries.size() == capacity) {
                    entries.removeFirst();
                    dropped++;
                }
                entries.addLast(v);
            }
        }
        for (Consumer<? super Violation> l : listeners) {
            try {
                l.accept(v);
            } catch (RuntimeException e) {
                // A faulty listener must not turn a decision into an exception.
                LOG.log(System.Logger.Level.WARNING, "violation listener failed", e);
            }
        }
    }

    synchronized List<Violation> snapshot() {
        return List.copyOf(entries);
    }

    synchronized void clear() {
        entries.clear();
    }

    synchronized long dropped() {
        return dropped;
    }

    int capacity() {
        return capacity;
    }

    void addListener(Consumer<? super Violation> l) {
        listeners.add(l);
    }

    boolean removeListener(Consumer<? super Violation> l) {
        return listeners.remove(l);
    }
}

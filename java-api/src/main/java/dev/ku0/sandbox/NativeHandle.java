package dev.ku0.sandbox;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * A native handle (engine, authorization, open file) with its calls in flight counted in Java, the
 * same for both bindings: {@link #acquire()} hands the handle out only while it is open,
 * {@link #run()} (close, or the {@link java.lang.ref.Cleaner} for a forgotten owner) refuses new
 * calls, waits for the running ones to return and frees the handle once. A freed handle therefore
 * never reaches the library.
 *
 * <p>It must not refer to its owner, so that the owner can become unreachable and be cleaned.
 */
final class NativeHandle implements Runnable {
    private final long address;
    private final LongConsumer free;
    private final String what;
    private final LongAdder inFlight = new LongAdder();
    private final AtomicBoolean freed = new AtomicBoolean();
    private volatile boolean closed;

    NativeHandle(long address, LongConsumer free, String what) {
        this.address = address;
        this.free = free;
        this.what = what;
    }

    /** The handle for one call; pair with {@link #release()} in a {@code finally}. */
    long acquire() {
        inFlight.increment();
        // Checked after counting: close() sets the flag before it reads the count, so either this
        // call sees the flag or close() sees this call.
        if (closed) {
            inFlight.decrement();
            throw new IllegalStateException("this " + what + " is closed");
        }
        return address;
    }

    void release() {
        inFlight.decrement();
    }

    boolean isOpen() {
        return !closed;
    }

    /** Closes: no new calls, waits for the calls in flight, frees once. */
    @Override
    public void run() {
        closed = true;
        while (inFlight.sum() != 0) {
            Thread.onSpinWait();
            Thread.yield();
        }
        if (freed.compareAndSet(false, true) && address != 0) {
            free.accept(address);
        }
    }
}
